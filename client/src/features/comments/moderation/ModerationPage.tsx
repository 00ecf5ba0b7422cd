import { useEffect, useReducer, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { ModerationItem, ModerationReason } from '@copydesk/protocol';
import { useCurrentUser } from '../../auth/AuthContext.tsx';
import { AppHeader } from '../../../components/AppHeader.tsx';
import { getSocket } from '../../../realtime/socket.ts';
import { formatAbsolute, formatRelative, useNow } from '../../../lib/time.ts';
import { CommentText } from '../CommentText.tsx';
import { commentsApi } from '../api.ts';
import { problem } from '../reader/useReaderComments.ts';
import { ConfirmDialog } from '../../../components/ConfirmDialog.tsx';

interface QueueState {
  items: ModerationItem[] | null;
  live: boolean;
  error: string | null;
}
type QueueAction =
  | { type: 'loaded'; items: ModerationItem[] }
  | { type: 'queued'; item: ModerationItem }
  | { type: 'resolved'; id: string }
  | { type: 'live'; live: boolean }
  | { type: 'failed'; error: string };

function queueReducer(state: QueueState, action: QueueAction): QueueState {
  switch (action.type) {
    case 'loaded':
      return { ...state, items: action.items, error: null };
    case 'queued': {
      const rest = (state.items ?? []).filter((i) => i.comment.id !== action.item.comment.id);
      const items = [...rest, action.item].sort((a, b) => a.comment.createdAt.localeCompare(b.comment.createdAt));
      return { ...state, items };
    }
    case 'resolved':
      return { ...state, items: (state.items ?? []).filter((i) => i.comment.id !== action.id) };
    case 'live':
      return { ...state, live: action.live };
    case 'failed':
      return { ...state, error: action.error };
  }
}

/** The moderation queue, live: the whole queue on every (re)connect, then each change as it happens. */
function useModerationQueue() {
  const [state, dispatch] = useReducer(queueReducer, { items: null, live: false, error: null });
  useEffect(() => {
    const socket = getSocket();
    const subscribe = () =>
      socket.emit('moderation:subscribe', (result) => {
        if (result.ok) {
          dispatch({ type: 'loaded', items: result.items });
          dispatch({ type: 'live', live: true });
        } else {
          dispatch({ type: 'failed', error: result.error.message });
        }
      });
    const onQueued = (item: ModerationItem) => dispatch({ type: 'queued', item });
    const onResolved = ({ id }: { id: string }) => dispatch({ type: 'resolved', id });
    const offline = () => dispatch({ type: 'live', live: false });
    socket.on('connect', subscribe);
    socket.on('disconnect', offline);
    socket.on('moderation:queued', onQueued);
    socket.on('moderation:resolved', onResolved);
    if (socket.connected) subscribe();
    return () => {
      socket.off('connect', subscribe);
      socket.off('disconnect', offline);
      socket.off('moderation:queued', onQueued);
      socket.off('moderation:resolved', onResolved);
      if (socket.connected) socket.emit('moderation:unsubscribe');
    };
  }, []);
  return { state, resolved: (id: string) => dispatch({ type: 'resolved', id }) };
}

const REASON_LABELS: Record<ModerationReason, string> = {
  banned_word: 'Banned word',
  premod: 'Pre-moderated article',
  reported: 'Reported',
};

/** `/moderation` (leads): pending and reported reader comments, newsroom-wide, and the banned-word list. */
export function ModerationPage() {
  const user = useCurrentUser();
  useEffect(() => {
    document.title = 'Moderation · Copydesk';
  }, []);
  return (
    <div className="page">
      <AppHeader />
      {user.role === 'lead' ? (
        <ModerationDesk />
      ) : (
        <main className="desk">
          <div className="state state--error" role="alert">
            <p>Only desk leads moderate reader comments.</p>
            <Link to="/" className="button button--primary">
              Back to the desk
            </Link>
          </div>
        </main>
      )}
    </div>
  );
}

function ModerationDesk() {
  const { state, resolved } = useModerationQueue();
  const now = useNow(30_000);
  const count = state.items?.length ?? 0;
  return (
    <main className="desk moderation">
      <div className="desk__head">
        <div>
          <h1 className="desk__title">Moderation</h1>
          <p className="desk__subtitle">
            Reader comments waiting for review: held for a banned word, on a pre-moderated article, or reported by readers.
          </p>
        </div>
        <span className={`feed-live${state.live ? '' : ' feed-live--off'}`} role="status">
          <span className={`dot${state.live ? ' dot--live' : ''}`} aria-hidden="true" /> {state.live ? 'Live' : 'Connecting…'}
        </span>
      </div>
      <div className="moderation__layout">
        <section aria-labelledby="queue-title">
          <h2 id="queue-title" className="moderation__section-title">
            Queue <span className="desk-group__count">{count}</span>
          </h2>
          {state.error && (
            <p className="form-error" role="alert">
              {state.error}
            </p>
          )}
          {state.items === null && !state.error && (
            <div className="state state--loading" role="status">
              <span className="spinner" aria-hidden="true" /> Loading the queue…
            </div>
          )}
          {state.items?.length === 0 && <p className="moderation__empty">All caught up. New comments that need a look appear here as they arrive.</p>}
          <ol className="moderation__list">
            {state.items?.map((item) => (
              <QueueCard key={item.comment.id} item={item} now={now} onDone={() => resolved(item.comment.id)} />
            ))}
          </ol>
        </section>
        <BannedWords />
      </div>
    </main>
  );
}

function QueueCard({ item, now, onDone }: { item: ModerationItem; now: number; onDone: () => void }) {
  const { comment, article } = item;
  const pending = comment.status === 'pending';
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [note, setNote] = useState('');
  const [sent, setSent] = useState(false);
  /** Removing a published comment takes it off the reader page: ask first. */
  const [confirmRemove, setConfirmRemove] = useState(false);

  const act = async (action: 'approve' | 'reject') => {
    setBusy(true);
    setError(null);
    try {
      await (action === 'approve' ? commentsApi.approve(comment.id) : commentsApi.reject(comment.id));
      onDone();
    } catch (e) {
      setError(problem(e));
      setBusy(false);
    }
  };
  const toDesk = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await commentsApi.toEditorial(comment.id, note);
      setSent(true);
      setSending(false);
    } catch (err) {
      setError(problem(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="moderation__item" data-testid="moderation-item" aria-label={`Comment by ${comment.author.displayName}`}>
      <div className="moderation__meta">
        <span className="moderation__reasons">
          {item.reasons.map((r) => (
            <span key={r} className={`badge moderation__reason moderation__reason--${r}`}>
              {REASON_LABELS[r]}
              {r === 'banned_word' && item.matchedWords.length ? `: ${item.matchedWords.join(', ')}` : ''}
              {r === 'reported' && item.reports.length > 1 ? ` ×${item.reports.length}` : ''}
            </span>
          ))}
        </span>
        <span className="muted">
          on{' '}
          <a href={`/news/${encodeURIComponent(article.slug)}#comment-${comment.id}`} className="moderation__article">
            {article.headline}
          </a>
        </span>
      </div>
      <p className="moderation__author">
        <strong>{comment.author.displayName}</strong>{' '}
        <time dateTime={comment.createdAt} title={formatAbsolute(comment.createdAt)} className="muted">
          {formatRelative(comment.createdAt, now)}
        </time>
        {comment.editedAt && <span className="muted"> · edited</span>}
        {!pending && <span className="muted"> · published</span>}
      </p>
      <blockquote className="moderation__body">
        <CommentText body={comment.body} />
      </blockquote>
      {item.reports.length > 0 && (
        <ul className="moderation__reports" aria-label="Reports">
          {item.reports.map((r) => (
            <li key={`${r.by.id}-${r.at}`}>
              <strong>{r.by.displayName}</strong>: {r.reason ?? <span className="muted">no reason given</span>}
            </li>
          ))}
        </ul>
      )}
      <div className="moderation__actions">
        <button type="button" className="button button--primary" disabled={busy} onClick={() => void act('approve')}>
          {pending ? 'Approve' : 'Keep'}
        </button>
        <button type="button" className="button button--danger" disabled={busy} onClick={() => (pending ? void act('reject') : setConfirmRemove(true))}>
          {pending ? 'Reject' : 'Remove'}
        </button>
        <ConfirmDialog
          open={confirmRemove}
          title="Remove this comment?"
          confirmLabel="Remove"
          danger
          busy={busy}
          onCancel={() => setConfirmRemove(false)}
          onConfirm={() => {
            setConfirmRemove(false);
            void act('reject');
          }}
        >
          <p>
            {comment.author.displayName}’s comment comes off “{article.headline}” for every reader.
          </p>
        </ConfirmDialog>
        <button type="button" className="button button--ghost" disabled={busy || sent} onClick={() => setSending((s) => !s)}>
          {sent ? 'Sent to desk' : 'Send to desk'}
        </button>
      </div>
      {sending && (
        <form className="moderation__to-desk" onSubmit={(e) => void toDesk(e)}>
          <label className="field">
            <span className="field__label">Note for the writers (optional; @name to notify)</span>
            <input value={note} onChange={(e) => setNote(e.target.value)} placeholder="Reader says the date is wrong" maxLength={2000} autoFocus />
          </label>
          <button type="submit" className="button button--primary" disabled={busy}>
            Add editorial comment
          </button>
        </form>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

function BannedWords() {
  const [words, setWords] = useState<string[] | null>(null);
  const [draft, setDraft] = useState('');
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    commentsApi.bannedWords(controller.signal).then(setWords, (e: unknown) => !controller.signal.aborted && setMessage({ kind: 'error', text: problem(e) }));
    return () => controller.abort();
  }, []);

  const save = async (next: string[]) => {
    setSaving(true);
    setMessage(null);
    try {
      setWords(await commentsApi.setBannedWords(next));
      setMessage({ kind: 'ok', text: 'Saved. New comments are checked against this list.' });
    } catch (e) {
      setMessage({ kind: 'error', text: problem(e) });
    } finally {
      setSaving(false);
    }
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    const word = draft.trim().toLowerCase();
    if (!word || !words) return;
    setDraft('');
    if (!words.includes(word)) void save([...words, word]);
  };

  return (
    <aside className="moderation__banned" aria-labelledby="banned-title">
      <h2 id="banned-title" className="moderation__section-title">
        Banned words
      </h2>
      <p className="field__hint">Whole words or phrases, any case. A comment containing one waits here for review.</p>
      {words === null ? (
        <p className="muted">Loading…</p>
      ) : words.length === 0 ? (
        <p className="muted">No banned words.</p>
      ) : (
        <ul className="chips" aria-label="Banned words">
          {words.map((w) => (
            <li key={w} className="chip">
              {w}
              <button type="button" className="chip__remove" aria-label={`Remove ${w}`} disabled={saving} onClick={() => void save(words.filter((x) => x !== w))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="moderation__add" onSubmit={add}>
        <label className="visually-hidden" htmlFor="banned-word">
          Add a banned word
        </label>
        <input id="banned-word" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="Add a word or phrase" maxLength={60} disabled={words === null} />
        <button type="submit" className="button button--ghost" disabled={saving || !draft.trim()}>
          Add
        </button>
      </form>
      {message && (
        <p className={message.kind === 'ok' ? 'field__hint' : 'form-error'} role={message.kind === 'ok' ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
    </aside>
  );
}
