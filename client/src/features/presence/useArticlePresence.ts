import { useEffect, useState } from 'react';
import { applyPresenceChanges, type PresenceArticle, type PresenceChange, type PresenceChangedEvent } from '@copydesk/protocol';
import { getSocket } from '../../realtime/socket.ts';

export interface ArticlePresence {
  /** Everyone in the article as the server sees them (null until the first answer). */
  article: PresenceArticle | null;
  /** The feed is subscribed and updating. */
  live: boolean;
}

function applyTo(article: PresenceArticle, changes: PresenceChange[]): PresenceArticle {
  let next = article;
  for (const change of changes) {
    // "Gone" means nobody is left: keep the article as the base for the next arrivals.
    next = change.gone ? { ...next, people: [] } : (applyPresenceChanges([next], [change])[0] ?? next);
  }
  return next;
}

/**
 * The people in one article, live from the server (`presence:watch`): identity, state, part of
 * the article, tabs and counts, exactly as the leads' board shows them. Re-subscribes (and gets
 * a fresh answer) after every reconnect.
 */
export function useArticlePresence(articleId: string): ArticlePresence {
  const [state, setState] = useState<ArticlePresence>({ article: null, live: false });

  useEffect(() => {
    const socket = getSocket();
    let disposed = false;
    let current: PresenceArticle | null = null;
    const watch = () =>
      socket.emit('presence:watch', { articleId }, (result) => {
        if (disposed || !result.ok) return;
        current = result.article;
        setState({ article: current, live: true });
      });
    const onChanged = (event: PresenceChangedEvent) => {
      if (!current) return; // the answer to watch brings everything before it
      const mine = event.changes.filter((c) => c.articleId === articleId);
      if (mine.length === 0) return;
      current = applyTo(current, mine);
      setState({ article: current, live: true });
    };
    const onDisconnect = () => setState((prev) => ({ ...prev, live: false }));
    socket.on('connect', watch);
    socket.on('disconnect', onDisconnect);
    socket.on('presence:changed', onChanged);
    if (socket.connected) watch();
    return () => {
      disposed = true;
      socket.off('connect', watch);
      socket.off('disconnect', onDisconnect);
      socket.off('presence:changed', onChanged);
      if (socket.connected) socket.emit('presence:unwatch', { articleId });
    };
  }, [articleId]);

  return state;
}
