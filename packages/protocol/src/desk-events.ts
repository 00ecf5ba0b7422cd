import type { Article, Transition } from './articles.ts';
import type { Ack } from './events.ts';

/** How many people are in an article right now (desk badges). */
export interface ArticlePresenceCount {
  articleId: string;
  editors: number;
}

export interface DeskServerEvents {
  /** To the desk room: a new article. */
  'article:created': (article: Article) => void;
  /** To the desk room and the article's room: status or metadata changed. */
  'article:updated': (article: Article) => void;
  /** To the article's room: a workflow step (or a restore) was recorded. */
  'article:transition': (transition: Transition) => void;
  /** To the desk room: the number of people in an article changed. */
  'article:presence': (count: ArticlePresenceCount) => void;
}

export interface DeskClientEvents {
  /** Join the newsroom desk feed (writers and leads). */
  'desk:subscribe': (ack: Ack<{ articles: Article[]; presence: ArticlePresenceCount[] }>) => void;
  'desk:unsubscribe': () => void;
  /** Follow one article's metadata and timeline live (writers and leads). */
  'article:subscribe': (input: { articleId: string }, ack: Ack<{ article: Article }>) => void;
  'article:unsubscribe': (input: { articleId: string }) => void;
}
