import { createHash } from 'node:crypto';
import type { RedisConnection } from './connection.ts';

type Arg = string | Buffer;

/** A Lua script run by EVALSHA, loading it with EVAL when Redis does not know it (first use, after a restart). */
export class Script {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: Pick<RedisConnection, 'evalSha' | 'eval'>, keys: string[], args: Arg[]): Promise<unknown> {
    try {
      return await client.evalSha(this.sha, { keys, arguments: args as string[] });
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(this.source, { keys, arguments: args as string[] });
    }
  }
}

/** Appends updates to a doc's stream with consecutive numeric ids `<seq>-0`; returns the last seq. */
export const APPEND_UPDATES = new Script(`
local n = #ARGV - 1
local last = redis.call('INCRBY', KEYS[2], n)
local first = last - n + 1
local now = redis.call('TIME')
local at = string.format('%d', tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000))
for i = 1, n do
  redis.call('XADD', KEYS[1], string.format('%d-0', first + i - 1), 'u', ARGV[i + 1], 'o', ARGV[1], 't', at)
end
return last
`);

/**
 * Replaces a doc's snapshot and trims the stream through a seq, if nobody compacted since we read
 * the snapshot generation (compare-and-set), then appends a marker entry (field `c` = the seq the
 * snapshot covers, no update) so that a relay that had not read the trimmed entries yet learns at
 * once that it must apply the snapshot. KEYS: snapshot, stream, seq counter. ARGV: expected gen,
 * snapshot, through seq, origin. Returns 1 when written, 0 on a generation conflict.
 */
export const COMPACT = new Script(`
local gen = redis.call('HGET', KEYS[1], 'gen') or '0'
if gen ~= ARGV[1] then return 0 end
local through = tonumber(ARGV[3])
local current = tonumber(redis.call('HGET', KEYS[1], 'through') or '0')
if current > through then through = current end
redis.call('HSET', KEYS[1], 'data', ARGV[2], 'through', string.format('%d', through), 'gen', string.format('%d', tonumber(gen) + 1))
redis.call('XTRIM', KEYS[2], 'MINID', string.format('%d-0', through + 1))
local seq = redis.call('INCR', KEYS[3])
redis.call('XADD', KEYS[2], string.format('%d-0', seq), 'c', string.format('%d', through), 'o', ARGV[4])
return 1
`);

/** Deletes a lock only if we still hold it. */
export const RELEASE_LOCK = new Script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/** KEYS: username index, user, user set. ARGV: id, json. */
export const CREATE_USER = new Script(`
if redis.call('EXISTS', KEYS[2]) == 1 then return redis.error_reply('duplicate user id') end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then return redis.error_reply('username already taken') end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
return 1
`);

/** KEYS: session, user's session set. ARGV: id, userId, createdAt, lastSeenAt, ttl ms (0 = none). */
export const CREATE_SESSION = new Script(`
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.error_reply('duplicate session id') end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'userId', ARGV[2], 'createdAt', ARGV[3], 'lastSeenAt', ARGV[4])
if tonumber(ARGV[5]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[5]) end
redis.call('SADD', KEYS[2], ARGV[1])
return 1
`);

/** KEYS: session. ARGV: lastSeenAt, ttl ms (0 = none). */
export const TOUCH_SESSION = new Script(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[1])
if tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`);

/** KEYS: session. ARGV: prefix of the user's session set key, session id. */
export const DELETE_SESSION = new Script(`
local userId = redis.call('HGET', KEYS[1], 'userId')
redis.call('DEL', KEYS[1])
if userId then redis.call('SREM', ARGV[1] .. userId, ARGV[2]) end
return 1
`);

/** KEYS: the user's session set. ARGV: session key prefix. */
export const DELETE_USER_SESSIONS = new Script(`
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do redis.call('DEL', ARGV[1] .. id) end
redis.call('DEL', KEYS[1])
return 1
`);

/** KEYS: article hash, slug index, article set. ARGV: id, slug, then field/value pairs. */
export const CREATE_ARTICLE = new Script(`
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.error_reply('duplicate article id') end
if not redis.call('SET', KEYS[2], ARGV[1], 'NX') then return redis.error_reply('slug already taken') end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('SADD', KEYS[3], ARGV[1])
return 1
`);

/**
 * KEYS: article hash, new slug index, old slug index (same as new when unchanged).
 * ARGV: id, expected current slug field (JSON), slug changes ('1'/'0'), then field/value pairs.
 * Returns the updated hash, nil when the article is missing, or 'retry' when the slug moved meanwhile.
 */
export const UPDATE_ARTICLE = new Script(`
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
if redis.call('HGET', KEYS[1], 'slug') ~= ARGV[2] then return 'retry' end
if ARGV[3] == '1' then
  local owner = redis.call('GET', KEYS[2])
  if owner and owner ~= ARGV[1] then return redis.error_reply('slug already taken') end
  redis.call('SET', KEYS[2], ARGV[1])
  if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
