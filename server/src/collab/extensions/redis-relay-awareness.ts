import type { Logger } from 'pino';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { RedisConnection } from '../../storage/redis/connection.ts';
import type { RedisStore } from '../../storage/redis/redis-store.ts';
import { ORIGIN_REMOTE, type CollabConnection, type CollabExtension, type DocContext } from '../types.ts';

interface RelayedAwareness {
  awareness: awarenessProtocol.Awareness;
  /** Awareness client ids announced by sockets of this instance (only those are relayed from here). */
  local: Set<number>;
  /** Changed local ids waiting for the end of the current tick. */
  pending: Set<number>;
}

interface AwarenessMessage {
  origin: string;
  /** `update`: an awareness update (base64); `query`: "send me your states" (a doc just opened). */
  type: 'update' | 'query';
  update?: string;
}

/**
 * Carets and names across instances: awareness changes of this instance's sockets go out on a
 * per-doc Redis channel, other instances apply them with ORIGIN_REMOTE (so they reach their
 * clients and are not sent back). Removals when a socket closes are relayed too; the states of a
 * dead instance's clients time out by themselves (y-protocols drops states not renewed for 30 s).
 * A doc opening on an instance asks the others for their current states.
 *
 * Register it after the extensions that correct awareness states (identity): it publishes at the
 * end of the tick, when the states are final.
 */
export class RedisAwarenessRelay implements CollabExtension {
  readonly name = 'redis-awareness-relay';
  private readonly docs = new Map<string, RelayedAwareness>();
  private subscriber: RedisConnection | null = null;
  private applyingRemote = false;

  constructor(
    private readonly store: RedisStore,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.subscriber = await this.store.duplicate('awareness', { failFast: false });
  }

  private channel(articleId: string): string {
    return this.store.keys.channel(`awareness:{${articleId}}`);
  }

  async onLoad({ articleId, awareness }: DocContext): Promise<void> {
    this.docs.set(articleId, { awareness, local: new Set(), pending: new Set() });
    await this.subscriber?.subscribe(this.channel(articleId), (raw) => this.receive(articleId, raw));
    this.publish(articleId, { origin: this.store.originTag, type: 'query' });
  }

  onUnload({ articleId }: { articleId: string }): void {
    this.docs.delete(articleId);
    this.subscriber?.unsubscribe(this.channel(articleId)).catch(() => undefined);
  }

  async onDestroy(): Promise<void> {
    this.docs.clear();
    this.subscriber?.destroy();
  }

  onAwareness({ articleId, connection, added, updated, removed }: DocContext & { connection: CollabConnection | null; added: number[]; updated: number[]; removed: number[] }): void {
    if (this.applyingRemote) return;
    const relayed = this.docs.get(articleId);
    if (!relayed) return;
    const changed: number[] = [];
    if (connection) {
      for (const id of [...added, ...updated]) {
        relayed.local.add(id);
        changed.push(id);
      }
    }
    // Removals: a local socket's state going (its socket closed, or it removed it).
    for (const id of removed) {
      if (!relayed.local.delete(id)) continue;
      changed.push(id);
    }
    if (changed.length === 0) return;
    const wasIdle = relayed.pending.size === 0;
    for (const id of changed) relayed.pending.add(id);
    if (wasIdle) queueMicrotask(() => this.flush(articleId));
  }

  private flush(articleId: string): void {
    const relayed = this.docs.get(articleId);
    if (!relayed || relayed.pending.size === 0) return;
    const ids = [...relayed.pending];
    relayed.pending.clear();
    const update = awarenessProtocol.encodeAwarenessUpdate(relayed.awareness, ids);
    this.publish(articleId, { origin: this.store.originTag, type: 'update', update: Buffer.from(update).toString('base64') });
  }

  private publish(articleId: string, message: AwarenessMessage): void {
    if (!this.store.client.isReady) return; // carets are ephemeral: they are renewed every 15 s anyway
    this.store.client.publish(this.channel(articleId), JSON.stringify(message)).catch((err) => this.log.debug({ err, articleId }, 'awareness relay publish failed'));
  }

  private receive(articleId: string, raw: string): void {
    const relayed = this.docs.get(articleId);
    if (!relayed) return;
    let message: AwarenessMessage;
    try {
      message = JSON.parse(raw) as AwarenessMessage;
    } catch {
      return;
    }
    if (message.origin === this.store.originTag) return;
    if (message.type === 'query') {
      const ids = [...relayed.local].filter((id) => relayed.awareness.getStates().has(id));
      if (ids.length > 0) {
        const update = awarenessProtocol.encodeAwarenessUpdate(relayed.awareness, ids);
        this.publish(articleId, { origin: this.store.originTag, type: 'update', update: Buffer.from(update).toString('base64') });
      }
      return;
    }
    if (typeof message.update !== 'string') return;
    this.applyingRemote = true;
    try {
      awarenessProtocol.applyAwarenessUpdate(relayed.awareness, new Uint8Array(Buffer.from(message.update, 'base64')), ORIGIN_REMOTE);
    } catch (error) {
      this.log.warn({ err: error, articleId }, 'bad relayed awareness update');
    } finally {
      this.applyingRemote = false;
    }
  }
}
