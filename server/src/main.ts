import { CloseCode } from '@copydesk/protocol';
import { parseEnvOrExit } from './env.ts';
import { startServer } from './server.ts';

const env = parseEnvOrExit(process.env);
const server = await startServer(env);
const log = server.ctx.log;

let stopping = false;

/**
 * Every way out goes through here: stop taking connections, write every open document, close the
 * sockets with `closeCode` so clients reconnect and resync, then exit. A stop that hangs past
 * SHUTDOWN_TIMEOUT_MS exits anyway (non-zero): whatever was not written is still held by the
 * clients, which were never told it was saved.
 */
async function stop(why: string, closeCode: number, exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ why }, 'shutting down: flushing documents');
  const force = setTimeout(() => {
    log.error({ why }, 'shutdown took too long; exiting');
    process.exit(1);
  }, env.SHUTDOWN_TIMEOUT_MS);
  try {
    await server.close(closeCode);
    clearTimeout(force);
    // A fault during a graceful stop still exits non-zero.
    const code = Math.max(exitCode, Number(process.exitCode ?? 0));
    log.info({ why, exitCode: code }, 'shutdown complete');
    process.exit(code);
  } catch (error) {
    log.error({ err: error, why }, 'shutdown failed');
    process.exit(1);
  }
}

/**
 * Last resort for a fault nothing else caught: the process is in an unknown state, so it must not
 * go on serving. It logs the fault with what it was holding, flushes and closes like a graceful
 * stop (but with 1011), and exits 1 so that a supervisor starts a clean one.
 */
function onFatal(kind: 'uncaughtException' | 'unhandledRejection', fault: unknown): void {
  process.exitCode = 1;
  log.fatal(
    { err: fault, kind, openDocs: server.collab.openDocCount, collabConnections: server.collab.connectionCount, alreadyStopping: stopping },
    'unexpected fault: flushing open documents, then exiting for a restart',
  );
  void stop(kind, CloseCode.internalError, 1);
}

process.on('uncaughtException', (error) => onFatal('uncaughtException', error));
process.on('unhandledRejection', (reason) => onFatal('unhandledRejection', reason));
process.on('SIGTERM', () => void stop('SIGTERM', CloseCode.goingAway, 0));
process.on('SIGINT', () => void stop('SIGINT', CloseCode.goingAway, 0));
