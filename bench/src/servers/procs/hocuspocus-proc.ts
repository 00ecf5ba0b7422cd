/**
 * Child process: Hocuspocus (`@hocuspocus/server` 3.x, the last major that runs on Node 20),
 * in memory, or with `@hocuspocus/extension-sqlite` when SQLITE_PATH is set.
 * Default debounce/maxDebounce/unloadImmediately settings. Binds 127.0.0.1 only.
 */
import { Server, type Extension } from '@hocuspocus/server';
import { SQLite } from '@hocuspocus/extension-sqlite';

const port = Number(process.env.PORT);
const sqlitePath = process.env.SQLITE_PATH;
const extensions: Extension[] = sqlitePath ? [new SQLite({ database: sqlitePath })] : [];
const server = new Server({ port, address: '127.0.0.1', quiet: true, stopOnSignals: false, extensions });
await server.listen();
console.log(`READY ${port}`);
const shutdown = async (): Promise<void> => {
  setTimeout(() => process.exit(0), 5000).unref();
  try {
    await server.destroy();
  } finally {
    process.exit(0);
  }
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
