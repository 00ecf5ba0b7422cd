import type { CollabConnection, DocContext } from '../collab/types.ts';

/** What newsroom services need from the collaboration server: server-side doc access and live permissions. */
export interface DocHost {
  /** Runs `fn` on the article's live doc (loading it if needed); changes reach every open editor and the store. */
  withDoc<T>(articleId: string, fn: (ctx: DocContext) => T | Promise<T>): Promise<T>;
  connections(articleId: string): CollabConnection[];
  setReadOnly(connection: CollabConnection, readOnly: boolean, reason: string | null): void;
}
