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
  /** Largest accepted JSON request body. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(100 * 1024),
  /** How long pending doc updates may wait before they are written to the store. */
  PERSIST_INTERVAL_MS: z.coerce.number().int().min(1).max(1000).default(100),
  /** Compact a doc's update log into one snapshot after this many updates. */
  COMPACT_AFTER_UPDATES: z.coerce.number().int().min(1).default(500),
  /** Unload a doc this long after its last connection closed. */
  DOC_IDLE_UNLOAD_MS: z.coerce.number().int().min(0).default(30_000),
  /** Take an "Autosave" version this often while an article is being edited. */
  VERSION_INTERVAL_MS: z.coerce.number().int().min(1000).default(10 * 60 * 1000),
  /** Public base URL for Open Graph links on reader pages (e.g. https://news.example.com). */
  PUBLIC_URL: z.url().optional(),
  /** Ping interval for /collab sockets; a socket that misses a pong is dropped. */
  WS_HEARTBEAT_MS: z.coerce.number().int().min(100).default(15_000),
  /** Sessions expire after this much inactivity. */
  SESSION_IDLE_MS: z.coerce.number().int().min(1000).default(12 * 60 * 60 * 1000),
  /** Login attempts allowed per IP and per username within LOGIN_RATE_WINDOW_S. */
  LOGIN_RATE_PER_IP: z.coerce.number().int().min(1).default(30),
  LOGIN_RATE_PER_USERNAME: z.coerce.number().int().min(1).default(10),
  LOGIN_RATE_WINDOW_S: z.coerce.number().int().min(1).default(300),
  /** Trust X-Forwarded-* from a reverse proxy (and mark cookies Secure over HTTPS). */
  TRUST_PROXY: bool.default(false),
  /** Grace period for graceful shutdown before sockets are cut. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
});
export type Env = z.infer<typeof EnvSchema> & { SEED_DEMO: boolean };

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
  return { ...env, SEED_DEMO: env.SEED_DEMO ?? env.NODE_ENV !== 'production' };
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
