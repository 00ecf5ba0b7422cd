import { useEffect, useState } from 'react';
import type { Article } from '@copydesk/protocol';
import { api, isApiClientError } from '../../api/index.ts';

export type ArticleLookup =
  | { state: 'loading' }
  | { state: 'ok'; article: Article }
  | { state: 'forbidden' | 'not-found' | 'unauthenticated' }
  | { state: 'error'; message: string };

/** The article's REST record (status badge, early 403/404 before the socket answers). */
export function useArticle(id: string): ArticleLookup {
  const [lookup, setLookup] = useState<ArticleLookup>({ state: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    setLookup({ state: 'loading' });
    api
      .getArticle(id, controller.signal)
      .then((article) => setLookup({ state: 'ok', article }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        if (isApiClientError(error)) {
          if (error.status === 401) return setLookup({ state: 'unauthenticated' });
          if (error.status === 403) return setLookup({ state: 'forbidden' });
          if (error.status === 404 || error.code === 'invalid_request') return setLookup({ state: 'not-found' });
        }
        setLookup({ state: 'error', message: error instanceof Error ? error.message : String(error) });
      });
    return () => controller.abort();
  }, [id]);
  return lookup;
}
