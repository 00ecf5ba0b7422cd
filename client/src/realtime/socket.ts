import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@copydesk/protocol';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: AppSocket | null = null;

/**
 * The one Socket.IO connection of the app (same origin, session cookie). Features subscribe to
 * their rooms on it and re-subscribe on every 'connect', so a reconnect never misses a room.
 */
export function getSocket(): AppSocket {
  socket ??= io({ withCredentials: true, transports: ['websocket', 'polling'] });
  return socket;
}

/** Drops the connection (sign-out): the next getSocket() connects with the new session. */
export function resetSocket(): void {
  socket?.disconnect();
  socket = null;
}
