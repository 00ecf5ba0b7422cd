import type { Logger } from 'pino';
import type { Env } from '../env.ts';
import type { NewsroomEvents } from '../newsroom/events.ts';
import type { ArticleRecord, Store } from '../storage/store.ts';
import type { CollabExtension } from '../collab/types.ts';
import { PresenceAwarenessExtension } from '../collab/extensions/presence-awareness.ts';
import { AuthorshipExtension } from '../collab/extensions/authorship.ts';
import { PresenceBoard, type BoardArticleMeta } from './board.ts';
import { MemoryPresenceStore, type PresenceStore } from './store.ts';
import { PresenceTracker } from './tracker.ts';

export { PresenceBoard } from './board.ts';
export { MemoryPresenceStore, type PresenceStore, type PresenceEntry } from './store.ts';
export { PresenceTracker } from './tracker.ts';

export interface LivePresence {
  store: PresenceStore;
  tracker: PresenceTracker;
  board: PresenceBoard;
  authorship: AuthorshipExtension;
  /** Collab extensions to register (after persistence: they read the loaded doc). */
  extensions: CollabExtension[];
  close(): Promise<void>;
}

const metaOf = (record: Pick<ArticleRecord, 'id' | 'headline' | 'status' | 'deadline'>): BoardArticleMeta => ({
  id: record.id,
  headline: record.headline,
  status: record.status,
  deadline: record.deadline,
});

/**
 * Edit presence wired together: this instance's tracker (fed by the collab extensions) publishes
 * to the PresenceStore (in-process by default; pass a shared one to see every instance), and the
 * board merges the store for leads.
 */
export function createPresence(options: { env: Env; log: Logger; store: Store; events: NewsroomEvents; presenceStore?: PresenceStore }): LivePresence {
  const { env, log, store, events } = options;
  const presenceStore = options.presenceStore ?? new MemoryPresenceStore();
  const onError = (err: unknown) => log.error({ err }, 'presence failed');
  const tracker = new PresenceTracker(presenceStore, { instanceId: env.INSTANCE_ID, idleMs: env.PRESENCE_IDLE_MS, onError });
  const board = new PresenceBoard(
    presenceStore,
    {
      list: async () => (await store.articles.list()).map(metaOf),
      get: async (id) => {
        const record = await store.articles.get(id);
        return record ? metaOf(record) : null;
      },
    },
    { throttleMs: env.PRESENCE_BOARD_THROTTLE_MS, onError },
  );
  events.on('article:created', (article) => board.articleChanged(metaOf(article)));
  events.on('article:updated', (article) => board.articleChanged(metaOf(article)));
  const authorship = new AuthorshipExtension((articleId, connection, inserted, deleted) => tracker.edited(articleId, connection.id, inserted, deleted));
  return {
    store: presenceStore,
    tracker,
    board,
    authorship,
    extensions: [new PresenceAwarenessExtension(tracker), authorship],
    async close() {
      board.close();
      await tracker.close();
      await presenceStore.close();
    },
  };
}
