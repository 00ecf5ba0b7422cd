import { useState } from 'react';
import { ErrorCode, type Article, type ArticleStatus } from '@copydesk/protocol';
import { api, ApiClientError } from '../../../api/index.ts';
import { StatusBadge } from '../../../components/StatusBadge.tsx';
import { ConfirmDialog } from '../../../components/ConfirmDialog.tsx';
import { useTimeline } from '../useTimeline.ts';
import { DANGEROUS, noteRequirement, transitionLabel } from './workflowLabels.ts';

/** The article's status, the moves the signed-in user may make, and the audited timeline. */
export function WorkflowTab({ article }: { article: Article }) {
  const timeline = useTimeline(article.id, article.status);
  const [pending, setPending] = useState<ArticleStatus | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Publishing waits for a yes in a dialog: it puts the story in front of readers. */
  const [confirmPublish, setConfirmPublish] = useState(false);
  /** Publishing or scheduling was refused because the text changed since approval: offer to re-approve it. */
  const [changedSinceApproval, setChangedSinceApproval] = useState<{ to: ArticleStatus; note?: string } | null>(null);
  const [scheduling, setScheduling] = useState(false);
  const [publishAt, setPublishAt] = useState('');

  const requirement = pending ? noteRequirement(article.status, pending) : null;

  const run = async (to: ArticleStatus, withNote?: string, reapprove = false) => {
    setBusy(true);
    setError(null);
    setChangedSinceApproval(null);
    try {
      await api.transition(article.id, { to, ...(withNote?.trim() ? { note: withNote.trim() } : {}), ...(reapprove ? { reapprove: true } : {}) });
      setPending(null);
      setNote('');
    } catch (e) {
      if (e instanceof ApiClientError && e.code === ErrorCode.changedSinceApproval) setChangedSinceApproval({ to, ...(withNote ? { note: withNote } : {}) });
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const schedule = async (reapprove = false) => {
    setBusy(true);
    setError(null);
    setChangedSinceApproval(null);
    try {
      // datetime-local is the lead's local time; the server takes an ISO instant.
      await api.schedule(article.id, { publishAt: new Date(publishAt).toISOString(), ...(reapprove ? { reapprove: true } : {}) });
      setScheduling(false);
    } catch (e) {
      if (e instanceof ApiClientError && e.code === ErrorCode.changedSinceApproval) setChangedSinceApproval({ to: 'scheduled' });
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const choose = (to: ArticleStatus) => {
    if (to === 'scheduled') {
      setPending(null);
      setScheduling(true);
    } else if (to === 'published' && article.status !== 'published') {
      setConfirmPublish(true);
    } else if (noteRequirement(article.status, to) || DANGEROUS.has(to)) {
      setPending(to);
      setNote('');
    } else {
      void run(to);
    }
  };

  return (
    <div className="workflow">
      <div className="workflow__status">
        <span className="muted">Status</span> <StatusBadge status={article.status} />
        {article.scheduledFor && (
          <span data-testid="scheduled-for">
            for <time dateTime={article.scheduledFor}>{new Date(article.scheduledFor).toLocaleString()}</time>
          </span>
        )}
        {article.publishedAt && (
          <a className="workflow__live-link" href={`/news/${article.slug}`} target="_blank" rel="noopener">
            View on site ↗
          </a>
        )}
      </div>

      {timeline.available.length > 0 ? (
        <div className="workflow__actions" role="group" aria-label="Workflow actions">
          {timeline.available.map((to) => (
            <button
              key={to}
              type="button"
              className={`button ${DANGEROUS.has(to) ? 'button--danger' : to === 'published' || (to === 'approved' && article.status !== 'scheduled') || to === 'filed' ? 'button--primary' : ''}`}
              disabled={busy}
              onClick={() => choose(to)}
            >
              {transitionLabel(article.status, to)}
            </button>
          ))}
        </div>
      ) : (
        <p className="muted">There is nothing you can move this article to right now.</p>
      )}

      <ConfirmDialog
        open={confirmPublish}
        title="Publish this story?"
        confirmLabel="Publish now"
        busy={busy}
        onCancel={() => setConfirmPublish(false)}
        onConfirm={() => {
          setConfirmPublish(false);
          void run('published');
        }}
      >
        <p>
          “{article.headline || 'Untitled'}” goes live on the public site{article.slug ? ` at /news/${article.slug}` : ''}. Readers see it at once.
        </p>
        <p>Later edits reach readers only when the story is published again.</p>
      </ConfirmDialog>

      {scheduling && (
        <form
          className="workflow__confirm"
          onSubmit={(e) => {
            e.preventDefault();
            void schedule();
          }}
        >
          <label className="field">
            <span className="field__label">Publish at</span>
            <input type="datetime-local" step={1} value={publishAt} onChange={(e) => setPublishAt(e.target.value)} required autoFocus />
          </label>
          <div className="workflow__confirm-actions">
            <button type="submit" className="button button--primary" disabled={busy || !publishAt}>
              Schedule
            </button>
            <button type="button" className="button button--ghost" onClick={() => setScheduling(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}

      {pending && (
        <form
          className="workflow__confirm"
          onSubmit={(e) => {
            e.preventDefault();
            void run(pending, note);
          }}
        >
          <label className="field">
            <span className="field__label">{requirement?.label ?? 'Note (optional)'}</span>
            <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={3} required={requirement?.required} autoFocus />
          </label>
          <div className="workflow__confirm-actions">
            <button type="submit" className={`button ${DANGEROUS.has(pending) ? 'button--danger' : 'button--primary'}`} disabled={busy}>
              Confirm: {transitionLabel(article.status, pending)}
            </button>
            <button type="button" className="button button--ghost" onClick={() => setPending(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {error && (
        <p className="text-danger" role="alert">
          {error}
        </p>
      )}
      {changedSinceApproval && (
        <div className="workflow__confirm-actions">
          <button
            type="button"
            className="button button--primary"
            disabled={busy}
            onClick={() => void (changedSinceApproval.to === 'scheduled' ? schedule(true) : run(changedSinceApproval.to, changedSinceApproval.note, true))}
          >
            {changedSinceApproval.to === 'scheduled' ? 'Approve the current text and schedule it' : 'Approve the current text and publish'}
          </button>
          <button type="button" className="button button--ghost" onClick={() => setChangedSinceApproval(null)}>
            Cancel
          </button>
        </div>
      )}

      <h3 className="panel-heading">Timeline</h3>
      {timeline.transitions === null ? (
        <p className="muted">{timeline.error ?? 'Loading…'}</p>
      ) : timeline.transitions.length === 0 ? (
        <p className="muted">No workflow steps yet. The article was created as a draft.</p>
      ) : (
        <ol className="timeline" data-testid="timeline">
          {[...timeline.transitions].reverse().map((t) => {
            const isRestore = t.from === t.to && t.to !== 'published';
            return (
              <li key={t.id} className="timeline__item">
                <p className="timeline__what">
                  {isRestore ? (
                    <strong>{t.note}</strong>
                  ) : (
                    <>
                      <StatusBadge status={t.to} /> {t.from === t.to ? 'correction' : `from ${t.from}`}
                    </>
                  )}
                </p>
                <p className="timeline__who">
                  {t.by.displayName} · <time dateTime={t.at}>{new Date(t.at).toLocaleString()}</time>
                </p>
                {t.note && !isRestore && <p className="timeline__note">“{t.note}”</p>}
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
