import * as Y from 'yjs';
import { AUTHORS_MAP, CloseCode, SERVER_AUTHOR, handBackKey, type AuthorEntry, type HandBackEntry } from '@copydesk/protocol';
import { CollabRejection, ORIGIN_SERVER, type CollabConnection, type CollabExtension, type DecodedUpdate, type DocContext } from '../types.ts';

/** Called after the server applied a client's update: the characters it inserted and deleted. */
export type EditListener = (articleId: string, connection: CollabConnection, inserted: number, deleted: number) => void;

interface DocAuthorship {
  articleId: string;
  doc: Y.Doc;
  authors: Y.Map<AuthorEntry>;
  /** Client ids the server itself wrote with (their items may be authors-map items). */
  serverClients: Set<number>;
  /** Client ids in use by open connections (they wrote with them or announce them in awareness). */
  live: Map<number, CollabConnection>;
  /**
   * Set by onClientUpdate for the update about to be applied: who sent it and the client ids it
   * carries as its own (not those it hands back for someone else).
   */
  pending: { connection: CollabConnection; clients: Set<number>; handedBack: Set<number> } | null;
  onTransaction: (transaction: Y.Transaction) => void;
}

/**
 * Who wrote what. The server knows which user sent each update, so it records, in the doc's
 * `authors` map (Yjs client id → user), the author of every client id the first time that id
 * brings new content. Only the server writes that map: a client update that touches it is refused
 * (4403) before it is applied. New content under a client id that another user's open connection
 * is using, or that is the server's own, is left out of the update (a client cannot write as them).
 * Content under the id of an author who is not connected is accepted: after a server crash, other
 * clients legitimately hand back the author's last edits the store missed. It is recorded as
 * handed back by the sender (a `handback:` entry), so nobody can make text appear as typed by an
 * offline colleague, and it does not make the sender the id's writer or author (see handsBack).
 * The same pass counts the characters each applied update inserted and deleted.
 */
export class AuthorshipExtension implements CollabExtension {
  readonly name = 'authorship';
  private readonly docs = new Map<string, DocAuthorship>();

  constructor(private readonly onEdit: EditListener) {}

  async onLoad({ articleId, doc }: DocContext): Promise<void> {
    const authors = doc.getMap<AuthorEntry>(AUTHORS_MAP);
    const serverClients = new Set<number>();
    authors.forEach((entry, key) => {
      if (isServerEntry(entry)) serverClients.add(Number(key));
    });
    const state: DocAuthorship = { articleId, doc, authors, serverClients, live: new Map(), pending: null, onTransaction: () => undefined };
    state.onTransaction = (transaction) => this.afterTransaction(state, transaction);
    doc.on('afterTransaction', state.onTransaction);
    this.docs.set(articleId, state);
  }

  onClientUpdate({ articleId, connection, decoded }: DocContext & { connection: CollabConnection; decoded: DecodedUpdate }): void | { dropClients: number[] } {
    const state = this.docs.get(articleId);
    if (!state) return;
    const foreign = new Set<number>();
    const { doc, authors, serverClients } = state;
    const userId = connection.user.id;
    const clients = new Set<number>();
    const handedBack = new Set<number>();
    for (const struct of decoded.structs) {
      if (struct instanceof Y.Skip) continue; // a gap, nothing is applied
      const client = struct.id.client;
      // Structs the doc already has are ignored by Yjs (clients resend them, e.g. from IndexedDB).
      if (struct.id.clock + struct.length <= Y.getState(doc.store, client)) continue;
      // New content under the id of someone else who is here (or of the server) is left out, not
      // applied: a forger gains nothing, and a client handing back content after an instance crash
      // loses nothing, because its owner resyncs it. Closing instead would strand stock clients (44xx).
      const writer = state.live.get(client);
      // The authors map is the server's word: an id it gives this user is this user's, whoever else holds it live.
      const theirOwn = authors.get(String(client))?.userId === userId;
      if ((writer && writer.user.id !== userId && !theirOwn) || serverClients.has(client)) {
        foreign.add(client);
        continue;
      }
      if (handsBack(state, connection, client)) handedBack.add(client);
      else clients.add(client);
      if (!(struct instanceof Y.Item)) continue;
      // An item's parent is either named (a root type) or taken from its neighbours.
      if ((struct.parent as unknown) === AUTHORS_MAP) throw new CollabRejection(CloseCode.forbidden, 'update touches the authors map');
      if ((struct.origin && inAuthors(state, struct.origin)) || (struct.rightOrigin && inAuthors(state, struct.rightOrigin))) {
        throw new CollabRejection(CloseCode.forbidden, 'update touches the authors map');
      }
    }
    // Deleting an authors entry: its items belong to one of the server's client ids.
    for (const [client, ranges] of decoded.ds.clients) {
      if (!serverClients.has(client)) continue;
      for (const { clock, len } of ranges) {
        if (rangeTouches(doc, client, clock, len, authors)) throw new CollabRejection(CloseCode.forbidden, 'update touches the authors map');
      }
    }
    state.pending = { connection, clients, handedBack };
    if (foreign.size > 0) return { dropClients: [...foreign] };
  }

