import { useEffect, useState } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import { isAwarenessUser } from './awarenessUser.ts';

export interface RemoteUser {
  clientId: number;
  /** The user's account id (several clients may share one: two tabs). */
  id: string | null;
  name: string;
  color: string;
}

function remoteUsers(provider: WebsocketProvider): RemoteUser[] {
  const users: RemoteUser[] = [];
  provider.awareness.getStates().forEach((state, clientId) => {
    if (clientId === provider.awareness.clientID) return;
    const user: unknown = state.user;
    if (!isAwarenessUser(user)) return;
    users.push({ clientId, id: typeof user.id === 'string' ? user.id : null, name: user.name, color: user.color });
  });
  return users.sort((a, b) => a.name.localeCompare(b.name) || a.clientId - b.clientId);
}

function sameUsers(a: RemoteUser[], b: RemoteUser[]): boolean {
  return a.length === b.length && a.every((u, i) => {
    const v = b[i]!;
    return u.clientId === v.clientId && u.id === v.id && u.name === v.name && u.color === v.color;
  });
}

/** The other people in this document right now (every connected client except this one). */
export function useAwareness(provider: WebsocketProvider | null): RemoteUser[] {
  const [users, setUsers] = useState<RemoteUser[]>([]);

  useEffect(() => {
    if (!provider) {
      setUsers([]);
      return;
    }
    const refresh = () => {
      const next = remoteUsers(provider);
      setUsers((prev) => (sameUsers(prev, next) ? prev : next));
    };
    refresh();
    provider.awareness.on('change', refresh);
    return () => provider.awareness.off('change', refresh);
  }, [provider]);

  return users;
}
