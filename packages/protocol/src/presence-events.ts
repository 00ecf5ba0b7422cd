import type { Ack } from './events.ts';
import type { PresenceArticle, PresenceChangedEvent, PresenceSnapshot } from './presence.ts';

/** Presence over Socket.IO: the leads' board and the people list of one article. */
export interface PresenceServerEvents {
  /**
   * To the presence board room (every article) and to each article's presence room (that
   * article only): what changed, throttled to a few batches per second per article.
   */
  'presence:changed': (event: PresenceChangedEvent) => void;
}

export interface PresenceClientEvents {
  /** Leads only: join the presence board; the ack carries the whole board, then `presence:changed` follows. */
  'presence:subscribe': (ack: Ack<{ snapshot: PresenceSnapshot }>) => void;
  'presence:unsubscribe': () => void;
  /**
   * Follow the people in one article (writers and leads who may open it); the ack carries the
   * article's presence now, then `presence:changed` follows for that article.
   */
  'presence:watch': (input: { articleId: string }, ack: Ack<{ article: PresenceArticle }>) => void;
  'presence:unwatch': (input: { articleId: string }) => void;
}
