import type { ErrorBody } from './errors.ts';
import type { DeskClientEvents, DeskServerEvents } from './desk-events.ts';
import type { CommentClientEvents, CommentServerEvents } from './comment-events.ts';
import type { PresenceClientEvents, PresenceServerEvents } from './presence-events.ts';

/** The result an `ack` callback receives: ok with a payload, or a typed error. */
export type AckResult<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ErrorBody };
export type Ack<T extends object = object> = (result: AckResult<T>) => void;

/**
 * Socket.IO event maps, composed from one file per feature. The server is
 * `Server<ClientToServerEvents, ServerToClientEvents>`, the client `Socket<ServerToClientEvents, ClientToServerEvents>`.
 */
export interface ServerToClientEvents extends DeskServerEvents, CommentServerEvents, PresenceServerEvents {}
export interface ClientToServerEvents extends DeskClientEvents, CommentClientEvents, PresenceClientEvents {}

/** Room names, built in one place so server modules agree. */
export const Rooms = {
  desk: 'desk',
  /** Editorial events of one article (metadata, transitions): writers and leads. */
  article: (articleId: string) => `article:${articleId}`,
  /** Public reader comments of one article. */
  comments: (articleId: string) => `comments:${articleId}`,
  /** Editorial comments of one article: writers and leads (a room of its own, so leaving it never drops the desk's article feed). */
  editorial: (articleId: string) => `editorial:${articleId}`,
  moderation: 'moderation',
  presenceBoard: 'presence-board',
  /** Presence of one article (its people list in the editor). */
  presence: (articleId: string) => `presence:${articleId}`,
  user: (userId: string) => `user:${userId}`,
} as const;
