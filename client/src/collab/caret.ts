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
