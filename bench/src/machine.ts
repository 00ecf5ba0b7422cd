import os from 'node:os';
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
