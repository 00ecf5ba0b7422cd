/**
 * Child process: Hocuspocus 4 (`@hocuspocus/server` 4.7, npm alias `hocuspocus4-server`; it
 * declares Node 22 and runs on Node 20), in memory, or with `@hocuspocus/extension-sqlite` 4.7
 * (better-sqlite3, SQLite's default `synchronous`) when SQLITE_PATH is set. Default settings,
 * including `flushDelay: 0`: every update of one event-loop turn goes out as one merged message.
 * Binds 127.0.0.1 only.
 */
import { Server, type Extension } from 'hocuspocus4-server';
import { SQLite } from 'hocuspocus4-sqlite';

const port = Number(process.env.PORT);
const sqlitePath = process.env.SQLITE_PATH;
const extensions: Extension[] = sqlitePath ? [new SQLite({ database: sqlitePath }) as unknown as Extension] : [];
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
