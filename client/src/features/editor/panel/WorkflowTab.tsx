import { useState } from 'react';
import type { Article, ArticleStatus } from '@copydesk/protocol';
import { api } from '../../../api/index.ts';
import { StatusBadge } from '../../../components/StatusBadge.tsx';
import { useTimeline } from '../useTimeline.ts';
import { DANGEROUS, noteRequirement, transitionLabel } from './workflowLabels.ts';

/** The article's status, the moves the signed-in user may make, and the audited timeline. */
export function WorkflowTab({ article }: { article: Article }) {
  const timeline = useTimeline(article.id, article.status);
  const [pending, setPending] = useState<ArticleStatus | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const requirement = pending ? noteRequirement(article.status, pending) : null;

  const run = async (to: ArticleStatus, withNote?: string) => {
    setBusy(true);
    setError(null);
    try {
      await api.transition(article.id, withNote?.trim() ? { to, note: withNote.trim() } : { to });
      setPending(null);
      setNote('');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const choose = (to: ArticleStatus) => {
    if (noteRequirement(article.status, to) || DANGEROUS.has(to)) {
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
              className={`button ${DANGEROUS.has(to) ? 'button--danger' : to === 'published' || to === 'approved' || to === 'filed' ? 'button--primary' : ''}`}
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
