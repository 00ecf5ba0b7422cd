import { useEffect, useReducer } from 'react';
import { applyPresenceChanges, type ErrorBody, type PresenceArticle, type PresenceChangedEvent } from '@copydesk/protocol';
import { getSocket } from '../../realtime/socket.ts';

export interface BoardState {
  /** Null until the first snapshot. */
  articles: PresenceArticle[] | null;
  error: ErrorBody | null;
  /** Subscribed and receiving changes. */
  live: boolean;
  /** Server time of the last snapshot or batch. */
  at: string | null;
}

type Action =
  | { type: 'snapshot'; articles: PresenceArticle[]; at: string }
  | { type: 'changed'; event: PresenceChangedEvent }
  | { type: 'error'; error: ErrorBody }
  | { type: 'offline' };

function reducer(state: BoardState, action: Action): BoardState {
  switch (action.type) {
    case 'snapshot':
      return { articles: action.articles, error: null, live: true, at: action.at };
    case 'changed':
      // Batches before the snapshot are already in it.
      if (!state.articles) return state;
      return { ...state, articles: applyPresenceChanges(state.articles, action.event.changes), at: action.event.at };
    case 'error':
      return { ...state, error: action.error, live: false };
    case 'offline':
      return { ...state, live: false };
  }
}

/**
 * The leads' presence board over Socket.IO: a snapshot on subscribe, then only what changes.
 * Subscribes again (fresh snapshot) after every reconnect, so nothing is missed.
 */
export function usePresenceBoard(): BoardState {
  const [state, dispatch] = useReducer(reducer, { articles: null, error: null, live: false, at: null });

  useEffect(() => {
    const socket = getSocket();
    let disposed = false;
    const subscribe = () =>
      socket.emit('presence:subscribe', (result) => {
        if (disposed) return;
        if (result.ok) dispatch({ type: 'snapshot', articles: result.snapshot.articles, at: result.snapshot.at });
        else dispatch({ type: 'error', error: result.error });
      });
    const onChanged = (event: PresenceChangedEvent) => dispatch({ type: 'changed', event });
    const onDisconnect = () => dispatch({ type: 'offline' });
    socket.on('connect', subscribe);
    socket.on('disconnect', onDisconnect);
    socket.on('presence:changed', onChanged);
    if (socket.connected) subscribe();
    return () => {
      disposed = true;
      socket.off('connect', subscribe);
      socket.off('disconnect', onDisconnect);
      socket.off('presence:changed', onChanged);
      if (socket.connected) socket.emit('presence:unsubscribe');
    };
  }, []);

  return state;
}
