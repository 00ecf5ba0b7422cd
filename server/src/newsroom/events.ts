import { EventEmitter } from 'node:events';
import type { Article, ArticlePresenceCount, Transition } from '@copydesk/protocol';

/** In-process newsroom events that realtime modules fan out (Socket.IO now, Redis across instances later). */
export interface NewsroomEventMap {
  'article:created': [Article];
  'article:updated': [Article];
  'article:presence': [ArticlePresenceCount];
  'article:transition': [Transition];
}

export class NewsroomEvents extends EventEmitter<NewsroomEventMap> {}
