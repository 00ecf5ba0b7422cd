import { EventEmitter } from 'node:events';
import type {
  Comment,
  CommentCount,
  CommentMode,
  CommentRemoved,
  EditorialComment,
  ModerationItem,
  ModerationResolved,
  Notification,
} from '@copydesk/protocol';

/**
 * What the comment services announce; the realtime module turns each into one Socket.IO emit to
 * one room (or two), never a loop over readers. Each event names its audience.
 */
export interface CommentEventMap {
  /** Everyone following the article: a comment became visible (posted published, or approved). */
  'reader:created': [Comment];
  /** Everyone following the article: a visible comment was edited. */
  'reader:updated': [Comment];
  /** Everyone following the article (and the author's sockets), except the author when `exceptAuthor`. */
  'reader:removed': [CommentRemoved & { authorId: string; audience: 'everyone' | 'author' }];
  /** Only the author's sockets: their own pending comment was created or changed. */
  'reader:own': [{ authorId: string; comment: Comment; kind: 'created' | 'updated' }];
  'reader:count': [CommentCount];
  'reader:mode': [{ articleId: string; mode: CommentMode }];
  'moderation:queued': [ModerationItem];
  'moderation:resolved': [ModerationResolved];
  'editorial:created': [EditorialComment];
  'editorial:updated': [EditorialComment];
  'editorial:deleted': [{ id: string; articleId: string }];
  'notification:created': [{ userId: string; notification: Notification; unread: number }];
  'notifications:unread': [{ userId: string; unread: number }];
}

export class CommentEvents extends EventEmitter<CommentEventMap> {}
