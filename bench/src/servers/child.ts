import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { sleep, now } from '../util.ts';

/** Asks the kernel for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** Last lines of stdout+stderr, for error messages. */
  tail(): string;
  exited: Promise<number | null>;
}

export interface SpawnOptions {
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Resolves when the child is ready to serve. */
  ready: (child: Child) => Promise<void>;
  readyTimeoutMs?: number;
  /**
   * Names the CPU profile when BENCH_CPU_PROF_DIR is set: the child then runs with
   * `node --cpu-prof` and writes `<dir>/<tag>-<time>/CPU.*.cpuprofile` (one per thread: the tsx
   * loader runs in a worker) when it exits cleanly.
   */
  tag?: string;
}

/** `--cpu-prof` flags for a child when BENCH_CPU_PROF_DIR is set (profiling runs only). */
function cpuProfArgs(tag: string): string[] {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  if (!dir) return [];
  const interval = process.env.BENCH_CPU_PROF_INTERVAL_US; // sampling interval, default 1000 µs
  return ['--cpu-prof', `--cpu-prof-dir=${join(dir, `${tag}-${Date.now()}`)}`, ...(interval ? [`--cpu-prof-interval=${interval}`] : [])];
}

/** Spawns `node <args>` (always node itself, so the pid is the server's and RSS is the server's). */
export async function spawnNode(opts: SpawnOptions): Promise<Child> {
  const proc = spawn(process.execPath, [...cpuProfArgs(opts.tag ?? 'server'), ...opts.args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (buf: Buffer): void => {
    for (const l of buf.toString('utf8').split('\n')) if (l.trim()) lines.push(l);
    if (lines.length > 60) lines.splice(0, lines.length - 60);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  if (proc.pid === undefined) throw new Error('spawn failed');
  const child: Child = { proc, pid: proc.pid, tail: () => lines.join('\n'), exited };
  const timeout = opts.readyTimeoutMs ?? 30_000;
  let exitedEarly = false;
  void exited.then(() => {
    exitedEarly = true;
  });
  const deadline = now() + timeout;
  const readyP = opts.ready(child);
  while (true) {
    const r = await Promise.race([readyP.then(() => 'ready' as const), sleep(50).then(() => 'wait' as const)]);
    if (r === 'ready') return child;
    if (exitedEarly) throw new Error(`server exited during startup:\n${child.tail()}`);
    if (now() > deadline) {
      await stopChild(child);
      throw new Error(`server not ready after ${timeout} ms:\n${child.tail()}`);
    }
  }
}

/** Waits for a line on stdout containing `marker`. */
export function stdoutMarker(marker: string): (child: Child) => Promise<void> {
  return (child) =>
    new Promise((resolve) => {
      let acc = '';
      const on = (b: Buffer): void => {
        acc += b.toString('utf8');
        if (acc.includes(marker)) {
          child.proc.stdout!.off('data', on);
          resolve();
        }
      };
      child.proc.stdout!.on('data', on);
    });
}

/** Polls an HTTP URL until it answers 200. */
export function httpOk(url: string): (child: Child) => Promise<void> {
  return async () => {
    for (let i = 0; i < 600; i++) {
      try {
        const res = await fetch(url);
        if (res.ok) return;
      } catch {
        /* not up yet */
      }
      await sleep(50);
    }
    throw new Error(`${url} never answered 200`);
  };
}

/** SIGTERM, then SIGKILL after `graceMs`. Only ever signals this child's own pid. */
export async function stopChild(child: Child, graceMs = 8000): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill('SIGTERM');
  const r = await Promise.race([child.exited.then(() => 'exit' as const), sleep(graceMs).then(() => 'timeout' as const)]);
  if (r === 'timeout') {
    child.proc.kill('SIGKILL');
    await child.exited;
  }
}

export interface ProcMem {
  rssKiB: number;
  hwmKiB: number;
}

/** VmRSS / VmHWM of a process from /proc/<pid>/status. */
export function procMem(pid: number): ProcMem {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const get = (k: string): number => {
    const m = new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status);
    return m ? Number(m[1]) : NaN;
  };
  return { rssKiB: get('VmRSS'), hwmKiB: get('VmHWM') };
}

/** Sum of apparent file sizes under `dir` (bytes). */
export function dirBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    total += st.isDirectory() ? dirBytes(p) : st.size;
  }
  return total;
}

let clkTck = 0;
/** CPU seconds (user + system) process `pid` has used so far, from /proc/<pid>/stat. */
export function procCpuSeconds(pid: number): number {
  if (!clkTck) {
    try {
      clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clkTck = 100;
    }
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // after "(comm) ": state is field 3, utime field 14, stime field 15 (1-based)
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / clkTck;
}
