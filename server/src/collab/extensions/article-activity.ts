import type { Logger } from 'pino';
import type { ArticleService } from '../../newsroom/articles.ts';
import { ORIGIN_REMOTE, ORIGIN_STORE, type CollabExtension, type DocContext } from '../types.ts';

/** Keeps the article row's headline, dek and word count in step with the doc, debounced. */
export class ArticleActivityExtension implements CollabExtension {
  readonly name = 'article-activity';
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly articles: ArticleService,
    private readonly log: Logger,
    private readonly debounceMs = 500,
  ) {}

  onChange({ articleId, doc, origin }: DocContext & { origin: unknown }): void {
    // Relayed updates are mirrored by the instance that received them.
    if (origin === ORIGIN_STORE || origin === ORIGIN_REMOTE || this.timers.has(articleId)) return;
    this.timers.set(
      articleId,
      setTimeout(() => {
        this.timers.delete(articleId);
        this.articles.syncFromDoc(articleId, doc).catch((err) => this.log.error({ err, articleId }, 'article sync failed'));
      }, this.debounceMs),
    );
  }

  async onStore({ articleId, doc }: DocContext): Promise<void> {
    const timer = this.timers.get(articleId);
    if (!timer) return;
    clearTimeout(timer);
    this.timers.delete(articleId);
    await this.articles.syncFromDoc(articleId, doc);
  }
}
