import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { COMMENT_EDIT_WINDOW_MS, COMMENT_MAX_LENGTH, COMMENT_REPLIES_PREVIEW, commentLength, type Comment, type PublicUser } from '@copydesk/protocol';
import { api } from '../../../api/index.ts';
import { resetSocket } from '../../../realtime/socket.ts';
import { formatAbsolute, formatRelative, useNow } from '../../../lib/time.ts';
import { CommentText } from '../CommentText.tsx';
import { commentsApi } from '../api.ts';
import { threadsOf, type Thread } from './readerState.ts';
import { problem, useReaderComments } from './useReaderComments.ts';

type Session = { status: 'loading' } | { status: 'ready'; user: PublicUser | null };

/** The live comments section of a reader page (`/news/<slug>`), mounted over the server-rendered list. */
export function ReaderComments({ articleId }: { articleId: string }) {
  const [session, setSession] = useState<Session>({ status: 'loading' });
  const [connection, setConnection] = useState(0);
  const user = session.status === 'ready' ? session.user : null;
  const comments = useReaderComments(articleId, user?.id ?? null, connection);
  const { state } = comments;
  const now = useNow(15_000);
  const threads = threadsOf(state);
  const [olderBusy, setOlderBusy] = useState(false);
  const [olderError, setOlderError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    api.me(controller.signal).then(
      (me) => setSession({ status: 'ready', user: me }),
      () => !controller.signal.aborted && setSession({ status: 'ready', user: null }),
    );
    return () => controller.abort();
  }, []);

  // The socket authenticates at its handshake: reconnect it whenever the session changes.
  const sessionChanged = (next: PublicUser | null) => {
    resetSocket();
    setSession({ status: 'ready', user: next });
    setConnection((n) => n + 1);
  };

  const loadOlder = async () => {
    setOlderBusy(true);
    setOlderError(null);
    try {
      await comments.loadOlder();
    } catch (error) {
      setOlderError(problem(error));
    } finally {
      setOlderBusy(false);
    }
  };

  return (
    <div className="rc">
      <div className="rc__head">
        <h2 className="rc__title">
          Comments{' '}
          <span className="rc__count" data-testid="comment-count" aria-live="polite">
            {state.count}
          </span>
        </h2>
        <div className="rc__tools">
          <span className={`rc__live${state.live ? ' rc__live--on' : ''}`} role="status">
            <span className="rc__dot" aria-hidden="true" />
            {state.live ? 'Live' : state.status === 'loading' ? 'Connecting…' : 'Reconnecting…'}
          </span>
          <label className="rc__order">
            <span className="rc__sr">Sort comments</span>
            <select value={state.order} onChange={(e) => comments.setOrder(e.target.value as 'newest' | 'oldest')} aria-label="Sort comments">
              <option value="newest">Newest first</option>
              <option value="oldest">Oldest first</option>
            </select>
          </label>
        </div>
      </div>

      {session.status === 'loading' ? null : user ? (
        <>
          <Composer
            label="Add a comment"
            placeholder="Share what you know, or ask a question"
            submitLabel="Post comment"
            onSubmit={(body) => comments.post(body, null)}
            footer={
              <span className="rc__as">
                Commenting as <strong>{user.displayName}</strong> ·{' '}
                <button type="button" className="rc__link" onClick={() => void api.logout().finally(() => sessionChanged(null))}>
                  Sign out
                </button>
              </span>
            }
          />
        </>
      ) : (
        <SignIn onSignedIn={sessionChanged} />
      )}
      {state.mode === 'premod' && <p className="rc__note">Comments on this article are reviewed by the newsroom before they appear.</p>}

      {state.notices
        .filter((n) => n.parentId === null)
        .map((n) => (
          <Notice key={n.id} text={n.text} onDismiss={() => comments.dismiss(n.id)} />
        ))}

      {state.status === 'error' && (
        <p className="rc__error" role="alert">
          Comments could not be loaded: {state.error}
        </p>
      )}
      {state.status === 'ready' && threads.length === 0 && <p className="rc__empty">No comments yet. {user ? 'Start the conversation.' : 'Sign in to start the conversation.'}</p>}

      <ol className="rc__list" aria-label="Comments">
        {threads.map((thread) => (
          <ThreadItem key={thread.comment.id} thread={thread} user={user} now={now} comments={comments} />
        ))}
      </ol>
      {state.nextCursor && (
        <div className="rc__more">
          <button type="button" className="rc__button rc__button--quiet" onClick={() => void loadOlder()} disabled={olderBusy} aria-busy={olderBusy || undefined}>
            {olderBusy ? 'Loading…' : state.order === 'newest' ? 'Load older comments' : 'Load more comments'}
          </button>
          {olderError && (
            <p className="rc__error" role="alert">
              {olderError}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

type Comments = ReturnType<typeof useReaderComments>;

function ThreadItem({ thread, user, now, comments }: { thread: Thread; user: PublicUser | null; now: number; comments: Comments }) {
  const [replying, setReplying] = useState(false);
  const [loadingReplies, setLoadingReplies] = useState(false);
  const [allReplies, setAllReplies] = useState(false);
  const notices = comments.state.notices.filter((n) => n.parentId === thread.comment.id);
  const mayHaveMore = !allReplies && thread.replies.filter((r) => r.status === 'published').length >= COMMENT_REPLIES_PREVIEW;
  return (
    <li className="rc__thread">
      <CommentCard comment={thread.comment} user={user} now={now} comments={comments} fresh={comments.state.fresh[thread.comment.id]} onReply={user ? () => setReplying(true) : undefined} />
      {(thread.replies.length > 0 || replying || notices.length > 0 || mayHaveMore) && (
        <div className="rc__replies">
          {mayHaveMore && (
            <button
              type="button"
              className="rc__link"
              disabled={loadingReplies}
              onClick={() => {
                setLoadingReplies(true);
                void comments.loadReplies(thread.comment.id).finally(() => {
                  setLoadingReplies(false);
                  setAllReplies(true);
                });
              }}
            >
              {loadingReplies ? 'Loading replies…' : 'Show earlier replies'}
            </button>
          )}
          <ol className="rc__list" aria-label={`Replies to ${thread.comment.author.displayName}`}>
            {thread.replies.map((reply) => (
              <li key={reply.id}>
                <CommentCard comment={reply} user={user} now={now} comments={comments} fresh={comments.state.fresh[reply.id]} onReply={user ? () => setReplying(true) : undefined} />
              </li>
            ))}
          </ol>
          {notices.map((n) => (
            <Notice key={n.id} text={n.text} onDismiss={() => comments.dismiss(n.id)} />
          ))}
          {replying && (
            <Composer
              label={`Reply to ${thread.comment.author.displayName}`}
              placeholder="Write a reply"
              submitLabel="Reply"
              autoFocus
              onSubmit={async (body) => {
                await comments.post(body, thread.comment.id);
                setReplying(false);
              }}
              onCancel={() => setReplying(false)}
            />
          )}
        </div>
      )}
    </li>
  );
}

type Mode = { kind: 'view' } | { kind: 'edit' } | { kind: 'confirm-delete' } | { kind: 'confirm-remove' } | { kind: 'report' } | { kind: 'reported' } | { kind: 'to-desk' } | { kind: 'sent' };

function CommentCard({
  comment,
  user,
  now,
  comments,
  fresh,
  onReply,
}: {
  comment: Comment;
  user: PublicUser | null;
  now: number;
  comments: Comments;
  fresh?: boolean;
  onReply?: () => void;
}) {
  const [mode, setMode] = useState<Mode>({ kind: 'view' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const mine = user?.id === comment.author.id;
  const lead = user?.role === 'lead';
  const editable = mine && comment.status !== 'rejected' && now - Date.parse(comment.createdAt) < COMMENT_EDIT_WINDOW_MS;

  const run = async (action: () => Promise<unknown>, after: Mode) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      setMode(after);
    } catch (e) {
      setError(problem(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article
      className={`rc__comment${comment.status === 'pending' ? ' rc__comment--pending' : ''}${fresh ? ' rc__comment--fresh' : ''}`}
      id={`comment-${comment.id}`}
      data-comment-id={comment.id}
      aria-label={`Comment by ${comment.author.displayName}`}
    >
      <header className="rc__meta">
        <span className="rc__author">{comment.author.displayName}</span>
        {mine && <span className="rc__you">you</span>}
        <time dateTime={comment.createdAt} title={formatAbsolute(comment.createdAt)}>
          {formatRelative(comment.createdAt, now)}
        </time>
        {comment.editedAt && <span className="rc__edited">edited</span>}
        {comment.status === 'pending' && (
          <span className="rc__pending" data-testid="awaiting-review">
            Awaiting review
          </span>
        )}
      </header>

      {mode.kind === 'edit' ? (
        <Composer
          label="Edit your comment"
          initial={comment.body}
          submitLabel="Save"
          autoFocus
          onSubmit={async (body) => {
            await comments.edit(comment.id, body);
            setMode({ kind: 'view' });
          }}
          onCancel={() => setMode({ kind: 'view' })}
        />
      ) : (
        <p className="rc__body">
          <CommentText body={comment.body} />
        </p>
      )}
      {comment.status === 'pending' && mode.kind !== 'edit' && <p className="rc__hint">Only you can see this until a moderator approves it.</p>}

      {mode.kind === 'view' && (
        <div className="rc__actions">
          {onReply && comment.status === 'published' && (
            <button type="button" className="rc__action" onClick={onReply}>
              Reply
            </button>
          )}
          {editable && (
            <button type="button" className="rc__action" onClick={() => setMode({ kind: 'edit' })}>
              Edit
            </button>
          )}
          {mine && (
            <button type="button" className="rc__action" onClick={() => setMode({ kind: 'confirm-delete' })}>
              Delete
            </button>
          )}
          {user && !mine && comment.status === 'published' && (
            <button type="button" className="rc__action" onClick={() => setMode({ kind: 'report' })}>
              Report
            </button>
          )}
          {lead && !mine && comment.status === 'published' && (
            <>
              <button type="button" className="rc__action" onClick={() => setMode({ kind: 'to-desk' })}>
                Send to desk
              </button>
              <button type="button" className="rc__action rc__action--danger" disabled={busy} onClick={() => setMode({ kind: 'confirm-remove' })}>
                Remove
              </button>
            </>
          )}
        </div>
      )}
      {mode.kind === 'confirm-remove' && (
        <div className="rc__confirm" role="group" aria-label="Confirm removal">
          <span>
            Remove {comment.author.displayName}’s comment from the page? Readers will no longer see it.
          </span>
          <button type="button" className="rc__button rc__button--danger" disabled={busy} autoFocus onClick={() => void run(() => commentsApi.reject(comment.id), { kind: 'view' })}>
            Remove
          </button>
          <button type="button" className="rc__button rc__button--quiet" onClick={() => setMode({ kind: 'view' })}>
            Cancel
          </button>
        </div>
      )}
      {mode.kind === 'confirm-delete' && (
        <div className="rc__confirm" role="group" aria-label="Confirm deletion">
          <span>Delete this comment{comment.parentId === null ? ' and its replies' : ''}?</span>
          <button type="button" className="rc__button rc__button--danger" disabled={busy} onClick={() => void run(() => comments.remove(comment.id), { kind: 'view' })}>
            Delete
          </button>
          <button type="button" className="rc__button rc__button--quiet" onClick={() => setMode({ kind: 'view' })}>
            Cancel
          </button>
        </div>
      )}
      {mode.kind === 'report' && (
        <form
          className="rc__confirm"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => comments.report(comment.id, text.trim() || undefined), { kind: 'reported' });
          }}
        >
          <label className="rc__inline-field">
            <span>Why should moderators look at this? (optional)</span>
            <input value={text} onChange={(e) => setText(e.target.value)} maxLength={500} autoFocus />
          </label>
          <button type="submit" className="rc__button" disabled={busy}>
            Report
          </button>
          <button type="button" className="rc__button rc__button--quiet" onClick={() => setMode({ kind: 'view' })}>
            Cancel
          </button>
        </form>
      )}
      {mode.kind === 'to-desk' && (
        <form
          className="rc__confirm"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => commentsApi.toEditorial(comment.id, text), { kind: 'sent' });
          }}
        >
          <label className="rc__inline-field">
            <span>Note for the desk (optional)</span>
            <input value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. Reader says the date is wrong" maxLength={2000} autoFocus />
          </label>
          <button type="submit" className="rc__button" disabled={busy}>
            Send to desk
          </button>
          <button type="button" className="rc__button rc__button--quiet" onClick={() => setMode({ kind: 'view' })}>
            Cancel
          </button>
        </form>
      )}
      {mode.kind === 'reported' && <p className="rc__hint" role="status">Thanks — a moderator will review this comment.</p>}
      {mode.kind === 'sent' && <p className="rc__hint" role="status">Sent to the desk as an editorial comment.</p>}
      {error && (
        <p className="rc__error" role="alert">
          {error}
        </p>
      )}
    </article>
  );
}

function Notice({ text, onDismiss }: { text: string; onDismiss: () => void }) {
  return (
    <div className="rc__notice" role="status">
      <span>{text}</span>
      <button type="button" className="rc__link" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}

function Composer({
  label,
  placeholder,
  submitLabel,
  initial = '',
  autoFocus,
  footer,
  onSubmit,
  onCancel,
}: {
  label: string;
  placeholder?: string;
  submitLabel: string;
  initial?: string;
  autoFocus?: boolean;
  footer?: ReactNode;
  onSubmit: (body: string) => Promise<unknown>;
  onCancel?: () => void;
}) {
  const [body, setBody] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  const length = commentLength(body);
  const tooLong = length > COMMENT_MAX_LENGTH;

  useEffect(() => {
    if (autoFocus) ref.current?.focus();
  }, [autoFocus]);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (busy) return;
    if (!body.trim()) {
      setError('Write something first.');
      ref.current?.focus();
      return;
    }
    if (tooLong) {
      setError(`Comments are at most ${COMMENT_MAX_LENGTH.toLocaleString('en')} characters.`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit(body);
      setBody('');
    } catch (e) {
      setError(problem(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="rc__composer" onSubmit={(e) => void submit(e)}>
      <label htmlFor={id} className="rc__sr">
        {label}
      </label>
      <textarea
        id={id}
        ref={ref}
        value={body}
        placeholder={placeholder}
        rows={3}
        aria-invalid={error ? true : undefined}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void submit();
          if (e.key === 'Escape' && onCancel) onCancel();
        }}
      />
      <div className="rc__composer-bar">
        {footer}
        <span className={`rc__counter${tooLong ? ' rc__counter--over' : ''}`} aria-live="polite">
          {length > COMMENT_MAX_LENGTH - 200 ? `${COMMENT_MAX_LENGTH - length} left` : ''}
        </span>
        {onCancel && (
          <button type="button" className="rc__button rc__button--quiet" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="rc__button rc__button--primary" disabled={busy} aria-busy={busy || undefined}>
          {busy ? 'Posting…' : submitLabel}
        </button>
      </div>
      {error && (
        <p className="rc__error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (user: PublicUser) => void }) {
  const [open, setOpen] = useState(false);
  // New readers create their own account here (role reader); staff accounts come from a desk lead.
  const [mode, setMode] = useState<'signin' | 'signup'>('signin');
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!open) {
    return (
      <div className="rc__signin-prompt">
        <p>Sign in to join the conversation.</p>
        <button type="button" className="rc__button rc__button--primary" onClick={() => setOpen(true)}>
          Sign in to comment
        </button>
        <button
          type="button"
          className="rc__button rc__button--quiet"
          onClick={() => {
            setMode('signup');
            setOpen(true);
          }}
        >
          Create an account
        </button>
      </div>
    );
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!username.trim() || !password || (mode === 'signup' && !displayName.trim())) {
      setError(mode === 'signup' ? 'Enter a username, the name to show with your comments and a password.' : 'Enter both your username and your password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { user } =
        mode === 'signup'
          ? await api.signup({ username: username.trim(), displayName: displayName.trim(), password })
          : await api.login({ username: username.trim(), password });
      onSignedIn(user);
    } catch (e) {
      setError(problem(e));
      setBusy(false);
    }
  };
  return (
    <form className="rc__signin" onSubmit={(e) => void submit(e)} aria-label={mode === 'signup' ? 'Create an account' : 'Sign in to comment'}>
      <label className="rc__inline-field">
        <span>Username</span>
        <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" autoCapitalize="none" spellCheck={false} autoFocus />
      </label>
      {mode === 'signup' && (
        <label className="rc__inline-field">
          <span>Name shown with your comments</span>
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} autoComplete="name" maxLength={80} />
        </label>
      )}
      <label className="rc__inline-field">
        <span>Password{mode === 'signup' ? ' (at least 10 characters)' : ''}</span>
        <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete={mode === 'signup' ? 'new-password' : 'current-password'} minLength={mode === 'signup' ? 10 : undefined} />
      </label>
      <div className="rc__composer-bar">
        <button type="button" className="rc__button rc__button--quiet" onClick={() => setOpen(false)}>
          Cancel
        </button>
        <button type="button" className="rc__button rc__button--quiet" onClick={() => setMode(mode === 'signup' ? 'signin' : 'signup')}>
          {mode === 'signup' ? 'I have an account' : 'Create an account'}
        </button>
        <button type="submit" className="rc__button rc__button--primary" disabled={busy}>
          {busy ? (mode === 'signup' ? 'Creating…' : 'Signing in…') : mode === 'signup' ? 'Create account' : 'Sign in'}
        </button>
      </div>
      {error && (
        <p className="rc__error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
