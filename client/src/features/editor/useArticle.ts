import { useEffect, useState } from 'react';
import type { Article } from '@copydesk/protocol';
import { api, isApiClientError } from '../../api/index.ts';
import { getSocket } from '../../realtime/socket.ts';

export type ArticleLookup =
  | { state: 'loading' }
  | { state: 'ok'; article: Article }
  | { state: 'forbidden' | 'not-found' | 'unauthenticated' }
  | { state: 'error'; message: string };

/**
 * The article's record (status, metadata), loaded over REST (early 403/404 before the socket
 * answers) and then kept live through the article's Socket.IO room.
 */
export function useArticle(id: string): ArticleLookup {
  const [lookup, setLookup] = useState<ArticleLookup>({ state: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    setLookup({ state: 'loading' });
    api
      .getArticle(id, controller.signal)
      .then((article) => setLookup((prev) => (prev.state === 'ok' && prev.article.updatedAt > article.updatedAt ? prev : { state: 'ok', article })))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        if (isApiClientError(error)) {
          if (error.status === 401) return setLookup({ state: 'unauthenticated' });
          if (error.status === 403) return setLookup({ state: 'forbidden' });
          if (error.status === 404 || error.code === 'invalid_request') return setLookup({ state: 'not-found' });
        }
        setLookup({ state: 'error', message: error instanceof Error ? error.message : String(error) });
      });

    const socket = getSocket();
    const subscribe = () =>
      socket.emit('article:subscribe', { articleId: id }, (result) => {
        if (result.ok) setLookup({ state: 'ok', article: result.article });
      });
    const onUpdated = (article: Article) => {
      if (article.id === id) setLookup({ state: 'ok', article });
    };
    socket.on('connect', subscribe);
    socket.on('article:updated', onUpdated);
    if (socket.connected) subscribe();
    return () => {
      controller.abort();
      socket.emit('article:unsubscribe', { articleId: id });
      socket.off('connect', subscribe);
      socket.off('article:updated', onUpdated);
    };
  }, [id]);
  return lookup;
}
