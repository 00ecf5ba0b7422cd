import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { CloseCode } from '@copydesk/protocol';
import type { UserRecord } from '../storage/store.ts';

/** Thrown by the authenticate hook to refuse a connection with a close code. */
export class CollabRejection extends Error {
  constructor(
    readonly code: CloseCode,
    message: string,
  ) {
    super(message);
  }
}

export interface AuthResult {
  user: UserRecord;
  readOnly: boolean;
  readOnlyReason: string | null;
}

/** One open /collab socket, as extensions see it. */
export interface CollabConnection {
  readonly id: string;
  readonly articleId: string;
  readonly user: UserRecord;
  readonly readOnly: boolean;
  readonly readOnlyReason: string | null;
  /** The client asked for Copydesk's own messages (`?cdk=1`): only then are status and saved sent. */
  readonly customMessages: boolean;
  /** Awareness client ids this socket has announced (removed when it closes). */
  readonly awarenessIds: ReadonlySet<number>;
  /** Update-bearing frames (sync step 2 and update messages) received on this socket, applied or not. */
  readonly updatesReceived: number;
  /** Of those, the frames applied in full (including frames that changed nothing). */
  readonly updatesApplied: number;
  /** Of those, the frames refused, never applied in full: read-only, or content under someone else's identity. */
  readonly updatesRefused: number;
  /** Why the last refused frame was refused, in words for the writer. */
  readonly refusedReason: string | null;
  /** Sends one encoded y-websocket message to this socket (dropped when it is not open). */
  send(message: Uint8Array): void;
}

/** Where an applied update came from: a client connection, the store, or another instance. */
export type UpdateOrigin = CollabConnection | typeof ORIGIN_STORE | typeof ORIGIN_REMOTE | typeof ORIGIN_SERVER;
export const ORIGIN_STORE = Symbol('store');
export const ORIGIN_REMOTE = Symbol('remote');
export const ORIGIN_SERVER = Symbol('server');

/** A Yjs update as Y.decodeUpdate returns it (the collab server decodes every client update to validate it). */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

export interface DocContext {
  articleId: string;
  doc: Y.Doc;
  awareness: Awareness;
}

/**
 * Lifecycle hooks, in the spirit of Hocuspocus extensions: persistence, presence, relays and
 * metrics are each one module implementing some of them, registered in server.ts.
 */
export interface CollabExtension {
  readonly name: string;
  /** Fill a freshly created doc (e.g. from the store) before any client sees it. */
  onLoad?(ctx: DocContext): Promise<void>;
  onConnect?(ctx: DocContext & { connection: CollabConnection }): void;
  /** After every update-bearing frame from a connection (sync step 2 or update), whether it changed the doc, was a no-op or was refused (see the connection's counters). */
  onUpdateMessage?(ctx: DocContext & { connection: CollabConnection }): void;
  /** Called for every update applied to a loaded doc, whatever its origin. */
  onChange?(ctx: DocContext & { update: Uint8Array; origin: UpdateOrigin }): void;
  /**
   * A client's update, decoded and valid, before it is applied: throw CollabRejection to refuse it
   * (nothing is applied and the connection closes with that code), or return client ids whose
   * structs must be left out (the rest of the update still applies). Runs on every edit: keep it cheap.
   */
  onClientUpdate?(ctx: DocContext & { connection: CollabConnection; update: Uint8Array; decoded: DecodedUpdate }): void | { dropClients: number[] };
  /**
   * Awareness states changed, before the change is broadcast: `connection` is the client that sent
   * it (null for removals by the server: a closed socket, a timed-out state). Extensions may
   * correct the states of `added`/`updated` ids in place (`awareness.getStates()`); the corrected
   * states are what every client receives.
   */
  onAwareness?(ctx: DocContext & { connection: CollabConnection | null; added: number[]; updated: number[]; removed: number[] }): void;
  /** Make the doc durable: before it unloads and on shutdown. */
  onStore?(ctx: DocContext & { reason: 'unload' | 'shutdown' }): Promise<void>;
  onDisconnect?(ctx: DocContext & { connection: CollabConnection }): void;
  onUnload?(ctx: { articleId: string }): void;
  /** Release resources after every doc was stored at shutdown. */
  onDestroy?(): Promise<void>;
}
