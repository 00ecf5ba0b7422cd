import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { COLLAB_CUSTOM_MESSAGES_PARAM, CollabMessageType, SESSION_COOKIE } from '@copydesk/protocol';
import { parseEnv, type Env } from '../env.ts';
import { startServer, type RunningServer } from '../server.ts';
import type { Store } from '../storage/store.ts';

export const SERVER_DIR = join(import.meta.dirname, '../..');

export function tempDir(prefix = 'copydesk-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function testEnv(overrides: Record<string, string> = {}): Env {
  return parseEnv({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'true',
    CLIENT_DIST: join(tempDir(), 'no-client'),
    ...overrides,
  });
}

export interface TestServer extends RunningServer {
  dataDir: string;
  login(username: string, password?: string): Promise<string>;
  request(path: string, init?: RequestInit & { cookie?: string; json?: unknown }): Promise<Response>;
  wsUrl: string;
  stop(): Promise<void>;
}

/** A real server on port 0 with its own temp SQLite store and the demo newsroom. */
export async function startTestServer(overrides: Record<string, string> = {}, options: { store?: Store } = {}): Promise<TestServer> {
  const dataDir = overrides.DATA_DIR ?? tempDir();
  const server = await startServer(testEnv({ DATA_DIR: dataDir, ...overrides }), options);
  const request = (path: string, init: RequestInit & { cookie?: string; json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (init.cookie) headers.set('cookie', init.cookie);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return fetch(server.url + path, { ...init, headers, body });
  };
  return {
    ...server,
    dataDir,
    wsUrl: `ws://127.0.0.1:${server.port}/collab`,
    request,
    login: (username, password = 'copydesk') => loginAt(server.url, username, password),
    async stop() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function loginAt(baseUrl: string, username: string, password = 'copydesk'): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!setCookie) throw new Error('no session cookie');
  return setCookie.split(';')[0]!;
}

/** A WebSocket class that sends the session cookie on the upgrade, for stock WebsocketProviders in Node. */
export function cookieWebSocket(cookie: string | undefined) {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, cookie ? { headers: { cookie } } : {});
    }
  };
}

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  closes: number[];
  destroy(): void;
}

/**
 * An unmodified y-websocket WebsocketProvider, authenticated by cookie. With `customMessages` it
 * asks for Copydesk's status and saved messages (`?cdk=1`) like the editor does; the test then
 * installs handlers for them.
 */
export function connectClient(
  wsUrl: string,
  articleId: string,
  cookie: string | undefined,
  options: { doc?: Y.Doc; customMessages?: boolean } = {},
): TestClient {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, articleId, doc, {
    WebSocketPolyfill: cookieWebSocket(cookie) as unknown as typeof globalThis.WebSocket,
    maxBackoffTime: 300,
    // Same-process providers would otherwise talk over BroadcastChannel and bypass the server.
    disableBc: true,
    ...(options.customMessages ? { params: { [COLLAB_CUSTOM_MESSAGES_PARAM]: '1' } } : {}),
  });
  if (options.customMessages) {
    // Known messages, not errors: a test that reads them installs its own handler.
    provider.messageHandlers[CollabMessageType.status] = () => undefined;
    provider.messageHandlers[CollabMessageType.saved] = () => undefined;
  }
  const closes: number[] = [];
  provider.on('connection-close', (event) => {
    if (event) closes.push(event.code);
  });
  return {
    doc,
    provider,
    closes,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export function waitForSync(client: TestClient, timeoutMs = 10_000): Promise<void> {
  if (client.provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('sync timeout')), timeoutMs);
    client.provider.once('sync', (synced: boolean) => {
      if (synced) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

/** Polls `check` until it returns true (no fixed sleeps). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Opens a raw WebSocket to /collab and resolves with the close code. */
export function rawSocket(url: string, cookie?: string): WebSocket {
  return new WebSocket(url, cookie ? { headers: { cookie } } : {});
}

export function closeCodeOf(socket: WebSocket, timeoutMs = 10_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no close')), timeoutMs);
    socket.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    socket.on('error', () => undefined);
  });
}

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * The real server as a child process (`tsx src/main.ts`), for restart and shutdown tests.
 * `--conditions=source`: the workspace packages from their TypeScript, not a possibly stale dist/.
 */
export async function spawnServerProcess(env: Record<string, string>, options: { nodeArgs?: string[] } = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--conditions=source', '--import', 'tsx', 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: { ...process.env, NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Never leave a half-started server behind.
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${output}`));
    }, 30_000);
    const onData = () => {
      const match = /"port":(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited ${code}:\n${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
}
