import { rmSync } from 'node:fs';
import { afterAll } from 'vitest';
import { storageContract } from '../contract.test-suite.ts';
import { tempDir } from '../../test/harness.ts';
import { openSqliteStore } from './sqlite-store.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

storageContract('sqlite (file)', async () => {
  const dir = tempDir();
  dirs.push(dir);
  return { store: openSqliteStore(dir), reopen: async () => openSqliteStore(dir) };
});

storageContract('sqlite (memory)', async () => ({ store: openSqliteStore(':memory:') }));
