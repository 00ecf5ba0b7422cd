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
  /** Awareness client ids this socket has announced (removed when it closes). */
  readonly awarenessIds: ReadonlySet<number>;
}

/** Where an applied update came from: a client connection, the store, or another instance. */
export type UpdateOrigin = CollabConnection | typeof ORIGIN_STORE | typeof ORIGIN_REMOTE | typeof ORIGIN_SERVER;
export const ORIGIN_STORE = Symbol('store');
export const ORIGIN_REMOTE = Symbol('remote');
export const ORIGIN_SERVER = Symbol('server');

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
  /** Called for every update applied to a loaded doc, whatever its origin. */
  onChange?(ctx: DocContext & { update: Uint8Array; origin: UpdateOrigin }): void;
  /** Make the doc durable: before it unloads and on shutdown. */
  onStore?(ctx: DocContext & { reason: 'unload' | 'shutdown' }): Promise<void>;
  onDisconnect?(ctx: DocContext & { connection: CollabConnection }): void;
  onUnload?(ctx: { articleId: string }): void;
  /** Release resources after every doc was stored at shutdown. */
  onDestroy?(): Promise<void>;
}
