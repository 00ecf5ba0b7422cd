import { useCallback, useEffect, useState } from 'react';
import type { Article, DiffPart, VersionDetail, VersionSummary } from '@copydesk/protocol';
import { api } from '../../../api/index.ts';

const CAUSES: Record<VersionSummary['cause'], string> = {
  transition: 'Workflow',
  approval: 'Approved',
  publish: 'Published',
  autosave: 'Autosave',
  manual: 'Saved',
  restore: 'Restore',
};

/** Versions: save one with a label, look at one, diff it against the draft or the published page, restore it. */
export function HistoryTab({ article, readOnly }: { article: Article; readOnly: boolean }) {
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [label, setLabel] = useState('');
  const [selected, setSelected] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setVersions(await api.listVersions(article.id));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [article.id]);

  // Reload when the article changes (transitions and restores add versions).
  useEffect(() => {
    void load();
  }, [load, article.updatedAt]);

  const save = async () => {
    if (!label.trim()) return;
    try {
      await api.saveVersion(article.id, label.trim());
      setLabel('');
      await load();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <div className="history">
      <form
        className="history__save"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label className="field">
          <span className="field__label">Version label</span>
          <input value={label} onChange={(e) => setLabel(e.target.value)} placeholder="e.g. Before legal read" maxLength={120} />
        </label>
        <button type="submit" className="button" disabled={!label.trim()}>
          Save version
        </button>
      </form>
      {error && (
        <p className="text-danger" role="alert">
          {error}
        </p>
      )}
      {versions === null ? (
        <p className="muted">Loading versions…</p>
      ) : versions.length === 0 ? (
        <p className="muted">No versions yet. One is saved at every workflow step, every 10 minutes of editing, and when you save one.</p>
      ) : (
        <ul className="versions" aria-label="Versions">
          {versions.map((v) => (
            <li key={v.id}>
              <button
                type="button"
                className={`versions__item${selected === v.id ? ' versions__item--selected' : ''}`}
                aria-expanded={selected === v.id}
                onClick={() => setSelected(selected === v.id ? null : v.id)}
              >
                <span className="versions__label">{v.label}</span>
                <span className="versions__meta">
                  {CAUSES[v.cause]} · {v.author?.displayName ?? 'System'} · <time dateTime={v.createdAt}>{new Date(v.createdAt).toLocaleString()}</time> · {v.wordCount} words
                </span>
              </button>
              {selected === v.id && <VersionView article={article} versionId={v.id} readOnly={readOnly} onRestored={load} />}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

type View = 'content' | 'current' | 'published';

function VersionView({ article, versionId, readOnly, onRestored }: { article: Article; versionId: string; readOnly: boolean; onRestored(): void }) {
  const [view, setView] = useState<View>('current');
  const [detail, setDetail] = useState<VersionDetail | null>(null);
  const [diff, setDiff] = useState<DiffPart[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [restoring, setRestoring] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    if (view === 'content') {
      api.getVersion(article.id, versionId, controller.signal).then(setDetail, (e: unknown) => !controller.signal.aborted && setError(String(e)));
    } else {
      setDiff(null);
      api
        .diffVersion(article.id, versionId, view, controller.signal)
        .then(setDiff, (e: unknown) => !controller.signal.aborted && setError(e instanceof Error ? e.message : String(e)));
    }
    return () => controller.abort();
  }, [article.id, versionId, view, article.updatedAt]);

  const restore = async () => {
    setRestoring(true);
    try {
      await api.restoreVersion(article.id, versionId);
      onRestored();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setRestoring(false);
    }
  };

  return (
    <div className="version-view">
      <div className="segmented" role="group" aria-label="Show">
        <button type="button" aria-pressed={view === 'current'} onClick={() => setView('current')}>
          Diff vs draft
        </button>
        <button type="button" aria-pressed={view === 'published'} onClick={() => setView('published')} disabled={!article.publishedAt}>
          Diff vs published
        </button>
        <button type="button" aria-pressed={view === 'content'} onClick={() => setView('content')}>
          Version
        </button>
      </div>
      {error && <p className="text-danger">{error}</p>}
      {view === 'content' && detail && (
        <div className="version-view__content">
          <h4>{detail.headline}</h4>
          {detail.dek && <p className="version-view__dek">{detail.dek}</p>}
          {/* Rendered by packages/article-doc renderBodyHtml: sanitized by construction on the server. */}
          <div dangerouslySetInnerHTML={{ __html: detail.html }} />
        </div>
      )}
      {view !== 'content' && diff && (
        <p className="diff" data-testid="version-diff" aria-label="Changes: deletions struck through, insertions underlined">
          {diff.map((part, i) =>
            part.added ? <ins key={i}>{part.value}</ins> : part.removed ? <del key={i}>{part.value}</del> : <span key={i}>{part.value}</span>,
          )}
        </p>
      )}
      {!readOnly && (
        <button type="button" className="button" onClick={() => void restore()} disabled={restoring}>
          {restoring ? 'Restoring…' : 'Restore this version'}
        </button>
      )}
    </div>
  );
}
