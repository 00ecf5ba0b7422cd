/**
 * Child process: the reference y-websocket server, i.e. y-websocket@1.5.4 `bin/utils.js`
 * `setupWSConnection` behind a plain `http` + `ws` server, exactly like its own `bin/server.js`
 * (installed under the npm alias `y-websocket-server-ref`). With YPERSISTENCE set, utils.js uses
 * its built-in y-leveldb persistence (and then unloads docs when their last client leaves).
 * PORT is given by the harness; binds 127.0.0.1 only.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import { WebSocketServer } from 'ws';

const require = createRequire(import.meta.url);
const { setupWSConnection } = require('y-websocket-server-ref/bin/utils') as {
  setupWSConnection: (conn: unknown, req: http.IncomingMessage, opts?: { docName?: string; gc?: boolean }) => void;
};

const port = Number(process.env.PORT);
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end('okay');
});
const wss = new WebSocketServer({ noServer: true });
wss.on('connection', setupWSConnection);
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});
server.listen(port, '127.0.0.1', () => console.log(`READY ${port}`));
const shutdown = (): void => {
  for (const c of wss.clients) c.terminate();
  server.close(() => setTimeout(() => process.exit(0), 200));
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
