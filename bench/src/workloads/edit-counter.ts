import type * as Y from 'yjs';

/**
 * Counts single-character edits as they land in a replica's Y.Text (inserted + deleted
 * characters from each change's delta). For automerge-paper every edit is exactly one char,
 * so the count after N edits is N even if a server batched several edits into one message.
 */
export class EditCounter {
  count = 0;
  private readonly handler: (e: Y.YTextEvent) => void;
  constructor(
    readonly text: Y.Text,
    private readonly onAdvance?: (from: number, to: number) => void,
  ) {
    this.handler = (e) => {
      let n = 0;
      for (const d of e.delta) {
        if (typeof d.insert === 'string') n += d.insert.length;
        else if (d.delete) n += d.delete;
      }
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

/** Applies one `[pos, del, ins]` patch to a Y.Text (caller decides the transaction). */
export function applyPatch(text: Y.Text, pos: number, del: number, ins: string): void {
  if (del > 0) text.delete(pos, del);
  if (ins.length > 0) text.insert(pos, ins);
}
