import type { Logger } from 'pino';
import type { ScheduleStore } from '../storage/store.ts';
import type { ArticleService } from './articles.ts';

/** How long a claim on a due schedule lasts: a publish that has not finished by then is retried. */
const CLAIM_MS = 60_000;

/**
 * Publishes scheduled articles when they fall due, exactly once however many instances run and
 * across restarts: every instance polls the store, and a due schedule is published by whichever
 * instance claims it (the claim is atomic in the store; an instance that dies holding one lets it
 * expire and another publishes). The schedule lives in the store, so a restart loses nothing.
 */
export class PublishScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly schedules: ScheduleStore,
    private readonly articles: ArticleService,
    private readonly log: Logger,
    private readonly options: { owner: string; pollMs: number },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.options.pollMs);
    this.timer.unref();
    void this.tick();
  }

  /** One pass: claims and publishes whatever is due now (never two passes at once). */
  tick(): Promise<void> {
    this.running ??= this.publishDue().finally(() => (this.running = null));
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async publishDue(): Promise<void> {
    let due;
    try {
      due = await this.schedules.due(Date.now());
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'reading due schedules failed; trying again');
      return;
    }
    for (const schedule of due) {
      const now = Date.now();
      try {
        if (!(await this.schedules.claim(schedule.articleId, this.options.owner, now, now + CLAIM_MS))) continue;
        if (await this.articles.publishScheduled(schedule)) this.log.info({ articleId: schedule.articleId, publishAt: schedule.publishAt }, 'published as scheduled');
      } catch (error) {
        // The claim expires and the next pass (here or on another instance) tries again.
        this.log.error({ err: error, articleId: schedule.articleId }, 'scheduled publish failed');
      }
    }
  }
}
