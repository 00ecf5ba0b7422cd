import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { parseEnvOrExit } from '../env.ts';
import { createLogger } from '../logger.ts';
import { openConfiguredStore } from '../storage/open-store.ts';
import { BackupError, dumpNewsroom, restoreNewsroom } from './backup.ts';

/**
 * `npm run backup -- <file>` / `npm run restore -- <file>`: the store comes from the same
 * configuration as the server (REDIS_URL, else DATA_DIR), so any store can be dumped and loaded
 * into any other.
 */
const [command, file] = process.argv.slice(2);
if ((command !== 'backup' && command !== 'restore') || !file) {
  console.error('usage: npm run backup -- <file>   |   npm run restore -- <file>');
  process.exit(2);
}
const env = parseEnvOrExit({ ...process.env, SEED_DEMO: 'false' });
const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
const store = await openConfiguredStore(env, log);
try {
  if (command === 'backup') {
    const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
    const counts = await dumpNewsroom(store, async (line) => {
      if (!out.write(`${line}\n`)) await once(out, 'drain');
    });
    out.end();
    await once(out, 'finish');
    console.log(`backed up ${store.kind} store to ${file}:`, counts);
  } else {
    const lines: string[] = [];
    for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) lines.push(line);
    const counts = await restoreNewsroom(store, lines);
    console.log(`restored ${file} into the ${store.kind} store:`, counts);
  }
} catch (error) {
  console.error(error instanceof BackupError ? `${command} failed: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await store.close();
}
