import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CloseCode } from '@copydesk/protocol';
import { SERVER_DIR, connectClient, eventually, loginAt, spawnServerProcess, tempDir, waitForSync, type ServerProcess, type TestClient } from '../test/harness.ts';

/**
 * The last-resort policy on a real process: a fault nothing caught (injected on SIGUSR2 by a
 * preloaded module) is logged, every open document is written, editors are closed with 1011, and
 * the process exits 1. Updates wait up to a second before they are written, so without the policy
 * the typed text would die with the process.
 */
const INJECTOR = join(SERVER_DIR, 'test/inject-fault.mjs');

const cleanup: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function startProcess(dataDir: string, fault: 'exception' | 'rejection'): Promise<ServerProcess> {
  const proc = await spawnServerProcess(
    { DATA_DIR: dataDir, SEED_DEMO: 'true', PERSIST_INTERVAL_MS: '1000', COPYDESK_INJECT_FAULT: fault },
    { nodeArgs: ['--import', INJECTOR] },
  );
  cleanup.push(() => void proc.child.kill('SIGKILL'));
  return proc;
}

function wsUrl(proc: ServerProcess): string {
  return `ws://127.0.0.1:${proc.port}/collab`;
}

describe.each(['exception', 'rejection'] as const)('an unhandled %s', (fault) => {
  it('flushes open documents, closes editors with 1011 and exits 1', async () => {
    const dataDir = tempDir();
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const proc = await startProcess(dataDir, fault);
    const alice = await loginAt(proc.url, 'alice');
    const created = await fetch(`${proc.url}/api/articles`, {
      method: 'POST',
      headers: { cookie: alice, 'content-type': 'application/json', origin: proc.url },
      body: JSON.stringify({ headline: 'Fault injected' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    const writer: TestClient = connectClient(wsUrl(proc), id, alice);
    const observer: TestClient = connectClient(wsUrl(proc), id, await loginAt(proc.url, 'bob'));
    cleanup.push(() => writer.destroy(), () => observer.destroy());
    await Promise.all([waitForSync(writer), waitForSync(observer)]);
    writer.doc.getText('scratch').insert(0, 'typed just before the fault');
    // The server applied it (the observer got it through the server); it is not written yet.
    await eventually(() => observer.doc.getText('scratch').toString() === 'typed just before the fault', 5_000, 'relay');

    const exited = new Promise<number | null>((resolve) => proc.child.once('exit', (code) => resolve(code)));
    proc.child.kill('SIGUSR2');
    expect(await exited).toBe(1);
    await eventually(() => writer.closes.length > 0, 5_000, 'writer closed');
    expect(writer.closes[0]).toBe(CloseCode.internalError);
    writer.destroy();
    observer.destroy();
    expect(proc.output()).toContain('unexpected fault');
    expect(proc.output()).toContain(`injected fault`);
    expect(proc.output()).toContain(`"kind":"${fault === 'exception' ? 'uncaughtException' : 'unhandledRejection'}"`);

    // A fresh process on the same store has the text: it was flushed on the way out.
    const restarted = await startProcess(dataDir, fault);
    const reader = connectClient(wsUrl(restarted), id, await loginAt(restarted.url, 'alice'));
    cleanup.push(() => reader.destroy());
    await waitForSync(reader);
    expect(reader.doc.getText('scratch').toString()).toBe('typed just before the fault');
    expect(await restarted.stop()).toBe(0);
  });
});
