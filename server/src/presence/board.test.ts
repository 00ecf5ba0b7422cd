import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PresenceChangedEvent, PresenceSection } from '@copydesk/protocol';
import { PresenceBoard, type BoardArticleMeta } from './board.ts';
import { MemoryPresenceStore, type PresenceEntry } from './store.ts';

const T0 = Date.parse('2025-03-01T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const block = (n: number): PresenceSection => ({ part: 'body', block: n, heading: null, label: `¶ ${n + 1}` });

function entry(patch: Partial<PresenceEntry> & Pick<PresenceEntry, 'articleId' | 'userId'>): PresenceEntry {
  return {
    instanceId: 'i1',
    displayName: patch.userId,
    tabs: 1,
    state: 'active',
    section: null,
    since: iso(T0),
    lastActiveAt: iso(T0),
    inserted: 0,
    deleted: 0,
    ...patch,
  };
}

let store: MemoryPresenceStore;
let metas: BoardArticleMeta[];
let board: PresenceBoard;
let batches: PresenceChangedEvent[];

beforeEach(async () => {
  vi.useFakeTimers({ now: T0 });
  store = new MemoryPresenceStore();
  metas = [
    { id: 'a1', headline: 'First', status: 'draft', deadline: null },
    { id: 'a2', headline: 'Second', status: 'editing', deadline: null },
  ];
  board = new PresenceBoard(
    store,
    { list: async () => metas, get: async (id) => metas.find((m) => m.id === id) ?? null },
    { throttleMs: 250, tickMs: 1000 },
  );
  await board.ready;
  batches = [];
  board.onChange((event) => batches.push(event));
});

afterEach(() => {
  board.close();
  vi.useRealTimers();
});

describe('PresenceBoard', () => {
  it('merges one person across instances: tabs and counts add up, the best state and the latest place win', async () => {
    await store.upsert(entry({ articleId: 'a1', userId: 'u1', instanceId: 'i1', state: 'idle', section: block(0), inserted: 3, lastActiveAt: iso(T0 - 5000), since: iso(T0 - 60_000) }));
    await store.upsert(entry({ articleId: 'a1', userId: 'u1', instanceId: 'i2', state: 'active', section: block(4), inserted: 4, deleted: 2, tabs: 2 }));
    const [article] = board.snapshot().articles;
    expect(article!.people).toEqual([
      expect.objectContaining({ userId: 'u1', state: 'active', section: block(4), inserted: 7, deleted: 2, tabs: 3, since: iso(T0 - 60_000), lastActiveAt: iso(T0) }),
    ]);
    expect(article!.headline).toBe('First');
  });

  it('flags a collision only for two active people in the same block', async () => {
    await store.upsert(entry({ articleId: 'a1', userId: 'u1', section: block(2) }));
    await store.upsert(entry({ articleId: 'a1', userId: 'u2', section: block(3) }));
    expect(board.snapshot().articles[0]!.flags.collisions).toEqual([]);
    await store.upsert(entry({ articleId: 'a1', userId: 'u2', section: block(2) }));
    expect(board.snapshot().articles[0]!.flags.collisions).toEqual([{ section: block(2), userIds: ['u1', 'u2'] }]);
    await store.upsert(entry({ articleId: 'a1', userId: 'u2', section: block(2), state: 'idle' }));
    expect(board.snapshot().articles[0]!.flags.collisions).toEqual([]);
  });

  it('sends batches of changes: only the people who changed, throttled, and "gone" when the article empties', async () => {
    await store.upsert(entry({ articleId: 'a1', userId: 'u1' }));
    await store.upsert(entry({ articleId: 'a1', userId: 'u2' }));
    await vi.advanceTimersByTimeAsync(300);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.changes).toEqual([expect.objectContaining({ articleId: 'a1', article: expect.objectContaining({ headline: 'First' }), upserted: [expect.anything(), expect.anything()] })]);

    // Ten changes of one person inside one throttle window: one batch, one person, no article fields.
    for (let i = 1; i <= 10; i++) await store.upsert(entry({ articleId: 'a1', userId: 'u1', inserted: i }));
    await vi.advanceTimersByTimeAsync(300);
    expect(batches).toHaveLength(2);
    expect(batches[1]!.changes).toEqual([{ articleId: 'a1', upserted: [expect.objectContaining({ userId: 'u1', inserted: 10 })] }]);

    await store.remove({ instanceId: 'i1', articleId: 'a1', userId: 'u2' });
    await vi.advanceTimersByTimeAsync(300);
    expect(batches[2]!.changes).toEqual([{ articleId: 'a1', removed: ['u2'] }]);

    await store.remove({ instanceId: 'i1', articleId: 'a1', userId: 'u1' });
    await vi.advanceTimersByTimeAsync(300);
    expect(batches[3]!.changes).toEqual([{ articleId: 'a1', gone: true }]);
    expect(board.snapshot().articles).toEqual([]);
  });

  it('keeps a batch rate of at most one per throttle window under constant change', async () => {
    for (let ms = 0; ms < 2000; ms += 10) {
      await store.upsert(entry({ articleId: 'a1', userId: 'u1', inserted: ms }));
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(300);
    expect(batches.length).toBeGreaterThanOrEqual(7);
    expect(batches.length).toBeLessThanOrEqual(9);
  });

  it('flags a working article due within the hour with nobody active, as time passes', async () => {
    board.articleChanged({ id: 'a2', headline: 'Second', status: 'editing', deadline: iso(T0 + 90 * 60_000) });
    expect(board.snapshot().articles).toEqual([]);
    await vi.advanceTimersByTimeAsync(31 * 60_000); // now due in 59 min
    expect(board.snapshot().articles).toEqual([expect.objectContaining({ articleId: 'a2', people: [], flags: { collisions: [], deadlineAtRisk: true } })]);

    await store.upsert(entry({ articleId: 'a2', userId: 'u1', state: 'active' }));
    expect(board.snapshot().articles[0]!.flags.deadlineAtRisk).toBe(false);
    await store.upsert(entry({ articleId: 'a2', userId: 'u1', state: 'idle' }));
    expect(board.snapshot().articles[0]!.flags.deadlineAtRisk).toBe(true);

    board.articleChanged({ id: 'a2', headline: 'Second', status: 'approved', deadline: iso(T0 + 90 * 60_000) });
    expect(board.snapshot().articles[0]!.flags.deadlineAtRisk).toBe(false);
  });

  it('follows headline changes of an article on the board', async () => {
    await store.upsert(entry({ articleId: 'a1', userId: 'u1' }));
    board.snapshot();
    board.articleChanged({ id: 'a1', headline: 'First, updated', status: 'draft', deadline: null });
    await vi.advanceTimersByTimeAsync(300);
    expect(batches.at(-1)!.changes).toEqual([{ articleId: 'a1', article: expect.objectContaining({ headline: 'First, updated' }) }]);
  });
});
