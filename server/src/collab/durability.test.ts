import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { readHeadline, renderBodyText, writeBody } from '@copydesk/article-doc';
import { connectClient, eventually, loginAt, spawnServerProcess, tempDir, waitForSync, type ServerProcess, type TestClient } from '../test/harness.ts';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function createArticle(url: string, cookie: string, headline: string): Promise<string> {
  const res = await fetch(`${url}/api/articles`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ headline }) });
  return ((await res.json()) as { id: string }).id;
}

function track(client: TestClient) {
  cleanup.push(() => client.destroy());
  return client;
}

describe('durability', () => {
  it('content survives a graceful restart of the server process on the same DATA_DIR', async () => {
    const dataDir = tempDir();
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    let proc: ServerProcess = await spawnServerProcess({ DATA_DIR: dataDir, SEED_DEMO: 'true', DOC_IDLE_UNLOAD_MS: '60000' });
    cleanup.push(() => proc.child.exitCode === null && proc.stop('SIGKILL'));

    const cookie = await loginAt(proc.url, 'alice');
    const id = await createArticle(proc.url, cookie, 'Survives restarts');
    const writer = track(connectClient(`ws://127.0.0.1:${proc.port}/collab`, id, cookie));
    await waitForSync(writer);
    writeBody(writer.doc, [{ type: 'paragraph', text: 'Typed just before the restart.' }]);
    for (let i = 0; i < 600; i++) writer.doc.getText('trace').insert(i, 'x'); // crosses the compaction threshold
    // Wait until the server has the edit (the echo of a second client proves it was applied).
    const observer = track(connectClient(`ws://127.0.0.1:${proc.port}/collab`, id, await loginAt(proc.url, 'bob')));
    await eventually(() => observer.doc.getText('trace').length === 600, 10_000, 'server applied edits');

    const closed = new Promise<number>((resolve) => writer.provider.once('connection-close', (e) => resolve(e?.code ?? 0)));
    expect(await proc.stop('SIGTERM')).toBe(0);
    expect(await closed).toBe(1001);
    writer.provider.disconnect();
    observer.provider.disconnect();

    proc = await spawnServerProcess({ DATA_DIR: dataDir, SEED_DEMO: 'true' });
    cleanup.push(() => proc.child.exitCode === null && proc.stop('SIGKILL'));
    const fresh = track(connectClient(`ws://127.0.0.1:${proc.port}/collab`, id, await loginAt(proc.url, 'lead')));
    await waitForSync(fresh);
    expect(readHeadline(fresh.doc)).toBe('Survives restarts');
    expect(renderBodyText(fresh.doc)).toBe('Typed just before the restart.');
    expect(fresh.doc.getText('trace').length).toBe(600);
    await proc.stop();
  });

  it('every update is in the store within a second, even if the process is killed', async () => {
    const dataDir = tempDir();
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    let proc = await spawnServerProcess({ DATA_DIR: dataDir, SEED_DEMO: 'true' });
    cleanup.push(() => proc.child.exitCode === null && proc.stop('SIGKILL'));
    const cookie = await loginAt(proc.url, 'alice');
    const id = await createArticle(proc.url, cookie, 'Crash test');
    const writer = track(connectClient(`ws://127.0.0.1:${proc.port}/collab`, id, cookie));
    await waitForSync(writer);
    writer.doc.getText('trace').insert(0, 'written before the crash');
    const observer = track(connectClient(`ws://127.0.0.1:${proc.port}/collab`, id, cookie));
    await eventually(() => observer.doc.getText('trace').toString() === 'written before the crash', 10_000, 'applied');
    await new Promise((r) => setTimeout(r, 1000)); // the durability promise under test is "within 1 s"
    writer.provider.disconnect();
    observer.provider.disconnect();
    await proc.stop('SIGKILL');

    proc = await spawnServerProcess({ DATA_DIR: dataDir, SEED_DEMO: 'true' });
    const fresh = track(connectClient(`ws://127.0.0.1:${proc.port}/collab`, id, await loginAt(proc.url, 'bob')));
    await waitForSync(fresh);
    expect(fresh.doc.getText('trace').toString()).toBe('written before the crash');
    await proc.stop();
  });
});
