import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { COMMENT_MAX_LENGTH, commentLength, type Article, type CommentMode, type EditorialComment } from '@copydesk/protocol';
import { useCurrentUser } from '../../auth/AuthContext.tsx';
import { formatAbsolute, formatRelative, useNow } from '../../../lib/time.ts';
import { CommentText } from '../CommentText.tsx';
import { commentsApi } from '../api.ts';
import { problem } from '../reader/useReaderComments.ts';
import { MentionTextarea } from './MentionTextarea.tsx';
import { useEditorialComments, type EditorialStore, type EditorialThread } from './store.ts';

type Filter = 'open' | 'resolved';

/** The editor's Comments tab: editorial threads in reading order, new threads on a selection, replies, resolve/reopen. */
export function EditorialPanel({ article }: { article: Article }) {
  const { store, state } = useEditorialComments(article.id);
  const user = useCurrentUser();
  const now = useNow(30_000);
  const [filter, setFilter] = useState<Filter>('open');
  const open = state.threads.filter((t) => !t.comment.resolved);
  const resolved = state.threads.filter((t) => t.comment.resolved);
  const shown = filter === 'open' ? open : resolved;

  // A thread opened from elsewhere (a highlight, a notification) shows in its list.
  useEffect(() => {
    const active = state.threads.find((t) => t.comment.id === state.active);
    if (active) setFilter(active.comment.resolved ? 'resolved' : 'open');
  }, [state.active]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <div className="ec" aria-label="Editorial comments">
      <div className="ec__bar">
        <div className="segmented" role="group" aria-label="Show">
          <button type="button" aria-pressed={filter === 'open'} onClick={() => setFilter('open')}>
            Open <span className="ec__n">{open.length}</span>
          </button>
          <button type="button" aria-pressed={filter === 'resolved'} onClick={() => setFilter('resolved')}>
            Resolved <span className="ec__n">{resolved.length}</span>
          </button>
        </div>
        <span className={`ec__live${state.live ? ' ec__live--on' : ''}`} title={state.live ? 'Comments update live' : 'Reconnecting…'}>
          <span className="dot" aria-hidden="true" /> {state.live ? 'Live' : 'Offline'}
        </span>
      </div>

      {state.draft ? (
        <NewThread store={store} quote={state.draft.anchor?.quote ?? null} />
      ) : (
        <div className="ec__start">
          <button type="button" className="button button--primary" disabled={!state.canComment} onClick={() => store.startDraft()}>
            Comment on selection
          </button>
          <button type="button" className="button button--ghost" onClick={() => store.startDraft({ wholeArticle: true })}>
            Whole article
          </button>
          {!state.canComment && <p className="field__hint">Select text in the body, then press Comment (or Ctrl+Alt+M).</p>}
        </div>
      )}

      {state.status === 'loading' && (
        <div className="state state--loading" role="status">
          <span className="spinner" aria-hidden="true" /> Loading comments…
        </div>
      )}
      {state.status === 'error' && (
        <p className="form-error" role="alert">
          Comments could not be loaded: {state.error}
        </p>
      )}
      {state.status === 'ready' && shown.length === 0 && !state.draft && (
        <p className="ec__empty">{filter === 'open' ? 'No open comments. Select text to start a thread.' : 'No resolved threads yet.'}</p>
      )}

      <ol className="ec__threads">
        {shown.map((thread) => (
          <ThreadCard key={thread.comment.id} thread={thread} store={store} active={state.active === thread.comment.id} userId={user.id} isLead={user.role === 'lead'} now={now} />
        ))}
      </ol>

      {user.role === 'lead' && <ReaderCommentSettings article={article} />}
    </div>
  );
}

function NewThread({ store, quote }: { store: EditorialStore; quote: string | null }) {
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    const draft = store.getSnapshot().draft;
    if (!draft || busy) return;
    const problemText = validate(body);
    if (problemText) return setError(problemText);
    setBusy(true);
    setError(null);
    try {
      await store.post({ body, anchor: draft.anchor });
    } catch (e) {
      setError(problem(e));
      setBusy(false);
    }
  };

  return (
    <form className="ec__new" onSubmit={(e) => void submit(e)} aria-label="New comment">
      {quote !== null ? <blockquote className="ec__quote">{quote}</blockquote> : <p className="ec__scope">About the whole article</p>}
      <MentionTextarea
        label="Your comment"
        value={body}
        onChange={setBody}
        onSubmit={() => void submit()}
        onCancel={() => store.cancelDraft()}
        placeholder="Add a comment — @name to mention someone"
        autoFocus
        invalid={!!error}
      />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="ec__actions">
        <button type="button" className="button button--ghost" onClick={() => store.cancelDraft()}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Posting…' : 'Comment'}
        </button>
      </div>
    </form>
  );
}

function validate(body: string): string | null {
  if (!body.trim()) return 'Write something first.';
  if (commentLength(body) > COMMENT_MAX_LENGTH) return `Comments are at most ${COMMENT_MAX_LENGTH.toLocaleString('en')} characters.`;
  return null;
}

