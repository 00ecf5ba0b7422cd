import os from 'node:os';
import { execFileSync } from 'node:child_process';
import type { Provenance } from './results.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Version of an installed package, looked up the way Node resolves it from bench/. */
export function pkgVersion(name: string): string {
  let dir = benchDir;
  for (let i = 0; i < 5; i++) {
    const p = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(p)) return (JSON.parse(readFileSync(p, 'utf8')) as { version: string }).version;
    dir = dirname(dir);
  }
  return 'not installed';
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  ramGiB: number;
  os: string;
  node: string;
  versions: Record<string, string>;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  const names = [
    'yjs',
    'y-protocols',
    'y-websocket',
    'y-websocket-server-ref',
    'y-leveldb',
    'ws',
    '@hocuspocus/server',
    '@hocuspocus/provider',
    '@hocuspocus/extension-sqlite',
    'hocuspocus4-server',
    'hocuspocus4-provider',
    'hocuspocus4-sqlite',
    'sqlite3',
    'better-sqlite3',
    'socket.io',
    'socket.io-client',
    'redis',
    'tsx',
  ];
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    ramGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    versions: Object.fromEntries(names.map((n) => [n === 'y-websocket-server-ref' ? 'y-websocket (reference server, npm alias)' : n, pkgVersion(n)])),
  };
}

/** The commit the run started from, whether the tree had uncommitted changes, and the harness arguments. */
export function currentProvenance(args: string[]): Provenance {
  const git = (...gitArgs: string[]): string => {
    try {
      return execFileSync('git', gitArgs, { cwd: benchDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  return { commit: git('rev-parse', 'HEAD') || 'unknown', dirty: git('status', '--porcelain') !== '', command: ['npm run bench --', ...args].join(' ') };
}
