import { useCallback, useEffect, useReducer } from 'react';
import type { Article, ArticlePresenceCount } from '@copydesk/protocol';
import { getSocket } from '../../realtime/socket.ts';
import { api, isApiClientError, type ApiClientError } from '../../api/index.ts';

export interface DeskState {
  articles: Article[] | null;
  /** articleId → how many people have it open. */
  presence: Record<string, number>;
  error: ApiClientError | Error | null;
  /** The Socket.IO feed is subscribed: the list updates by itself. */
  live: boolean;
  fromFeed: boolean;
}

type Action =
  | { type: 'loaded'; source: 'rest' | 'feed'; articles: Article[]; presence?: ArticlePresenceCount[] }
  | { type: 'failed'; error: ApiClientError | Error }
  | { type: 'upsert'; article: Article }
  | { type: 'presence'; count: ArticlePresenceCount }
  | { type: 'live'; live: boolean };

function byUpdatedDesc(a: Article, b: Article): number {
  return b.updatedAt.localeCompare(a.updatedAt) || b.createdAt.localeCompare(a.createdAt);
}

function reducer(state: DeskState, action: Action): DeskState {
  switch (action.type) {
    case 'loaded': {
      // A slow REST answer must not overwrite the fresher feed snapshot.
      if (action.source === 'rest' && state.fromFeed) return state;
      const presence = action.presence ? Object.fromEntries(action.presence.map((p) => [p.articleId, p.editors])) : state.presence;
      return { ...state, articles: [...action.articles].sort(byUpdatedDesc), presence, error: null, fromFeed: state.fromFeed || action.source === 'feed' };
    }
    case 'failed':
      // Keep a list we already have; the error only matters when there is nothing to show.
      return { ...state, error: action.error };
    case 'upsert': {
      const rest = (state.articles ?? []).filter((a) => a.id !== action.article.id);
      return { ...state, articles: [action.article, ...rest].sort(byUpdatedDesc) };
    }
    case 'presence':
      return { ...state, presence: { ...state.presence, [action.count.articleId]: action.count.editors } };
    case 'live':
      return { ...state, live: action.live };
  }
}

/**
 * The desk: articles and who is in them. The REST list answers first for everyone; the
 * Socket.IO desk feed (writers and leads) then replaces it with its own snapshot and keeps it
 * live. On reconnect we subscribe again and get a fresh snapshot, so nothing is missed.
 */
export function useDesk(onUnauthenticated: () => void): DeskState & { addLocal(article: Article): void } {
  const [state, dispatch] = useReducer(reducer, { articles: null, presence: {}, error: null, live: false, fromFeed: false });

  useEffect(() => {
    const controller = new AbortController();
    api
      .listArticles(controller.signal)
      .then((articles) => dispatch({ type: 'loaded', source: 'rest', articles }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        if (isApiClientError(error) && error.status === 401) return onUnauthenticated();
        dispatch({ type: 'failed', error: error instanceof Error ? error : new Error(String(error)) });
      });

    const socket = getSocket();
    const subscribe = () => {
      socket.emit('desk:subscribe', (result) => {
        if (result.ok) {
          dispatch({ type: 'loaded', source: 'feed', articles: result.articles, presence: result.presence });
          dispatch({ type: 'live', live: true });
        } else {
          // Readers have no desk feed; the REST list is all they get.
          dispatch({ type: 'live', live: false });
        }
      });
    };
    const offline = () => dispatch({ type: 'live', live: false });
    const upsert = (article: Article) => dispatch({ type: 'upsert', article });
    const presence = (count: ArticlePresenceCount) => dispatch({ type: 'presence', count });
    socket.on('connect', subscribe);
    socket.on('disconnect', offline);
    socket.on('article:created', upsert);
    socket.on('article:updated', upsert);
    socket.on('article:presence', presence);
    if (socket.connected) subscribe();

    return () => {
      controller.abort();
      socket.emit('desk:unsubscribe');
      socket.off('connect', subscribe);
      socket.off('disconnect', offline);
      socket.off('article:created', upsert);
      socket.off('article:updated', upsert);
      socket.off('article:presence', presence);
    };
  }, [onUnauthenticated]);

  const addLocal = useCallback((article: Article) => dispatch({ type: 'upsert', article }), []);
  return { ...state, addLocal };
}
