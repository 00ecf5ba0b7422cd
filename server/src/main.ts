import { parseEnvOrExit } from './env.ts';
import { startServer } from './server.ts';

const env = parseEnvOrExit(process.env);
const server = await startServer(env);
const log = server.ctx.log;

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down: flushing documents');
  const force = setTimeout(() => {
    log.error('shutdown took too long; exiting');
    process.exit(1);
  }, env.SHUTDOWN_TIMEOUT_MS);
  try {
    await server.close();
    clearTimeout(force);
    log.info('shutdown complete');
    process.exit(0);
  } catch (error) {
    log.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
