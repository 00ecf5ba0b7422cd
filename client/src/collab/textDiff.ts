import type * as Y from 'yjs';

/**
 * Turns `current` into `next` by touching only the changed middle (common prefix and suffix
 * are kept), so concurrent edits elsewhere in the text survive. The same idea as
 * writeMetaText from @copydesk/article-doc, but with a transaction origin and a caret hint:
 * `caret` (the caret after the edit) disambiguates repeated characters, e.g. typing "a" into
 * "aa" at the start inserts at 0, not at 2.
 */
export function applyTextDiff(ytext: Y.Text, next: string, origin: unknown, caret?: number): void {
  const current = ytext.toString();
  if (current === next) return;
  const added = next.length - current.length;
  // The prefix may not extend past the edit point (the caret minus what was inserted).
  const maxPrefix = caret === undefined ? Math.min(current.length, next.length) : Math.max(0, Math.min(current.length, next.length, caret - Math.max(0, added)));
  let start = 0;
  while (start < maxPrefix && current[start] === next[start]) start++;
  let endCurrent = current.length;
  let endNext = next.length;
  while (endCurrent > start && endNext > start && current[endCurrent - 1] === next[endNext - 1]) {
    endCurrent--;
    endNext--;
  }
  const doc = ytext.doc;
  const apply = () => {
    if (endCurrent > start) ytext.delete(start, endCurrent - start);
    if (endNext > start) ytext.insert(start, next.slice(start, endNext));
  };
  if (doc) doc.transact(apply, origin);
  else apply();
}

/** Maps an index in the old text through a Y.Text delta (remote insertions before it push it right). */
export function transformIndex(index: number, delta: Array<{ insert?: unknown; delete?: number; retain?: number }>): number {
  let cursor = 0; // position in the old text
  let shift = 0;
  for (const op of delta) {
    if (cursor > index) break;
    if (op.retain !== undefined) {
      cursor += op.retain;
    } else if (op.insert !== undefined) {
      // Text inserted before the caret pushes it right; text inserted exactly at the caret
      // lands after it, so the local writer keeps typing where they were.
      if (cursor < index) shift += typeof op.insert === 'string' ? op.insert.length : 1;
    } else if (op.delete !== undefined) {
      const removedBefore = Math.max(0, Math.min(op.delete, index - cursor));
      shift -= removedBefore;
      cursor += op.delete;
    }
  }
  return Math.max(0, index + shift);
}
