/**
 * The Redis key layout. Everything lives under one prefix; per-doc keys share a hash tag
 * (`{doc:<id>}`) so a doc's stream, counter and snapshot sit in one slot and its scripts stay atomic.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  user = (id: string) => `${this.prefix}user:${id}`;
  /** username (lower-cased) → user id; SET NX keeps usernames unique regardless of case. */
  username = (username: string) => `${this.prefix}username:${username.toLowerCase()}`;
  users = () => `${this.prefix}users`;
  /** The layout version of every key under this prefix (see REDIS_SCHEMA_VERSION). */
  schemaVersion = () => `${this.prefix}schema-version`;
  token = (id: string) => `${this.prefix}token:${id}`;
  tokenHash = (hash: string) => `${this.prefix}token-hash:${hash}`;
  userTokens = (userId: string) => `${this.prefix}user-tokens:${userId}`;
  session = (id: string) => `${this.prefix}session:${id}`;
  userSessions = (userId: string) => `${this.prefix}user-sessions:${userId}`;
  article = (id: string) => `${this.prefix}article:${id}`;
  articleSlug = (slug: string) => `${this.prefix}article-slug:${slug}`;
  articles = () => `${this.prefix}articles`;
  transitions = (articleId: string) => `${this.prefix}transitions:${articleId}`;
  versions = (articleId: string) => `${this.prefix}versions:${articleId}`;
  version = (articleId: string, id: string) => `${this.prefix}version:${articleId}:${id}`;
  published = (articleId: string) => `${this.prefix}published:${articleId}`;
  publishedSlug = (slug: string) => `${this.prefix}published-slug:${slug}`;
  publishedSet = () => `${this.prefix}published`;
  /** The doc's update log: a stream with ids `<seq>-0`, fields `u` (Yjs V1 update) and `o` (origin instance). */
  docLog = (articleId: string) => `${this.prefix}doc:{${articleId}}:log`;
  docSeq = (articleId: string) => `${this.prefix}doc:{${articleId}}:seq`;
  /** Hash: `data` (Yjs V2 snapshot), `through` (last seq it covers), `gen` (compaction generation). */
  docSnapshot = (articleId: string) => `${this.prefix}doc:{${articleId}}:snapshot`;
  lock = (name: string) => `${this.prefix}lock:${name}`;
  /** Socket.IO adapter stream and channels. */
  socketIo = () => `${this.prefix}socket.io`;
  /** Cross-instance control messages (live permission changes, ...). */
  channel = (name: string) => `${this.prefix}channel:${name}`;
  /** Presence: per-instance heartbeat key and state. */
  instance = (id: string) => `${this.prefix}instance:${id}`;
  presence = (name: string) => `${this.prefix}presence:${name}`;
}
