import * as Y from 'yjs';

/**
 * Counts single-character edits as they land in a replica's Y.Text: the text units (UTF-16, as
 * Y.Text lengths) each transaction inserted into or deleted from this text. For automerge-paper
 * every edit is exactly one char, so the count after N edits is N even if a server batched
 * several edits into one message.
 *
 * Counted from the transaction's state vectors and delete set, looking only at the structs the
 * transaction touched: O(changed items). (`YTextEvent.delta` walks the whole text on every event,
 * which made the full 259,778-edit replay quadratic in the *client*, for every server alike.)
 */
export class EditCounter {
  count = 0;
  private readonly handler: (e: Y.YTextEvent, tr: Y.Transaction) => void;
  constructor(
    readonly text: Y.Text,
    private readonly onAdvance?: (from: number, to: number) => void,
  ) {
    this.handler = (_e, tr) => {
      const n = countInserted(text, tr) + countDeleted(text, tr);
      const from = this.count;
      this.count += n;
      this.onAdvance?.(from, this.count);
    };
    text.observe(this.handler);
  }
  dispose(): void {
    this.text.unobserve(this.handler);
  }
}

/** Units of this text's items created by the transaction (observers run before gc/merge). */
function countInserted(text: Y.Text, tr: Y.Transaction): number {
  const store = tr.doc.store;
  let n = 0;
  for (const [client, after] of tr.afterState) {
    const before = tr.beforeState.get(client) ?? 0;
    if (after <= before) continue;
    const structs = store.clients.get(client);
    if (!structs) continue;
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const s = structs[i]!;
      const start = s.id.clock;
      if (start >= after) break;
      if (s instanceof Y.Item && s.parent === text && s.countable) n += Math.min(after, start + s.length) - Math.max(before, start);
    }
  }
  return n;
}

/** Units of this text's items the transaction deleted (the delete set holds only newly deleted ones). */
function countDeleted(text: Y.Text, tr: Y.Transaction): number {
  const store = tr.doc.store;
  let n = 0;
  for (const [client, ranges] of tr.deleteSet.clients) {
    const structs = store.clients.get(client);
    if (!structs) continue;
    for (const { clock, len } of ranges) {
      const end = clock + len;
      for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
        const s = structs[i]!;
        const start = s.id.clock;
        if (start >= end) break;
        if (s instanceof Y.Item && s.parent === text && s.countable) n += Math.min(end, start + s.length) - Math.max(clock, start);
      }
    }
  }
  return n;
}

/** Applies one `[pos, del, ins]` patch to a Y.Text (caller decides the transaction). */
export function applyPatch(text: Y.Text, pos: number, del: number, ins: string): void {
  if (del > 0) text.delete(pos, del);
  if (ins.length > 0) text.insert(pos, ins);
}
