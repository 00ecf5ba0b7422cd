/**
 * WebSocket close codes of the `/collab` endpoint. 4xxx mirror their HTTP cousins so that
 * logs read naturally; 1001/1009 are the standard RFC 6455 codes.
 */
export const CloseCode = {
  /** Server shutting down or doc unloading: reconnect elsewhere. */
  goingAway: 1001,
  /** The server failed (a store it could not load from, an unexpected fault): reconnect and resync. */
  internalError: 1011,
  /** A frame larger than the configured limit (MAX_MESSAGE_BYTES). */
  tooLarge: 1009,
  /** A frame that is not a valid y-websocket message or Yjs update. */
  malformed: 4400,
  /** No valid session cookie on the upgrade request. */
  unauthenticated: 4401,
  /** Logged in but not allowed to open this article. */
  forbidden: 4403,
  /** No such article. */
  unknownArticle: 4404,
  /** The document would grow past MAX_DOC_BYTES; the update was not applied. */
  docTooLarge: 4413,
  /** Too many connections for this user or address. */
  tooManyConnections: 4429,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Path prefix of the y-websocket endpoint: `ws://host/collab/<articleId>`. */
export const COLLAB_PATH = '/collab';

/**
 * Query parameter a client sets (`?cdk=1`) to receive Copydesk's own messages (status 100 and
 * saved 101, see `collab/messages.ts`). Without it the server speaks plain y-websocket, so a stock
 * `WebsocketProvider` never sees a message type it does not know.
 */
export const COLLAB_CUSTOM_MESSAGES_PARAM = 'cdk';

/**
 * y-websocket message types. 0–3 are the standard ones (sync, awareness, auth,
 * queryAwareness); Copydesk adds one of its own that stock providers ignore.
 */
export const CollabMessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /** Server → client JSON status: {readOnly, reason}; see CollabStatus. */
  status: 100,
  /**
   * Server → client save state: `varUint(durableUpdates)` then `varUint(flags)`. `durableUpdates`
   * counts the update-bearing frames (sync step 2 and update messages) this socket has sent whose
   * content is now durable in the server's store; a client that counts what it sent on the socket
   * is "Saved" when the two match. Flag bit 0 (`SAVE_FLAG_STORAGE_UNAVAILABLE`) says the server
   * cannot write to its store right now (it holds the updates and retries). Sent when a connection
   * opens and as writes complete (throttled, the latest state always goes out).
   */
  saved: 101,
} as const;

/** `CollabMessageType.saved` flag: the server cannot write to its store right now (it holds updates and retries). */
export const SAVE_FLAG_STORAGE_UNAVAILABLE = 1;

/** Payload of a `CollabMessageType.status` message (a JSON string). */
export interface CollabStatus {
  readOnly: boolean;
  /** Why the connection is read-only, for the UI ("Approved articles are locked…"). */
  reason: string | null;
}
