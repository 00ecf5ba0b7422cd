import { io as connectSocket, type Socket } from 'socket.io-client';
import type { AckResult, Article, ClientToServerEvents, ServerToClientEvents } from '@copydesk/protocol';
import type { TestServer } from '../../test/harness.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A Socket.IO client on the default path, signed in by cookie (or anonymous), connected. */
export async function connect(server: TestServer, cookie?: string): Promise<ClientSocket> {
  const socket: ClientSocket = connectSocket(server.url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: cookie ? { cookie } : {},
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Emits an ack-style event and resolves with the ack. */
export function call<T extends object = object>(socket: ClientSocket, event: keyof ClientToServerEvents, ...args: unknown[]): Promise<AckResult<T>> {
  return new Promise((resolve) => (socket.emit as (...a: unknown[]) => void)(event, ...args, resolve));
}

/** Like call, but fails unless the ack is ok; resolves with its payload. */
export async function ok<T extends object = object>(socket: ClientSocket, event: keyof ClientToServerEvents, ...args: unknown[]): Promise<T> {
  const result = await call<T>(socket, event, ...args);
  if (!result.ok) throw new Error(`${event} failed: ${result.error.code} ${result.error.message}`);
  return result;
}

/** Everything a socket receives, by event, for asserting on what did (and did not) arrive. */
export function record(socket: ClientSocket) {
  const seen: Array<{ event: string; payload: unknown }> = [];
  socket.onAny((event: string, payload: unknown) => seen.push({ event, payload }));
  return {
    seen,
    of<E extends keyof ServerToClientEvents>(event: E): Array<Parameters<ServerToClientEvents[E]>[0]> {
      return seen.filter((s) => s.event === event).map((s) => s.payload as Parameters<ServerToClientEvents[E]>[0]);
    },
  };
}

/** Creates an article as `writerCookie` (with a body) and walks it to published as `leadCookie`. */
export async function publishedArticle(server: TestServer, writerCookie: string, leadCookie: string, headline = `Story ${Math.random().toString(36).slice(2, 8)}`): Promise<Article> {
  const created = await server.request('/api/articles', { method: 'POST', cookie: writerCookie, json: { headline } });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
  const article = (await created.json()) as Article;
  for (const to of ['filed', 'editing', 'approved'] as const) {
    const res = await server.request(`/api/articles/${article.id}/transitions`, { method: 'POST', cookie: leadCookie, json: { to } });
    if (res.status !== 200) throw new Error(`transition to ${to}: ${res.status} ${await res.text()}`);
  }
  const published = await server.request(`/api/articles/${article.id}/publish`, { method: 'POST', cookie: leadCookie, json: {} });
  if (published.status !== 200) throw new Error(`publish: ${published.status} ${await published.text()}`);
  return (await published.json()) as Article;
}

/** A draft article (never published). */
export async function draftArticle(server: TestServer, writerCookie: string): Promise<Article> {
  const res = await server.request('/api/articles', { method: 'POST', cookie: writerCookie, json: { headline: 'Embargoed draft' } });
  return (await res.json()) as Article;
}
