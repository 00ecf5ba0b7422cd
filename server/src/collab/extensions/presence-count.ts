import type { ArticlePresenceCount } from '@copydesk/protocol';
import type { NewsroomEvents } from '../../newsroom/events.ts';
import type { CollabConnection, CollabExtension, DocContext } from '../types.ts';

/** Counts distinct people in each article (for desk badges) and announces changes. */
export class PresenceCountExtension implements CollabExtension {
  readonly name = 'presence-count';
  private readonly usersByArticle = new Map<string, Map<string, number>>();

  constructor(private readonly events: NewsroomEvents) {}

  onConnect({ articleId, connection }: DocContext & { connection: CollabConnection }): void {
    const users = this.usersByArticle.get(articleId) ?? new Map<string, number>();
    this.usersByArticle.set(articleId, users);
    const before = users.size;
    users.set(connection.user.id, (users.get(connection.user.id) ?? 0) + 1);
    if (users.size !== before) this.announce(articleId, users.size);
  }

  onDisconnect({ articleId, connection }: DocContext & { connection: CollabConnection }): void {
    const users = this.usersByArticle.get(articleId);
    if (!users) return;
    const tabs = (users.get(connection.user.id) ?? 1) - 1;
    if (tabs > 0) return void users.set(connection.user.id, tabs);
    users.delete(connection.user.id);
    if (users.size === 0) this.usersByArticle.delete(articleId);
    this.announce(articleId, users.size);
  }

  counts(): ArticlePresenceCount[] {
    return [...this.usersByArticle].map(([articleId, users]) => ({ articleId, editors: users.size }));
  }

  private announce(articleId: string, editors: number): void {
    this.events.emit('article:presence', { articleId, editors });
  }
}
