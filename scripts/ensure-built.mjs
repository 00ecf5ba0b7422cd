#!/usr/bin/env node
// `npm start` runs compiled JavaScript; this builds first only when an output is missing or older than
// any of its sources, so a second start costs no build. Usage: ensure-built.mjs [server|all] (default all).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const SERVER_INPUTS = ['packages/protocol/src', 'packages/article-doc/src', 'server/src', 'packages/protocol/package.json', 'packages/article-doc/package.json', 'tsconfig.json', 'server/tsconfig.build.json'];
const targets = {
  server: { output: 'server/dist/main.js', inputs: SERVER_INPUTS, command: ['run', 'build:server'] },
  client: { output: 'client/dist/index.html', inputs: [...SERVER_INPUTS.slice(0, 2), 'client/src', 'client/index.html', 'client/vite.config.ts'], command: ['run', 'build', '-w', 'client'] },
};

/** Newest modification time under a file or directory (tests are sources too: harmless, and simpler). */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function isStale({ output, inputs }) {
  const out = join(ROOT, output);
  if (!existsSync(out)) return true;
  const builtAt = statSync(out).mtimeMs;
  return inputs.some((input) => newestMtime(join(ROOT, input)) > builtAt);
}

const which = process.argv[2] ?? 'all';
const wanted = which === 'server' ? ['server'] : ['server', 'client'];
for (const name of wanted) {
  const target = targets[name];
  if (!isStale(target)) continue;
  console.error(`[copydesk] ${target.output} is missing or older than its sources: npm ${target.command.join(' ')}`);
  const result = spawnSync('npm', target.command, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  // tsc -b skips emitting when only timestamps changed; mark the output as checked against these sources.
  const now = new Date();
  utimesSync(join(ROOT, target.output), now, now);
}
