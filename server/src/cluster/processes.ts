import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Test helpers that run real processes: a throwaway redis-server, nginx with the deploy config. */

export const REPO_DIR = join(import.meta.dirname, '../../..');
export const NGINX_CONF = join(REPO_DIR, 'deploy/nginx.conf');
export const NGINX_BIN = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
export const REDIS_SERVER_BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server';

/** What installs each system binary the process tests need (Debian/Ubuntu; `.ci/run` does the same). */
const INSTALL = {
  nginx: 'sudo apt-get install -y nginx-light   (or set NGINX_BIN to an nginx >= 1.27.3)',
  'redis-server': 'sudo apt-get install -y redis-server   (or set REDIS_SERVER_BIN)',
} as const;

/**
 * Fails at once, with the command that installs it, when a binary is missing: spawning it would
 * otherwise surface as an unhandled ENOENT or a test waiting out its timeout.
 */
export function requireBinary(bin: string, tool: keyof typeof INSTALL): void {
  const candidates = bin.includes('/') ? [bin] : (process.env.PATH ?? '').split(':').filter(Boolean).map((dir) => join(dir, bin));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return;
    } catch {
      // not here; try the next PATH entry
    }
  }
  throw new Error(`${tool} is not installed (looked for ${bin}${bin.includes('/') ? '' : ' on PATH'}). Install it: ${INSTALL[tool]}`);
}

/** A port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function waitForOutput(child: ChildProcess, pattern: RegExp, what: string, output: () => string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`${what} did not start:\n${output()}`)), timeoutMs);
    const check = () => pattern.test(output()) && done();
    const onExit = (code: number | null) => done(new Error(`${what} exited ${code}:\n${output()}`));
    const done = (error?: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.stderr?.off('data', check);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

export interface RedisServer {
  url: string;
  port: number;
  dir: string;
  child: ChildProcess;
  /** SHUTDOWN (AOF is flushed) and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL: no chance to flush anything beyond what is already written. */
  kill(): Promise<void>;
  /** Starts again on the same port and data directory. */
  start(): Promise<void>;
  /** Stops for good and removes the data directory. */
  destroy(): Promise<void>;
}

/** A private redis-server on a free loopback port with AOF (`appendfsync everysec`) in a temp dir. */
export async function startRedisServer(options: { appendonly?: boolean } = {}): Promise<RedisServer> {
  requireBinary(REDIS_SERVER_BIN, 'redis-server');
  const dir = mkdtempSync(join(tmpdir(), 'copydesk-redis-'));
  const port = await freePort();
  let child!: ChildProcess;
  let output = '';
  const start = async () => {
    output = '';
    child = spawn(
      REDIS_SERVER_BIN,
      [
        '--port', String(port),
        '--bind', '127.0.0.1',
        '--dir', dir,
        '--save', '',
        '--appendonly', options.appendonly === false ? 'no' : 'yes',
        '--appendfsync', 'everysec',
        '--protected-mode', 'yes',
        '--loglevel', 'notice',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    await waitForOutput(child, /Ready to accept connections/, 'redis-server', () => output);
  };
  const exited = (c: ChildProcess) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => c.once('exit', () => r())));
  await start();
  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    get child() {
      return child;
    },
    async stop() {
      const c = child;
      c.kill('SIGTERM'); // redis-server treats SIGTERM as SHUTDOWN: fsyncs the AOF and exits
      await exited(c);
    },
    async kill() {
      const c = child;
      c.kill('SIGKILL');
      await exited(c);
    },
    start,
    async destroy() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

export interface Nginx {
  port: number;
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Renders deploy/nginx.conf for this machine: the upstream servers become the given loopback
 * ports, the listen port a free one, and the file paths point into a temp prefix.
 */
export function renderNginxConfig(upstreamPorts: number[], listenPort: number, prefix: string): string {
  const source = readFileSync(NGINX_CONF, 'utf8');
  const servers = upstreamPorts.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join('\n');
  let rendered = source.replace(/upstream copydesk \{[\s\S]*?\n\s*\}/, (block) => {
    const kept = block.split('\n').filter((line) => !/^\s*server\s/.test(line) && !/^\s*(resolver|zone)\b/.test(line));
    return [kept[0], servers, ...kept.slice(1)].join('\n');
  });
  rendered = rendered.replace(/listen\s+8080\b/g, `listen 127.0.0.1:${listenPort}`);
  // Temp paths of a non-root, non-daemon nginx under the test prefix.
  rendered = rendered.replace(/^(\s*)pid\s+[^;]+;/m, '$1# pid set on the command line');
  rendered = rendered.replace(/^\s*access_log\s+[^;]+;\n/gm, '');
  const temps = ['client_body_temp_path', 'proxy_temp_path', 'fastcgi_temp_path', 'uwsgi_temp_path', 'scgi_temp_path']
    .map((d) => `    ${d} ${join(prefix, d)};`)
    .join('\n');
  rendered = rendered.replace(/http \{/, `http {\n${temps}\n    access_log off;`);
  return rendered;
}

/** nginx (Debian's package) as a non-daemon child process with the rendered deploy config. */
export async function startNginx(upstreamPorts: number[], options: { adjust?: (rendered: string, prefix: string) => string } = {}): Promise<Nginx & { prefix: string }> {
  requireBinary(NGINX_BIN, 'nginx');
  const prefix = mkdtempSync(join(tmpdir(), 'copydesk-nginx-'));
  const port = await freePort();
  const conf = join(prefix, 'nginx.conf');
  const rendered = renderNginxConfig(upstreamPorts, port, prefix);
  writeFileSync(conf, options.adjust ? options.adjust(rendered, prefix) : rendered);
  let output = '';
  const child = spawn(NGINX_BIN, ['-p', prefix, '-c', conf, '-e', 'stderr', '-g', `daemon off; pid ${join(prefix, 'nginx.pid')}; error_log stderr notice;`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await waitForOutput(child, /start worker process/, 'nginx', () => output);
  return {
    prefix,
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGQUIT');
        await exited;
      }
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

/** `nginx -t` on the config `render(prefix)` returns: resolves with nginx's verdict. */
export function nginxTest(render: (prefix: string) => string): Promise<{ ok: boolean; output: string }> {
  requireBinary(NGINX_BIN, 'nginx');
  const prefix = mkdtempSync(join(tmpdir(), 'copydesk-nginx-t-'));
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(conf, render(prefix));
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(NGINX_BIN, ['-t', '-p', prefix, '-c', conf, '-e', 'stderr', '-g', `pid ${join(prefix, 'nginx.pid')}; error_log stderr;`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    child.on('exit', (code) => {
      rmSync(prefix, { recursive: true, force: true });
      resolve({ ok: code === 0, output });
    });
  });
}
