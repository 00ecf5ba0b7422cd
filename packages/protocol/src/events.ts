import type { Article } from './articles.ts';
import type { ErrorBody } from './errors.ts';

/** The result an `ack` callback receives: ok with a payload, or a typed error. */
export type AckResult<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ErrorBody };

/** How many people are in an article right now (desk badges). */
export interface ArticlePresenceCount {
  articleId: string;
  editors: number;
}

/** Server → client Socket.IO events. */
export interface ServerToClientEvents {
  'article:created': (article: Article) => void;
  'article:updated': (article: Article) => void;
  'article:presence': (count: ArticlePresenceCount) => void;
}

/** Client → server Socket.IO events. */
export interface ClientToServerEvents {
  /** Join the newsroom desk feed (writers and leads). */
  'desk:subscribe': (ack: (result: AckResult<{ articles: Article[]; presence: ArticlePresenceCount[] }>) => void) => void;
  'desk:unsubscribe': () => void;
}

/** Room names, built in one place so server modules agree. */
export const Rooms = {
  desk: 'desk',
  article: (articleId: string) => `article:${articleId}`,
} as const;