  /** Awareness ids a connection announces are its client ids (stock providers use the doc's). */
  onAwareness({ articleId, connection, added, updated }: DocContext & { connection: CollabConnection | null; added: number[]; updated: number[] }): void {
    const state = this.docs.get(articleId);
    if (!state || !connection) return;
    for (const id of added) state.live.set(id, connection);
    for (const id of updated) state.live.set(id, connection);
  }

  onDisconnect({ articleId, connection }: DocContext & { connection: CollabConnection }): void {
    const state = this.docs.get(articleId);
    if (!state) return;
    for (const [client, writer] of state.live) if (writer === connection) state.live.delete(client);
  }

  onUnload({ articleId }: { articleId: string }): void {
    const state = this.docs.get(articleId);
    if (!state) return;
    state.doc.off('afterTransaction', state.onTransaction);
    this.docs.delete(articleId);
  }

  private afterTransaction(state: DocAuthorship, transaction: Y.Transaction): void {
    const { doc, authors } = state;
    // Keep the set of server client ids in step with the map, whoever wrote it (store, other instances).
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const changedKeys = transaction.changed.get(authors as Y.AbstractType<any>);
    if (changedKeys) {
      for (const key of changedKeys) if (key !== null && isServerEntry(authors.get(key))) state.serverClients.add(Number(key));
    }

    const pending = state.pending;
    if (pending && transaction.origin === pending.connection) {
      state.pending = null;
      const { inserted, newClients } = countInserted(doc, transaction, pending.clients);
      const deleted = countDeleted(doc, transaction.deleteSet);
      for (const client of newClients) state.live.set(client, pending.connection);
      const unmapped = newClients.filter((client) => !authors.has(String(client)));
      const handBacks = handedBackRanges(transaction, pending.handedBack);
      if (unmapped.length > 0 || handBacks.length > 0) {
        const user = pending.connection.user;
        // A follow-up transaction: its update goes out right after the client's.
        doc.transact(() => {
          for (const client of unmapped) authors.set(String(client), { userId: user.id, name: user.displayName });
          // Accepted, never credited to the id's owner: recorded as handed back by this person.
          for (const { client, clock, length } of handBacks) {
            authors.set(handBackKey(client, clock), { userId: user.id, name: user.displayName, handedBack: true, client, clock, length } satisfies HandBackEntry);
          }
          this.mapServerClient(state);
        }, ORIGIN_SERVER);
      }
      if (inserted > 0 || deleted > 0 || newClients.length > 0) this.onEdit(state.articleId, pending.connection, inserted, deleted);
      return;
    }
    // The server wrote content itself (a restore): its client id is the server's.
    if (transaction.local && !authors.has(String(doc.clientID)) && advanced(transaction, doc.clientID)) {
      doc.transact(() => this.mapServerClient(state), ORIGIN_SERVER);
    }
  }

  private mapServerClient(state: DocAuthorship): void {
    const key = String(state.doc.clientID);
    if (state.authors.has(key)) return;
    state.authors.set(key, SERVER_AUTHOR);
    state.serverClients.add(state.doc.clientID);
  }
}

