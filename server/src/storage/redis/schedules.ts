import type { ScheduleRecord, ScheduleStore } from '../store.ts';
import type { RedisConnection } from './connection.ts';
import { Script } from './scripts.ts';

/**
 * Scheduled publications: a hash per article (`schedule:<id>`: the record plus `claimedBy` and
 * `claimedUntil`) and a sorted set of article ids by publish time (`schedules`).
 */
const CLAIM = new Script(`
local claimed = redis.call('HGET', KEYS[1], 'claimedUntil')
local at = redis.call('HGET', KEYS[1], 'publishAtMs')
if not at or tonumber(at) > tonumber(ARGV[2]) then return 0 end
if claimed and tonumber(claimed) >= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'claimedBy', ARGV[1], 'claimedUntil', ARGV[3])
return 1
`);

export function redisScheduleStore(client: RedisConnection, prefix: string): ScheduleStore {
  const key = (articleId: string) => `${prefix}schedule:${articleId}`;
  const index = `${prefix}schedules`;
  const read = async (articleId: string): Promise<(ScheduleRecord & { claimedUntil: number }) | null> => {
    const hash = await client.hGetAll(key(articleId));
    if (!hash.articleId) return null;
    return { articleId: hash.articleId, publishAt: hash.publishAt!, byUserId: hash.byUserId!, versionId: hash.versionId!, claimedUntil: Number(hash.claimedUntil ?? 0) };
  };
  const plain = ({ articleId, publishAt, byUserId, versionId }: ScheduleRecord): ScheduleRecord => ({ articleId, publishAt, byUserId, versionId });
  return {
    async put(record) {
      const at = Date.parse(record.publishAt);
      await client
        .multi()
        .del(key(record.articleId))
        .hSet(key(record.articleId), { ...record, publishAtMs: String(at) })
        .zAdd(index, { score: at, value: record.articleId })
        .exec();
    },
    async get(articleId) {
      const record = await read(articleId);
      return record ? plain(record) : null;
    },
    async delete(articleId) {
      await client.multi().del(key(articleId)).zRem(index, articleId).exec();
    },
    async due(now) {
      const ids = await client.zRangeByScore(index, '-inf', now);
      const records = await Promise.all(ids.map(read));
      return records.filter((r): r is NonNullable<typeof r> => r !== null && r.claimedUntil < now).map(plain);
    },
    async claim(articleId, owner, now, until) {
      return (await CLAIM.run(client, [key(articleId)], [owner, String(now), String(until)])) === 1;
    },
  };
}