function ThreadCard({
  thread,
  store,
  active,
  userId,
  isLead,
  now,
}: {
  thread: EditorialThread;
  store: EditorialStore;
  active: boolean;
  userId: string;
  isLead: boolean;
  now: number;
}) {
  const { comment, replies } = thread;
  const [reply, setReply] = useState('');
  const [replying, setReplying] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLLIElement>(null);

  useEffect(() => {
    if (active) ref.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [active]);

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError(problem(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const sendReply = async (event?: FormEvent) => {
    event?.preventDefault();
    const invalid = validate(reply);
    if (invalid) return setError(invalid);
    if (await run(() => store.post({ body: reply, parentId: comment.id }))) {
      setReply('');
      setReplying(false);
    }
  };

  return (
    <li
      ref={ref}
      className={`ec__thread${active ? ' ec__thread--active' : ''}${comment.resolved ? ' ec__thread--resolved' : ''}`}
      data-testid="editorial-thread"
      data-comment-id={comment.id}
    >
      <button
        type="button"
        className="ec__target"
        onClick={() => store.setActive(comment.id, { reveal: true })}
        aria-label={thread.range ? `Show the commented text: ${comment.anchor?.quote ?? ''}` : 'Select this thread'}
      >
        {comment.anchor ? (
          <>
            <span className="ec__quote-line">“{comment.anchor.quote}”</span>
            {thread.textRemoved && <span className="ec__removed">Text removed</span>}
          </>
        ) : comment.source ? (
          <span className="ec__scope">From reader {comment.source.authorName}</span>
        ) : (
          <span className="ec__scope">Whole article</span>
        )}
      </button>
      {comment.source && (
        <blockquote className="ec__reader" aria-label={`Reader comment by ${comment.source.authorName}`}>
          {comment.source.body}
        </blockquote>
      )}
      <CommentBlock comment={comment} now={now} />
      {replies.map((r) => (
        <CommentBlock key={r.id} comment={r} now={now} reply onDelete={r.author.id === userId || isLead ? () => void run(() => store.delete(r.id)) : undefined} />
      ))}

      {replying ? (
        <form className="ec__reply" onSubmit={(e) => void sendReply(e)}>
          <MentionTextarea label="Reply" value={reply} onChange={setReply} onSubmit={() => void sendReply()} onCancel={() => setReplying(false)} placeholder="Reply…" autoFocus invalid={!!error} />
          <div className="ec__actions">
            <button type="button" className="button button--ghost" onClick={() => setReplying(false)}>
              Cancel
            </button>
            <button type="submit" className="button button--primary" disabled={busy}>
              Reply
            </button>
          </div>
        </form>
      ) : (
        <div className="ec__actions ec__actions--thread">
          <button type="button" className="button button--ghost" onClick={() => setReplying(true)}>
            Reply
          </button>
          <button type="button" className="button button--ghost" disabled={busy} onClick={() => void run(() => store.resolve(comment.id, !comment.resolved))}>
            {comment.resolved ? 'Reopen' : 'Resolve'}
          </button>
          {(comment.author.id === userId || isLead) && (
            <button type="button" className="button button--ghost text-danger" disabled={busy} onClick={() => void run(() => store.delete(comment.id))}>
              Delete
            </button>
          )}
        </div>
      )}
      {comment.resolved && comment.resolvedBy && (
        <p className="ec__resolved-by">
          Resolved by {comment.resolvedBy.displayName} {comment.resolvedAt ? formatRelative(comment.resolvedAt, now) : ''}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

function CommentBlock({ comment, now, reply, onDelete }: { comment: EditorialComment; now: number; reply?: boolean; onDelete?: () => void }) {
  // Bold the @names of a comment that mentioned someone (the server only keeps real staff mentions).
  const names = useMemo(() => {
    if (!comment.mentions.length) return undefined;
    return new Set([...comment.body.matchAll(/@([A-Za-z0-9_.-]+)/g)].map((m) => m[1]!.replace(/[.-]+$/, '').toLowerCase()));
  }, [comment.body, comment.mentions.length]);
  return (
    <div className={`ec__comment${reply ? ' ec__comment--reply' : ''}`}>
      <div className="ec__meta">
        <strong>{comment.author.displayName}</strong>
        <time dateTime={comment.createdAt} title={formatAbsolute(comment.createdAt)}>
          {formatRelative(comment.createdAt, now)}
        </time>
        {onDelete && (
          <button type="button" className="ec__delete" onClick={onDelete} aria-label={`Delete reply by ${comment.author.displayName}`}>
            Delete
          </button>
        )}
      </div>
      <p className="ec__body">
        <CommentText body={comment.body} mentions={names} />
      </p>
    </div>
  );
}

/** Leads: how reader comments on this article are moderated. */
function ReaderCommentSettings({ article }: { article: Article }) {
  const [mode, setMode] = useState<CommentMode | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    commentsApi.mode(article.id, controller.signal).then(setMode, (e: unknown) => !controller.signal.aborted && setError(problem(e)));
    return () => controller.abort();
  }, [article.id]);
  const change = async (next: CommentMode) => {
    const before = mode;
    setMode(next);
    setError(null);
    try {
      setMode(await commentsApi.setMode(article.id, next));
    } catch (e) {
      setMode(before);
      setError(problem(e));
    }
  };
  return (
    <section className="ec__settings" aria-label="Reader comments">
      <h3 className="panel-heading">Reader comments</h3>
      <label className="field">
        <span className="field__label">Moderation</span>
        <select value={mode ?? 'open'} disabled={mode === null} onChange={(e) => void change(e.target.value as CommentMode)}>
          <option value="open">Open — published at once (banned words are held)</option>
          <option value="premod">Pre-moderated — every comment waits for review</option>
        </select>
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <p className="field__hint">
        <Link to="/moderation">Moderation queue</Link>
        {article.publishedAt && (
          <>
            {' · '}
            <a href={`/news/${encodeURIComponent(article.slug)}#comments`}>Reader page</a>
          </>
        )}
      </p>
    </section>
  );
}
