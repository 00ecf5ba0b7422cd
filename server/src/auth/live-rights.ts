import type { Logger } from 'pino';
import type { RedisConnection } from '../storage/redis/connection.ts';
import { reconnectDelay } from '../storage/redis/connection.ts';
import type { RedisStore } from '../storage/redis/redis-store.ts';

/** Something that holds open connections of people and can re-check their rights (the collab server, Socket.IO). */
export interface RightsHolder {
  /** Re-checks every open connection of `userId` on this instance: closes or downgrades those that lost rights. */
  recheckUser(userId: string): Promise<void>;
  /** Re-checks every open connection to `articleId` on this instance (its status changed). */
  recheckArticle?(articleId: string): Promise<void>;
}

/** Whose rights changed: a person's (every connection of theirs), or an article's (every connection to it). */
export interface RightsChange {
  kind: 'user' | 'article';
  id: string;
}

/** How a rights change reaches every instance: in-process alone, a Redis stream in Redis mode. */
export interface RightsChannel {
  publish(change: RightsChange): Promise<void>;
  start(onChange: (change: RightsChange) => void): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Rights follow the person onto their open connections, live, on every instance. Call
 * `userChanged(userId)` after anything that changes what a person may do (logout, password change,
 * role change, deactivation, an API token revoked): every instance re-runs the authentication of
 * that person's open /collab and Socket.IO connections with the credentials each one opened with.
 * A /collab connection whose credentials no longer resolve closes with 4401 (4403 when the new
 * role may not open the article), one whose role now makes the article read-only turns read-only
 * with a status message; a Socket.IO socket that lost its credentials or changed role is
 * disconnected.
 */
export class LiveRights {
  private readonly holders: Array<() => RightsHolder | null> = [];

  constructor(
    private readonly channel: RightsChannel,
    private readonly log: Logger,
  ) {}

  /** Registers a holder (looked up lazily: the servers are built after the services). */
  hold(holder: () => RightsHolder | null): void {
    this.holders.push(holder);
  }

  async start(): Promise<void> {
    await this.channel.start((change) => void this.recheckHere(change));
  }

  stop(): Promise<void> {
    return this.channel.stop();
  }

  /** This instance re-checks at once; the others when the change reaches them. */
  async userChanged(userId: string): Promise<void> {
    await Promise.all([this.recheckHere({ kind: 'user', id: userId }), this.announce({ kind: 'user', id: userId })]);
  }

  /**
   * An article's status changed here (ArticleService already switched this instance's editors):
   * the other instances re-check their connections to it (live read-only switches).
   */
  articleChanged(articleId: string): Promise<void> {
    return this.announce({ kind: 'article', id: articleId });
  }

  private announce(change: RightsChange): Promise<void> {
    return this.channel.publish(change).catch((err) => this.log.error({ err, change }, 'could not announce a rights change to other instances'));
  }

  private async recheckHere(change: RightsChange): Promise<void> {
    await Promise.all(
      this.holders.map(async (lookup) => {
        try {
          const holder = lookup();
          if (change.kind === 'user') await holder?.recheckUser(change.id);
          else await holder?.recheckArticle?.(change.id);
        } catch (err) {
          this.log.error({ err, change }, 're-checking open connections failed');
        }
      }),
    );
  }
}

/** One instance: changes are applied where they happen. */
export class LocalRightsChannel implements RightsChannel {
  async publish(): Promise<void> {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

/**
 * Redis mode: rights changes on a Redis stream (not pub/sub), read from the last id this instance
 * saw, so a reader that lost its connection reads what it missed when it is back.
 */
export class RedisRightsChannel implements RightsChannel {
  private reader: RedisConnection | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly store: RedisStore,
    private readonly log: Logger,
    private readonly options: { blockMs?: number; maxLen?: number } = {},
  ) {}

  private get key(): string {
    return this.store.keys.channel('rights-stream');
  }

  async publish(change: RightsChange): Promise<void> {
    await this.store.client.xAdd(this.key, '*', { origin: this.store.originTag, kind: change.kind, id: change.id }, { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: this.options.maxLen ?? 10_000 } });
  }

  async start(onChange: (change: RightsChange) => void): Promise<void> {
    this.reader = await this.store.duplicate('rights', { failFast: true });
    const last = await this.store.client.xRevRange(this.key, '+', '-', { COUNT: 1 });
    let lastId = String(last[0]?.id ?? '0-0');
    const reader = this.reader;
    this.loop = (async () => {
      let retries = 0;
      let failing = false;
      while (!this.stopped) {
        let result: Awaited<ReturnType<typeof reader.xRead>>;
        try {
          result = await reader.xRead([{ key: this.key, id: lastId }], { BLOCK: this.options.blockMs ?? 5_000, COUNT: 1_000 });
          retries = 0;
          if (failing) this.log.info('rights relay reading again');
          failing = false;
        } catch (error) {
          if (this.stopped) return;
          if (!failing) this.log.warn({ err: (error as Error).message }, 'rights relay cannot read from Redis; retrying with back-off');
          failing = true;
          await new Promise((r) => setTimeout(r, reconnectDelay(retries++)));
          continue;
        }
        if (!result) continue;
        for (const stream of result as Array<{ messages: Array<{ id: string; message: Record<string, string> }> }>) {
          for (const { id, message } of stream.messages) {
            lastId = String(id);
            if (String(message.origin) === this.store.originTag) continue;
            const kind = String(message.kind);
            if (kind === 'user' || kind === 'article') onChange({ kind, id: String(message.id) });
          }
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.reader?.destroy();
    await this.loop?.catch(() => undefined);
  }
}
