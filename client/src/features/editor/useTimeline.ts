import { useCallback, useEffect, useState } from 'react';
import type { ArticleStatus, Transition } from '@copydesk/protocol';
import { api } from '../../api/index.ts';
import { getSocket } from '../../realtime/socket.ts';

export interface Timeline {
  transitions: Transition[] | null;
  /** Statuses the signed-in user may move the article to now. */
  available: ArticleStatus[];
  error: string | null;
  reload(): void;
}

/** The article's workflow timeline, live: new steps arrive over the article's Socket.IO room. */
export function useTimeline(articleId: string, status: ArticleStatus | null): Timeline {
  const [transitions, setTransitions] = useState<Transition[] | null>(null);
  const [available, setAvailable] = useState<ArticleStatus[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  // Reloaded when the status changes: the moves on offer depend on it.
  useEffect(() => {
    const controller = new AbortController();
    api
      .timeline(articleId, controller.signal)
      .then((result) => {
        setTransitions(result.transitions);
        setAvailable(result.available);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      });
    return () => controller.abort();
  }, [articleId, status, generation]);

  useEffect(() => {
    const socket = getSocket();
    const onTransition = (transition: Transition) => {
      if (transition.articleId !== articleId) return;
      setTransitions((prev) => (prev && !prev.some((t) => t.id === transition.id) ? [...prev, transition] : prev));
    };
    socket.on('article:transition', onTransition);
    return () => {
      socket.off('article:transition', onTransition);
    };
  }, [articleId]);

  return { transitions, available, error, reload };
}
