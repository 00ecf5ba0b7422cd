import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { RedisStore } from '../storage/redis/redis-store.ts';
import type { RealtimeServer } from './socket-server.ts';

/**
 * Redis mode: Socket.IO broadcasts (desk events, comments, moderation, presence boards) reach the
 * sockets of every instance. Room broadcasts go through one Redis stream (so a reader that lost its
 * connection catches up by stream offset); request/response traffic between servers (fetchSockets,
 * serverSideEmit) uses sharded pub/sub. The adapter's connection queues commands while Redis is
 * down instead of failing them, so broadcasts go out late rather than never.
 */
export async function useRedisAdapter(io: RealtimeServer, store: RedisStore): Promise<void> {
  const client = await store.duplicate('socket.io', { failFast: false });
  io.adapter(
    createAdapter(client, {
      streamName: store.keys.socketIo(),
      channelPrefix: store.keys.socketIo(),
      useShardedPubSub: true,
      maxLen: 10_000,
      onlyPlaintext: true,
      // A dead instance's sockets stop counting in fetchSockets() after this long.
      heartbeatInterval: 5_000,
      heartbeatTimeout: 15_000,
    }),
  );
}
