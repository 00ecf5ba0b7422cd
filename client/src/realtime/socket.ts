import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@copydesk/protocol';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: AppSocket | null = null;

/**
 * The one Socket.IO connection of the app (same origin, session cookie). Features subscribe to
 * their rooms on it and re-subscribe on every 'connect', so a reconnect never misses a room.
 */
export function getSocket(): AppSocket {
  if (!socket) {
    const created: AppSocket = io({ withCredentials: true, transports: ['websocket', 'polling'] });
    // The server drops a socket whose rights changed (signed out elsewhere, password or role
    // changed): connect again with whatever the cookie says now; features re-subscribe on 'connect'.
    created.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') created.connect();
    });
    socket = created;
  }
  return socket;
}

/** Drops the connection (sign-out): the next getSocket() connects with the new session. */
export function resetSocket(): void {
  socket?.disconnect();
  socket = null;
}
