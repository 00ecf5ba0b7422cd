import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { io as connectSocket } from 'socket.io-client';
import { readHeadline, renderBodyText, writeBody } from '@copydesk/article-doc';
import { connectClient, startTestServer, tempDir, waitForSync, eventually, SERVER_DIR, type TestServer } from '../test/harness.ts';
import { startRedisServer, type RedisServer } from '../cluster/processes.ts';

const run = promisify(execFile);

/** Runs the real `npm run backup|restore` entry point with the given store configuration. */
async function cli(command: 'backup' | 'restore', file: string, env: Record<string, string>) {
  return run(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/backup/cli.ts', command, file], {
    cwd: SERVER_DIR,
    env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'test', ...env },
  });
}

interface Snapshot {
  articles: unknown[];
  perArticle: Record<string, { text: string; headline: string; versions: unknown; transitions: unknown; comments: unknown; editorial: unknown; page: string | null }>;
  notifications: unknown;
}

/** Everything a newsroom would notice, read through the public API and real collab clients. */
async function snapshot(server: TestServer): Promise<Snapshot> {
  const lead = await server.login('lead');
  const bob = await server.login('bob');
  const articles = (await (await server.request('/api/articles', { cookie: lead })).json()).articles as Array<{ id: string; slug: string; status: string }>;
  const perArticle: Snapshot['perArticle'] = {};
  for (const article of articles) {
    const client = connectClient(server.wsUrl, article.id, lead);
    await waitForSync(client);
    const get = async (path: string) => (await server.request(path, { cookie: lead })).json();
    const page = await server.request(`/news/${article.slug}`);
    perArticle[article.id] = {
      text: renderBodyText(client.doc),
      headline: readHeadline(client.doc),
      versions: await get(`/api/articles/${article.id}/versions`),
      transitions: (await get(`/api/articles/${article.id}/transitions`)).transitions,
      comments: article.status === 'published' ? await get(`/api/articles/${article.id}/comments?limit=100`) : null,
      editorial: await get(`/api/articles/${article.id}/editorial-comments`),
      page: page.status === 200 ? await page.text() : null,
    };
    client.destroy();
  }
  const notifications = await (await server.request('/api/notifications', { cookie: bob })).json();
  return { articles, perArticle, notifications };
}

let redis: RedisServer;
let source: TestServer;
let before: Snapshot;
let token: string;
const dir = tempDir('copydesk-backup-');
const file = join(dir, 'newsroom.cdbk');

beforeAll(async () => {
  redis = await startRedisServer();
  source = await startTestServer({ COMMENT_RATE_PER_USER: '100' });
  const alice = await source.login('alice');
  const lead = await source.login('lead');
  const rita = await source.login('rita');
  const id = (await (await source.request('/api/articles', { method: 'POST', cookie: alice, json: { headline: 'Backed-up story' } })).json()).id as string;
  const writer = connectClient(source.wsUrl, id, alice);
  await waitForSync(writer);
  writeBody(writer.doc, [{ type: 'paragraph', text: 'Every word of this must survive a backup.' }]);
  await eventually(() => renderBodyText(source.collab.liveDoc(id)!.doc).includes('survive'), 5000, 'applied');
  writer.destroy();
  // Let the article row catch up with the doc (word count is synced on a short debounce).
  await eventually(async () => (await (await source.request(`/api/articles/${id}`, { cookie: alice })).json()).wordCount === 8, 5000, 'word count synced');
  await source.request(`/api/articles/${id}/versions`, { method: 'POST', cookie: alice, json: { label: 'First take' } });
  for (const to of ['filed', 'editing', 'approved']) await source.request(`/api/articles/${id}/transitions`, { method: 'POST', cookie: lead, json: { to } });
  expect((await source.request(`/api/articles/${id}/publish`, { method: 'POST', cookie: lead, json: {} })).status).toBe(200);
  await source.request('/api/moderation/banned-words', { method: 'PUT', cookie: lead, json: { words: ['scandalous'] } });
  const comment = await (await source.request(`/api/articles/${id}/comments`, { method: 'POST', cookie: rita, json: { body: 'Great reporting <b>really</b>' } })).json();
  await source.request(`/api/articles/${id}/comments`, { method: 'POST', cookie: rita, json: { body: 'A reply', parentId: comment.id } });
  await source.request(`/api/articles/${id}/comments`, { method: 'POST', cookie: rita, json: { body: 'This is scandalous' } });
  const socket = connectSocket(source.url, { transports: ['websocket'], extraHeaders: { cookie: alice } });
  const posted = await new Promise<{ ok: boolean }>((resolve) => socket.emit('editorial:post', { articleId: id, body: '@bob please check the figures' }, resolve));
  expect(posted.ok).toBe(true);
  socket.disconnect();
  token = (await (await source.request('/api/tokens', { method: 'POST', cookie: alice, json: { name: 'importer', role: 'writer' } })).json()).token;
  before = await snapshot(source);
  await source.close(); // flush every doc, keep the data dir
});

afterAll(async () => {
  await redis?.destroy();
  rmSync(dir, { recursive: true, force: true });
  rmSync(source.dataDir, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('round-trips a whole newsroom from SQLite into Redis: text, history, comments and accounts identical', async () => {
    await cli('backup', file, { DATA_DIR: source.dataDir });
    expect(readFileSync(file, 'utf8')).not.toContain(token);
    const prefix = `restore-${randomUUID()}:`;
    await cli('restore', file, { REDIS_URL: redis.url, REDIS_PREFIX: prefix });
    const restored = await startTestServer({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, INSTANCE_ID: 'restored', SEED_DEMO: 'false' });
    try {
      const after = await snapshot(restored);
      expect(after).toEqual(before);
      expect(Object.values(after.perArticle).some((a) => a.text.includes('Every word of this must survive a backup.'))).toBe(true);
      expect((await restored.request('/api/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await restored.stop();
    }
  });

  it('round-trips SQLite into SQLite too', async () => {
    const target = tempDir('copydesk-restore-');
    await cli('restore', file, { DATA_DIR: target });
    const restored = await startTestServer({ DATA_DIR: target, SEED_DEMO: 'false' });
    try {
      expect(await snapshot(restored)).toEqual(before);
    } finally {
      await restored.stop();
    }
  });

  it('refuses to restore into a store that already has a newsroom, or a truncated file, and changes nothing', async () => {
    const busy = tempDir('copydesk-busy-');
    const seeded = await startTestServer({ DATA_DIR: busy });
    await seeded.close();
    await expect(cli('restore', file, { DATA_DIR: busy })).rejects.toMatchObject({ stderr: expect.stringContaining('not empty') });
    const truncated = join(dir, 'truncated.cdbk');
    writeFileSync(truncated, readFileSync(file, 'utf8').split('\n').slice(0, 5).join('\n'));
    const empty = tempDir('copydesk-empty-');
    await expect(cli('restore', truncated, { DATA_DIR: empty })).rejects.toMatchObject({ stderr: expect.stringContaining('truncated') });
    rmSync(busy, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  });
});