/**
 * Is new content under `client` handed back by `connection` for someone else (edits it received
 * from an instance that died before storing or relaying them) rather than written by it? It is
 * applied, but it neither makes the connection the id's live writer nor its author: otherwise the
 * real author, reconnecting a moment later, would find its own id taken and its next edits left
 * out. A stock provider announces its own client id in awareness; an id the authors map gives to
 * another user is theirs.
 */
function handsBack(state: DocAuthorship, connection: CollabConnection, client: number): boolean {
  if (connection.awarenessIds.size > 0 && !connection.awarenessIds.has(client)) return true;
  const author = state.authors.get(String(client));
  return author !== undefined && author.userId !== connection.user.id;
}

/** The clock ranges this transaction added under the handed-back client ids. */
function handedBackRanges(transaction: Y.Transaction, handedBack: Set<number>): Array<{ client: number; clock: number; length: number }> {
  const ranges: Array<{ client: number; clock: number; length: number }> = [];
  for (const client of handedBack) {
    const before = transaction.beforeState.get(client) ?? 0;
    const after = transaction.afterState.get(client) ?? 0;
    if (after > before) ranges.push({ client, clock: before, length: after - before });
  }
  return ranges;
}

function isServerEntry(entry: unknown): boolean {
  return typeof entry === 'object' && entry !== null && (entry as AuthorEntry).userId === SERVER_AUTHOR.userId;
}

function advanced(transaction: Y.Transaction, client: number): boolean {
  return (transaction.afterState.get(client) ?? 0) > (transaction.beforeState.get(client) ?? 0);
}

/** Is the item with this id (if we have it) an entry of the authors map? */
function inAuthors(state: DocAuthorship, id: Y.ID): boolean {
  if (!state.serverClients.has(id.client)) return false;
  if (Y.getState(state.doc.store, id.client) <= id.clock) return false;
  const item = Y.getItem(state.doc.store, id);
  return item instanceof Y.Item && item.parent === state.authors;
}

function rangeTouches(doc: Y.Doc, client: number, clock: number, len: number, authors: Y.Map<AuthorEntry>): boolean {
  const structs = doc.store.clients.get(client);
  if (!structs || Y.getState(doc.store, client) <= clock) return false;
  const end = clock + len;
  for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
    const struct = structs[i]!;
    if (struct.id.clock >= end) break;
    if (struct instanceof Y.Item && struct.parent === authors && !struct.deleted) return true;
  }
  return false;
}

/** Characters (not UTF-16 units) of `str` between two offsets. */
function chars(str: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const code = str.charCodeAt(i);
    if (code < 0xdc00 || code > 0xdfff) n++;
  }
  return n;
}

/** Characters of text this transaction added, among the client ids the update carried. */
function countInserted(doc: Y.Doc, transaction: Y.Transaction, clients: Set<number>): { inserted: number; newClients: number[] } {
  let inserted = 0;
  const newClients: number[] = [];
  for (const client of clients) {
    const before = transaction.beforeState.get(client) ?? 0;
    const after = transaction.afterState.get(client) ?? 0;
    if (after <= before) continue;
    newClients.push(client);
    const structs = doc.store.clients.get(client);
    if (!structs) continue;
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const struct = structs[i]!;
      const start = struct.id.clock;
      if (start >= after) break;
      if (struct instanceof Y.Item && struct.content instanceof Y.ContentString) {
        const from = Math.max(before, start) - start;
        const to = Math.min(after, start + struct.length) - start;
        inserted += chars(struct.content.str, from, to);
      }
    }
  }
  return { inserted, newClients };
}

/** Characters of text this transaction deleted (the items still hold their content until cleanup). */
function countDeleted(doc: Y.Doc, deleteSet: Y.Transaction['deleteSet']): number {
  let deleted = 0;
  for (const [client, ranges] of deleteSet.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs) continue;
    for (const { clock, len } of ranges) {
      const end = clock + len;
      for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
        const struct = structs[i]!;
        const start = struct.id.clock;
        if (start >= end) break;
        if (struct instanceof Y.Item && struct.content instanceof Y.ContentString) {
          const from = Math.max(clock, start) - start;
          const to = Math.min(end, start + struct.length) - start;
          deleted += chars(struct.content.str, from, to);
        }
      }
    }
  }
  return deleted;
}
