import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, eventually, startTestServer, waitForSync, type TestClient, type TestServer } from '../../test/harness.ts';
import { dueForCompaction } from './persistence.ts';

describe('dueForCompaction', () => {
  it('waits for the update count and for a log about as large as the last snapshot', () => {
    expect(dueForCompaction({ sinceSnapshot: 499, bytesSinceSnapshot: 10_000, snapshotBytes: 0 }, 500)).toBe(false);
    expect(dueForCompaction({ sinceSnapshot: 500, bytesSinceSnapshot: 10_000, snapshotBytes: 0 }, 500)).toBe(true);
    expect(dueForCompaction({ sinceSnapshot: 5_000, bytesSinceSnapshot: 99_999, snapshotBytes: 100_000 }, 500)).toBe(false);
    expect(dueForCompaction({ sinceSnapshot: 5_000, bytesSinceSnapshot: 100_000, snapshotBytes: 100_000 }, 500)).toBe(true);
  });
});

describe('compaction on a real store', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });

  it('merges a long story only after its log has grown about as large as its snapshot', async () => {
    const server: TestServer = await startTestServer({ COMPACT_AFTER_UPDATES: '20', PERSIST_INTERVAL_MS: '0' });
    cleanup.push(() => server.stop());
    const alice = await server.login('alice');
    const res = await server.request('/api/articles', { method: 'POST', cookie: alice, json: { headline: 'Long story' } });
    const articleId = ((await res.json()) as { id: string }).id;
    const writer: TestClient = connectClient(server.wsUrl, articleId, alice);
    cleanup.push(() => writer.destroy());
    await waitForSync(writer);
    const text = writer.doc.getText('story');
    const stored = () => server.ctx.store.docs.load(articleId);

    // A long story in one go, then enough small edits to compact it: the snapshot is now large.
    text.insert(0, 'All work and no play. '.repeat(2_000));
    for (let i = 0; i < 25; i++) text.insert(0, 'x');
    await eventually(async () => ((await stored()).snapshot?.byteLength ?? 0) > 10_000 && (await stored()).updates.length === 0, 10_000, 'first compaction');
    const snapshotBytes = (await stored()).snapshot!.byteLength;

    // Far more than COMPACT_AFTER_UPDATES small edits, far fewer bytes than the snapshot: no re-encoding.
    for (let i = 0; i < 200; i++) text.insert(0, 'y');
    const serverText = () => server.collab.liveDoc(articleId)!.doc.getText('story').toString();
    await eventually(() => serverText() === text.toString() && server.persistence.saveState(articleId)?.idle === true, 10_000, 'applied and written');
    const afterSmallEdits = await stored();
    expect(afterSmallEdits.updates.length).toBeGreaterThanOrEqual(200);
    expect(afterSmallEdits.snapshot!.byteLength).toBe(snapshotBytes);

    // A log as large as the snapshot: compacted again.
    text.insert(0, 'z'.repeat(snapshotBytes));
    text.insert(0, '!');
    await eventually(async () => (await stored()).updates.length === 0, 10_000, 'second compaction');
    expect(serverText()).toBe(text.toString());
  });
});
