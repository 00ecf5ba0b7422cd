/**
 * Child process: Hocuspocus, in memory, or with `@hocuspocus/extension-sqlite` when SQLITE_PATH is
 * set. HOCUSPOCUS_MAJOR=4 runs `@hocuspocus/server` 4.7 (npm aliases `hocuspocus4-server`,
 * `hocuspocus4-sqlite`; it declares Node 22 and runs on 20; its default `flushDelay: 0` merges the
 * updates of one event-loop turn into one broadcast), otherwise 3.4.4. Default settings otherwise.
 * Binds 127.0.0.1 only.
 */
import type { Extension, Server as ServerClass } from '@hocuspocus/server';

const v4 = process.env.HOCUSPOCUS_MAJOR === '4';
const { Server } = (v4 ? await import('hocuspocus4-server') : await import('@hocuspocus/server')) as unknown as { Server: typeof ServerClass };
const { SQLite } = (v4 ? await import('hocuspocus4-sqlite') : await import('@hocuspocus/extension-sqlite')) as unknown as {
  SQLite: new (options: { database: string }) => Extension;
};

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
