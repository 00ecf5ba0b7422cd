import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

/** Every configuration knob of the server, validated once at start-up. */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Seed the demo newsroom into an empty store; defaults to on unless NODE_ENV=production. */
  SEED_DEMO: bool.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Directory of the built client (served at /); empty disables static serving. */
  CLIENT_DIST: z.string().optional(),
  /** Largest accepted WebSocket frame on /collab, in bytes; bigger frames close with 1009. */
  MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  /** Largest single Yjs update (sync step 2 or update message); bigger ones close with 1009. */
  MAX_UPDATE_BYTES: z.coerce.number().int().min(1024).default(2 * 1024 * 1024),
  /** Largest document (snapshot plus log, as stored); updates past it are refused with 4413. */
  MAX_DOC_BYTES: z.coerce.number().int().min(1024).default(50 * 1024 * 1024),
  /** Largest awareness update one client may send; bigger ones close with 1009. */
  MAX_AWARENESS_BYTES: z.coerce.number().int().min(128).default(16 * 1024),
  /** Open /collab connections allowed per user and per client address (4429 beyond). */
  MAX_CONNECTIONS_PER_USER: z.coerce.number().int().min(1).default(20),
  MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).default(100),
  /** Largest accepted JSON request body. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(100 * 1024),
  /**
   * How long pending doc updates may wait before they are written to the store. Defaults to 100 ms
   * embedded and 0 with Redis (write as soon as the previous write returns: the stream is also the relay).
   */
  PERSIST_INTERVAL_MS: z.coerce.number().int().min(0).max(1000).optional(),
  /** Redis mode: `redis://[user:password@]host:port[/db]` (or rediss://). Unset: the embedded SQLite store. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')
    .optional(),
  /** Prefix of every Redis key, so several newsrooms (or test runs) can share one Redis. */
  REDIS_PREFIX: z.string().min(1).max(100).default('copydesk:'),
  /** This process's name in the cluster (origin tag of its doc updates, presence heartbeat); default: host name + random suffix. */
  INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'letters, digits and . _ : - only')
    .optional(),
  /** Redis mode: how often an instance refreshes its presence heartbeat; its editors vanish from boards INSTANCE_TTL_MS after the last one. */
  INSTANCE_HEARTBEAT_MS: z.coerce.number().int().min(100).default(5_000),
  INSTANCE_TTL_MS: z.coerce.number().int().min(300).default(15_000),
  /** Compact a doc's update log into one snapshot after this many updates. */
  COMPACT_AFTER_UPDATES: z.coerce.number().int().min(1).default(500),
  /** Unload a doc this long after its last connection closed. */
  DOC_IDLE_UNLOAD_MS: z.coerce.number().int().min(0).default(30_000),
  /** Take an "Autosave" version this often while an article is being edited. */
  VERSION_INTERVAL_MS: z.coerce.number().int().min(1000).default(10 * 60 * 1000),
  /** How often each instance looks for scheduled articles that fell due. */
  SCHEDULE_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  /** Public base URL for Open Graph links on reader pages (e.g. https://news.example.com). */
  PUBLIC_URL: z.url().optional(),
  /**
   * Ping interval for /collab sockets; a socket that misses a pong is dropped (within two
   * intervals), and with it the person's presence: the default keeps a silent drop under 30 s.
   */
  WS_HEARTBEAT_MS: z.coerce.number().int().min(100).default(10_000),
  /** Presence: without typing or moving for this long, a person turns from active to idle. */
  PRESENCE_IDLE_MS: z.coerce.number().int().min(100).default(60_000),
  /** Presence board: at most one batch of changes per this many ms (a few per second per article). */
  PRESENCE_BOARD_THROTTLE_MS: z.coerce.number().int().min(10).max(1000).default(250),
  /** Sessions expire after this much inactivity. */
  SESSION_IDLE_MS: z.coerce.number().int().min(1000).default(12 * 60 * 60 * 1000),
  /** Login attempts allowed per IP and per username within LOGIN_RATE_WINDOW_S. */
  LOGIN_RATE_PER_IP: z.coerce.number().int().min(1).default(30),
  LOGIN_RATE_PER_USERNAME: z.coerce.number().int().min(1).default(10),
  LOGIN_RATE_WINDOW_S: z.coerce.number().int().min(1).default(300),
  /** Reader sign-ups allowed per IP within SIGNUP_RATE_WINDOW_S (drive-by account farming). */
  SIGNUP_RATE_PER_IP: z.coerce.number().int().min(1).default(5),
  SIGNUP_RATE_WINDOW_S: z.coerce.number().int().min(1).default(3600),
  /** Extra browser origins allowed to use the API, /collab and Socket.IO with cookies (comma-separated); the app's own host is always allowed. */
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.url({ error: 'ALLOWED_ORIGINS must be comma-separated URLs' }))),
  /** Bearer token that /metrics requires; without it /metrics is refused in production. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  /** Reader comments one person may post per COMMENT_RATE_WINDOW_S (the next one is rate_limited). */
  COMMENT_RATE_PER_USER: z.coerce.number().int().min(1).default(5),
  /** Reader comments one IP address may post per COMMENT_RATE_WINDOW_S (several people behind one address). */
  COMMENT_RATE_PER_IP: z.coerce.number().int().min(1).default(30),
  COMMENT_RATE_WINDOW_S: z.coerce.number().int().min(1).default(30),
  /**
   * How many reverse proxies in front of us to trust, as a hop count: `true` is one (the shipped
   * nginx), `false` or `0` none, a number that many. The client address is the X-Forwarded-For
   * entry that many hops from our socket (entries a client wrote itself further left are ignored);
   * X-Forwarded-Proto marks cookies Secure over HTTPS.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx) => {
      const named = { true: 1, yes: 1, on: 1, false: 0, no: 0, off: 0 }[v.toLowerCase()];
      if (named !== undefined) return named;
      if (/^\d{1,2}$/.test(v)) return Number(v);
      ctx.addIssue({ code: 'custom', message: 'TRUST_PROXY must be true, false or a number of proxy hops' });
      return z.NEVER;
    }),
  /** Grace period for graceful shutdown before sockets are cut. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
});
export type Env = z.infer<typeof EnvSchema> & { SEED_DEMO: boolean; PERSIST_INTERVAL_MS: number; INSTANCE_ID: string };

export class EnvError extends Error {}

/** Parses the environment; throws EnvError listing every bad variable. */
export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = issue.path.join('.');
      return `  ${key}=${JSON.stringify(source[key] ?? '')}: ${issue.message}`;
    });
    throw new EnvError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = result.data;
  return {
    ...env,
    SEED_DEMO: env.SEED_DEMO ?? env.NODE_ENV !== 'production',
    PERSIST_INTERVAL_MS: env.PERSIST_INTERVAL_MS ?? (env.REDIS_URL ? 0 : 100),
    INSTANCE_ID: env.INSTANCE_ID ?? `${hostname()}-${randomBytes(3).toString('hex')}`,
  };
}

/** parseEnv for main.ts: prints every bad variable and exits 1. */
export function parseEnvOrExit(source: NodeJS.ProcessEnv): Env {
  try {
    return parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
