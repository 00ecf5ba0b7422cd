import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useAuth, useCurrentUser } from '../auth/AuthContext.tsx';
import { useArticleDoc, type Access } from '../../collab/useArticleDoc.ts';
import { colorForUser } from '../../collab/colors.ts';
import type { AwarenessUser } from '../../collab/awarenessUser.ts';
import { PresenceAvatars } from '../presence/PresenceAvatars.tsx';
import { useArticlePresence } from '../presence/useArticlePresence.ts';
import { usePresenceReporting } from '../presence/usePresenceReporting.ts';
import { AuthorToggle, useAuthorColours } from '../presence/AuthorToggle.tsx';
import { AuthorLegend } from '../presence/AuthorLegend.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { ErrorPage } from '../../components/ErrorPage.tsx';
import { ArticleEditor } from './ArticleEditor.tsx';
import { ConnectionStatus } from './ConnectionStatus.tsx';
import { NotAppliedNotice } from './NotAppliedNotice.tsx';
import { useChangedSinceApproval } from './useChangedSinceApproval.ts';
import { useWarnBeforeLeaving } from './useWarnBeforeLeaving.ts';
import { useArticle } from './useArticle.ts';
import { SidePanel } from './panel/SidePanel.tsx';
import { NotificationsBell } from '../comments/NotificationsBell.tsx';

export function EditorPage() {
  const { id = '' } = useParams();
  return <EditorSession key={id} articleId={id} />;
}

