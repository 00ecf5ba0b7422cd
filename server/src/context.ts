import type { Logger } from 'pino';
import type { Env } from './env.ts';
import type { Store } from './storage/store.ts';
import type { SessionService } from './auth/sessions.ts';
import type { ArticleService } from './newsroom/articles.ts';
import type { NewsroomEvents } from './newsroom/events.ts';
import type { VersionService } from './newsroom/versions.ts';
import type { People } from './newsroom/people.ts';
import type { PresenceBoard } from './presence/board.ts';
import type { CommentService } from './newsroom/comments.ts';
import type { EditorialService } from './newsroom/comments-editorial.ts';
import type { TokenService } from './auth/tokens.ts';
import type { OriginPolicy } from './http/origin.ts';
import type { Metrics } from './metrics/metrics.ts';
import type { LiveRights } from './auth/live-rights.ts';
import type { LimiterFactory } from './http/limiters.ts';

/** The services a request handler or realtime module may use; built once in server.ts. */
export interface AppContext {
  env: Env;
  log: Logger;
  store: Store;
  sessions: SessionService;
  tokens: TokenService;
  origins: OriginPolicy;
  metrics: Metrics;
  articles: ArticleService;
  events: NewsroomEvents;
  versions: VersionService;
  people: People;
  /** Edit presence of every article (leads' board, editors' people lists). */
  presenceBoard: PresenceBoard;
  /** Reader comments and moderation; editorial comments and notifications. */
  comments: CommentService;
  editorial: EditorialService;
  /** Call `rights.userChanged(userId)` after anything that changes what a person may do: their open connections follow, on every instance. */
  rights: LiveRights;
  /** Every rate limiter: in memory on one instance, shared in Redis across instances. */
  limiters: LimiterFactory;
}