end
if #ARGV > 3 then redis.call('HSET', KEYS[1], unpack(ARGV, 4)) end
return redis.call('HGETALL', KEYS[1])
`);

/** KEYS: version hash, article's summary list. ARGV: id, meta json, state, summary json. */
export const CREATE_VERSION = new Script(`
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.error_reply('duplicate version id') end
redis.call('HSET', KEYS[1], 'meta', ARGV[2], 'state', ARGV[3])
redis.call('RPUSH', KEYS[2], ARGV[4])
return 1
`);

/**
 * KEYS: page, new slug index, old slug index (same when unchanged), page set.
 * ARGV: articleId, page json, expected old slug ('' when new).
 */
export const PUT_PUBLISHED = new Script(`
local current = redis.call('GET', KEYS[1])
local oldSlug = ''
if current then oldSlug = cjson.decode(current).slug end
if oldSlug ~= ARGV[3] then return 'retry' end
local owner = redis.call('GET', KEYS[2])
if owner and owner ~= ARGV[1] then return redis.error_reply('published slug already taken') end
if KEYS[3] ~= KEYS[2] and redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
redis.call('SET', KEYS[2], ARGV[1])
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[4], ARGV[1])
return 'ok'
`);

/**
 * Reads a doc at one instant: KEYS: snapshot hash, stream. ARGV: last stream id to include ('+' for all).
 * Returns [snapshot data or false, gen or false, entries as XRANGE returns them].
 */
export const READ_DOC = new Script(`
local snap = redis.call('HMGET', KEYS[1], 'data', 'gen')
return { snap[1], snap[2], redis.call('XRANGE', KEYS[2], '-', ARGV[1]) }
`);

/** KEYS: user. ARGV: password hash. */
export const SET_PASSWORD_HASH = new Script(`
local json = redis.call('GET', KEYS[1])
if not json then return 0 end
local user = cjson.decode(json)
user.passwordHash = ARGV[1]
redis.call('SET', KEYS[1], cjson.encode(user))
return 1
`);

/** KEYS: token hash, token-hash index, owner's token set. ARGV: id, then field/value pairs (JSON values). */
export const CREATE_TOKEN = new Script(`
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.error_reply('duplicate token id') end
if not redis.call('SET', KEYS[2], ARGV[1], 'NX') then return redis.error_reply('duplicate token hash') end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('SADD', KEYS[3], ARGV[1])
return 1
`);

/** KEYS: token hash. ARGV: owner id (JSON), revokedAt (JSON). Returns 1 when revoked now. */
export const REVOKE_TOKEN = new Script(`
if redis.call('HGET', KEYS[1], 'ownerId') ~= ARGV[1] then return 0 end
if redis.call('HGET', KEYS[1], 'revokedAt') ~= 'null' then return 0 end
redis.call('HSET', KEYS[1], 'revokedAt', ARGV[2])
return 1
`);

/** KEYS: token hash. ARGV: lastUsedAt (JSON). */
export const TOUCH_TOKEN = new Script(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'lastUsedAt', ARGV[1])
return 1
`);

/**
 * An article's visible comment count in one round trip: its visible threads plus the visible
 * replies of each (replies of a hidden thread do not count). KEYS: the visible root set. ARGV: the
 * key prefix of the per-thread reply sets (same hash tag, so the same slot).
 */
export const COUNT_VISIBLE_COMMENTS = new Script(`
local roots = redis.call('ZRANGE', KEYS[1], '-', '+', 'BYLEX')
local n = #roots
for i = 1, #roots do
  local m = roots[i]
  local bar = string.find(m, '|', 1, true)
  n = n + redis.call('ZCARD', ARGV[1] .. string.sub(m, bar + 1))
end
return n
`);

/** KEYS: user. ARGV: JSON patch (null clears a field, e.g. deactivatedAt). Returns the updated user JSON, or nil. */
export const UPDATE_USER = new Script(`
local json = redis.call('GET', KEYS[1])
if not json then return false end
local user = cjson.decode(json)
for k, v in pairs(cjson.decode(ARGV[1])) do user[k] = v end
local updated = cjson.encode(user)
redis.call('SET', KEYS[1], updated)
return updated
`);
