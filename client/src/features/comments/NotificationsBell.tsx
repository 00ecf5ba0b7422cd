import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { Notification } from '@copydesk/protocol';
import { useCurrentUser } from '../auth/AuthContext.tsx';
import { getSocket } from '../../realtime/socket.ts';
import { formatRelative, useNow } from '../../lib/time.ts';
import { commentsApi } from './api.ts';

/** Your mentions: the list (REST, refreshed on every reconnect) and the live unread count (your own Socket.IO room). */
export function useNotifications() {
  const [items, setItems] = useState<Notification[] | null>(null);
  const [unread, setUnread] = useState(0);

  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      const list = await commentsApi.notifications(signal);
      setItems(list.notifications);
      setUnread(list.unread);
    } catch {
      if (!signal?.aborted) setItems((current) => current ?? []);
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    const socket = getSocket();
    const onCreated = (n: Notification) => setItems((current) => [n, ...(current ?? []).filter((c) => c.id !== n.id)]);
    const onUnread = ({ unread: count }: { unread: number }) => setUnread(count);
    const onConnect = () => void load();
    socket.on('notification:created', onCreated);
    socket.on('notifications:unread', onUnread);
    socket.on('connect', onConnect);
    return () => {
      controller.abort();
      socket.off('notification:created', onCreated);
      socket.off('notifications:unread', onUnread);
      socket.off('connect', onConnect);
    };
  }, [load]);

  const markRead = useCallback(async (ids?: string[]) => {
    const at = new Date().toISOString();
    setItems((current) => current?.map((n) => (!ids || ids.includes(n.id)) && !n.readAt ? { ...n, readAt: at } : n) ?? null);
    try {
      setUnread(await commentsApi.markRead(ids));
    } catch {
      // The badge corrects itself on the next live count or reconnect.
    }
  }, []);

  /** The panel was opened: everything in it is seen. The badge clears at once; the list keeps its unread highlight until it closes. */
  const markSeen = useCallback(async () => {
    setUnread(0);
    try {
      setUnread(await commentsApi.markRead());
    } catch {
      // The badge corrects itself on the next live count or reconnect.
    }
  }, []);

  /** Drops the unread highlight of the items already marked read on the server. */
  const settle = useCallback(() => {
    const at = new Date().toISOString();
    setItems((current) => current?.map((n) => (n.readAt ? n : { ...n, readAt: at })) ?? null);
  }, []);

  return { items, unread, markRead, markSeen, settle };
}

/** The bell for staff (readers are never mentioned: editorial comments are staff-only). */
export function StaffNotifications() {
  const user = useCurrentUser();
  return user.role === 'reader' ? null : <NotificationsBell />;
}

export function NotificationsBell() {
  const { items, unread, markRead, markSeen, settle } = useNotifications();
  const [open, setOpen] = useState(false);

  // Opening the bell is seeing the notifications: mark them read, on the server too.
  useEffect(() => {
    if (open && unread > 0) void markSeen();
  }, [open, unread, markSeen]);
  useEffect(() => (open ? settle : undefined), [open, settle]);
  const now = useNow(30_000);
  const ref = useRef<HTMLDivElement>(null);
  const listId = useId();

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div className="bell" ref={ref}>
      <button
        type="button"
        className="bell__button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        aria-label={unread ? `Notifications, ${unread} unread` : 'Notifications'}
        onClick={() => setOpen((o) => !o)}
      >
        <BellIcon />
        {unread > 0 && (
          <span className="bell__badge" data-testid="notification-badge">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <div className="bell__panel" id={listId} role="region" aria-label="Notifications">
          <div className="bell__head">
            <h2>Notifications</h2>
            {unread > 0 && (
              <button type="button" className="bell__all" onClick={() => void markRead()}>
                Mark all read
              </button>
            )}
          </div>
          {items === null ? (
            <p className="bell__empty">Loading…</p>
          ) : items.length === 0 ? (
            <p className="bell__empty">No notifications yet. When someone @mentions you in a comment, it shows up here.</p>
          ) : (
            <ul className="bell__list">
              {items.map((n) => (
                <li key={n.id} className={n.readAt ? 'bell__item' : 'bell__item bell__item--unread'}>
                  <Link
                    to={`/articles/${encodeURIComponent(n.articleId)}?comment=${encodeURIComponent(n.commentId)}`}
                    onClick={() => {
                      setOpen(false);
                      if (!n.readAt) void markRead([n.id]);
                    }}
                  >
                    <span className="bell__what">
                      <strong>{n.by.displayName}</strong> mentioned you in <em>{n.articleHeadline}</em>
                    </span>
                    <span className="bell__excerpt">{n.excerpt}</span>
                    <time dateTime={n.createdAt}>{formatRelative(n.createdAt, now)}</time>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

function BellIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}