function EditorSession({ articleId }: { articleId: string }) {
  const user = useCurrentUser();
  const { sessionExpired } = useAuth();
  const session = useArticleDoc(articleId);
  const lookup = useArticle(articleId);
  const changedSinceApproval = useChangedSinceApproval(lookup.state === 'ok' ? lookup.article : null);
  useWarnBeforeLeaving(session.unsynced);
  const presence = useArticlePresence(articleId);
  usePresenceReporting(session.provider);
  const [showAuthors, setShowAuthors] = useAuthorColours();
  const [headline, setHeadline] = useState<string | null>(null);

  // The server gives each person a colour of their own in this article (no two alike); until it says, the usual one.
  const myColor = presence.article?.people.find((p) => p.userId === user.id)?.color ?? colorForUser(user.id);
  const me = useMemo<AwarenessUser>(() => ({ id: user.id, name: user.displayName, color: myColor }), [user.id, user.displayName, myColor]);

  // The socket's verdict wins; the REST lookup answers earlier for the common refusals.
  const access: Access =
    session.access !== 'ok'
      ? session.access
      : lookup.state === 'forbidden' || lookup.state === 'not-found' || lookup.state === 'unauthenticated'
        ? lookup.state
        : 'ok';

  useEffect(() => {
    if (access === 'unauthenticated') sessionExpired();
  }, [access, sessionExpired]);

  // Stop reconnecting once we know the answer is "no" (REST told us before the socket did).
  useEffect(() => {
    if ((access === 'forbidden' || access === 'not-found') && session.provider) {
      session.provider.shouldConnect = false;
      session.provider.disconnect();
    }
  }, [access, session.provider]);

  // Typing into a read-only story is refused visibly (the notice says so), never dropped in silence.
  const [blockedAt, setBlockedAt] = useState(0);
  useEffect(() => {
    if (!session.readOnly) {
      setBlockedAt(0);
      return;
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key.length !== 1 && e.key !== 'Enter' && e.key !== 'Backspace' && e.key !== 'Delete') return;
      const target = e.target as HTMLElement;
      const field = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement ? target : null;
      if (field ? !field.readOnly || !field.closest('.article-editor') : target !== document.body && !target.closest('.article-editor')) return;
      setBlockedAt(Date.now());
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [session.readOnly]);
  useEffect(() => {
    if (!blockedAt) return;
    const timer = window.setTimeout(() => setBlockedAt(0), 5000);
    return () => window.clearTimeout(timer);
  }, [blockedAt]);

  const title = headline?.trim() || (lookup.state === 'ok' ? lookup.article.headline : '');
  useEffect(() => {
    document.title = access === 'forbidden' ? 'No access · Copydesk' : access === 'not-found' ? 'Not found · Copydesk' : `${title || 'Article'} · Copydesk`;
  }, [title, access]);

  if (access === 'forbidden') return <ForbiddenPage />;
  if (access === 'not-found') return <ArticleNotFound />;
  if (access === 'unauthenticated') return null; // the auth guard redirects to /login

  return (
    <div className="page page--editor">
      <header className="editor-bar">
        <div className="editor-bar__inner">
          <Link to="/" className="back-link">
            <span aria-hidden="true">←</span> <span className="back-link__label">Desk</span>
          </Link>
          <div className="editor-bar__title" aria-hidden={!title}>
            {lookup.state === 'ok' && <StatusBadge status={lookup.article.status} />}
            <span className="editor-bar__headline">{title}</span>
          </div>
          <div className="editor-bar__right">
            <ConnectionStatus connection={session.connection} save={session.save} />
            <AuthorToggle on={showAuthors} onChange={setShowAuthors} />
            <PresenceAvatars me={me} people={presence.article?.people ?? []} live={presence.live} />
            <NotificationsBell />
          </div>
        </div>
      </header>

      {showAuthors && session.synced && session.doc && <AuthorLegend doc={session.doc} />}

      {lookup.state === 'ok' && changedSinceApproval && (
        <div className="banner banner--changed" role="status" data-testid="changed-since-approval">
          <div className="banner__inner">
            <p>
              {lookup.article.status === 'published' ? (
                <>
                  <strong>Unpublished changes.</strong> The working copy differs from the live page; readers see it only when a lead publishes again
                  (History compares any version with the published page).
                </>
              ) : (
                <>
                  <strong>Changed since approval.</strong> Publishing this text needs a lead to approve it again.
                </>
              )}
            </p>
          </div>
        </div>
      )}

      {session.save === 'refused' && session.doc && (
        <NotAppliedNotice articleId={articleId} doc={session.doc} reason={session.refusedReason} onDiscard={session.discardLocalChanges} />
      )}

      {session.readOnly && (
        <div className={`banner banner--readonly${blockedAt ? ' banner--nudge' : ''}`} role="status" data-testid="read-only-banner" key={blockedAt}>
          <div className="banner__inner">
            <LockIcon />
            <div>
              <p>
                <strong>Read-only.</strong> {session.readOnlyReason ?? 'You can read this article but not change it right now.'}
                {user.role !== 'lead' && ' A desk lead can reopen it for editing from the Workflow tab.'}
              </p>
              {blockedAt > 0 && (
                <p className="banner__blocked" role="alert" data-testid="typing-blocked">
                  Your typing was not added: this story cannot be changed right now.
                </p>
              )}
            </div>
          </div>
        </div>
      )}

      <div className="editor-layout">
      <main className="editor-main">
        {session.synced && session.doc && session.provider ? (
          <ArticleEditor doc={session.doc} provider={session.provider} me={me} readOnly={session.readOnly} onHeadline={setHeadline} showAuthors={showAuthors} />
        ) : (
          <div className="column">
            <div className="state state--loading" role="status">
              <span className="spinner" aria-hidden="true" /> Opening article…
            </div>
            {session.connection === 'offline' && (
              <p className="state__hint">We cannot reach the server and this article is not saved on this device yet. We will keep trying.</p>
            )}
          </div>
        )}
      </main>
      {lookup.state === 'ok' && <SidePanel article={lookup.article} readOnly={session.readOnly} />}
      </div>
    </div>
  );
}

function LockIcon() {
  return (
    <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <rect x="4" y="11" width="16" height="10" rx="2" />
      <path d="M8 11V7a4 4 0 0 1 8 0v4" />
    </svg>
  );
}

export function ForbiddenPage() {
  return (
    <ErrorPage code={403} title="You cannot edit this article">
      Your account does not have access to this story. If you think you should, ask the desk lead to add you.
    </ErrorPage>
  );
}

export function ArticleNotFound() {
  return (
    <ErrorPage code={404} title="Article not found">
      This article does not exist or has been removed. Check the link, or find the story on the desk.
    </ErrorPage>
  );
}
