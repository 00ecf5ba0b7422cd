import type { Logger } from 'pino';
import type { Transition } from '@copydesk/protocol';
import { readOnlyReason } from '../../auth/permissions.ts';
import type { NewsroomEvents } from '../../newsroom/events.ts';
import type { DocHost } from '../../newsroom/doc-host.ts';
import type { RedisConnection } from '../../storage/redis/connection.ts';
import type { RedisStore } from '../../storage/redis/redis-store.ts';

interface PermissionMessage {
  origin: string;
  articleId: string;
}

/**
 * Live permissions across instances: when an article changes status on one instance (approved →
 * locked for writers, back to editing → unlocked), every other instance re-applies read-only to the
 * /collab sockets it holds for that article, as ArticleService does for its own.
 */
export class LivePermissionsRelay {
  private subscriber: RedisConnection | null = null;
  private readonly onTransition = (transition: Transition) => {
    const message: PermissionMessage = { origin: this.store.originTag, articleId: transition.articleId };
    this.store.client.publish(this.channel, JSON.stringify(message)).catch((err) => this.log.warn({ err, articleId: transition.articleId }, 'could not announce a status change to other instances'));
  };

  constructor(
    private readonly store: RedisStore,
    private readonly events: NewsroomEvents,
    private readonly docs: () => DocHost,
    private readonly log: Logger,
  ) {}

  private get channel(): string {
    return this.store.keys.channel('permissions');
  }

  async start(): Promise<void> {
    this.subscriber = await this.store.duplicate('permissions', { failFast: false });
    await this.subscriber.subscribe(this.channel, (raw) => void this.receive(raw));
    this.events.on('article:transition', this.onTransition);
  }

  async stop(): Promise<void> {
    this.events.off('article:transition', this.onTransition);
    this.subscriber?.destroy();
  }

  private async receive(raw: string): Promise<void> {
    let message: PermissionMessage;
    try {
      message = JSON.parse(raw) as PermissionMessage;
    } catch {
      return;
    }
    if (message.origin === this.store.originTag) return;
    const connections = this.docs().connections(message.articleId);
    if (connections.length === 0) return;
    const article = await this.store.articles.get(message.articleId).catch(() => null);
    if (!article) return;
    for (const connection of connections) {
      const reason = readOnlyReason(connection.user.role, article.status);
      this.docs().setReadOnly(connection, reason !== null, reason);
    }
  }
}
