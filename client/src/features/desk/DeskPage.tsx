import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import type { Article } from '@copydesk/protocol';
import { AppHeader } from '../../components/AppHeader.tsx';
import { canWrite, useAuth, useCurrentUser } from '../auth/AuthContext.tsx';
import { ArticleList } from './ArticleList.tsx';
import { NewArticleForm } from './NewArticleForm.tsx';
import { useDesk } from './useDesk.ts';
import { DEFAULT_FILTERS, groupByStatus, viewArticles, type DeskFilters } from './deskView.ts';
import { DeskFilterBar } from './DeskFilterBar.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';

export function DeskPage() {
  const user = useCurrentUser();
  const { sessionExpired } = useAuth();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const onUnauthenticated = useCallback(() => sessionExpired(), [sessionExpired]);
  const desk = useDesk(onUnauthenticated);
  const writer = canWrite(user);
  const [filters, setFilters] = useState<DeskFilters>(DEFAULT_FILTERS);
  const staff = useMemo(() => {
    const people = new Map<string, string>();
    for (const a of desk.articles ?? []) for (const p of a.assignees) people.set(p.id, p.displayName);
    return [...people].map(([id, displayName]) => ({ id, displayName })).sort((a, b) => a.displayName.localeCompare(b.displayName));
  }, [desk.articles]);

  useEffect(() => {
    document.title = 'Desk · Copydesk';
  }, []);

  function onCreated(article: Article) {
    desk.addLocal(article);
    navigate(`/articles/${encodeURIComponent(article.id)}`);
  }

  const count = desk.articles?.length ?? 0;
  const visible = useMemo(() => viewArticles([...(desk.articles ?? [])], filters, user.id), [desk.articles, filters, user.id]);

  return (
    <div className="page">
      <AppHeader />
      <main className="desk" aria-labelledby="desk-title">
        <div className="desk__head">
          <div>
            <h1 id="desk-title" className="desk__title">
              Desk
            </h1>
            <p className="desk__subtitle">
              <span data-testid="story-count">
                {desk.articles === null
                  ? 'Today’s stories'
                  : visible.length === count
                    ? `${count} ${count === 1 ? 'story' : 'stories'}`
                    : `${visible.length} of ${count} ${count === 1 ? 'story' : 'stories'}`}
              </span>
              {desk.live && (
                <span className="feed-live" data-testid="desk-live" title="The list updates by itself">
                  <span className="dot dot--live" aria-hidden="true" /> Live
                </span>
              )}
            </p>
          </div>
          {writer && !creating && (
            <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
              <span aria-hidden="true" className="button__icon">
                +
              </span>
              New article
            </button>
          )}
        </div>

        {writer && creating && <NewArticleForm onCreated={onCreated} onCancel={() => setCreating(false)} />}

        <section aria-label="Article list" aria-busy={desk.articles === null && !desk.error ? true : undefined}>
          {desk.articles === null && !desk.error && (
            <div className="state state--loading" role="status">
              <span className="spinner" aria-hidden="true" /> Loading articles…
            </div>
          )}
          {desk.articles === null && desk.error && (
            <div className="state state--error" role="alert">
              <h2>The desk could not be loaded</h2>
              <p>{desk.error.message}</p>
              <button type="button" className="button" onClick={() => window.location.reload()}>
                Try again
              </button>
            </div>
          )}
          {desk.articles !== null && desk.articles.length === 0 && (
            <div className="state state--empty">
              <h2>No articles yet</h2>
              <p>{writer ? 'Start the first story with “New article”.' : 'Published stories will appear here.'}</p>
            </div>
          )}
          {desk.articles !== null && desk.articles.length > 0 && (
            <>
              <DeskFilterBar filters={filters} onChange={setFilters} staff={staff} />
              {visible.length === 0 ? (
                <div className="state state--empty">
                  <h2>No stories match these filters</h2>
                  <button type="button" className="button" onClick={() => setFilters(DEFAULT_FILTERS)}>
                    Clear filters
                  </button>
                </div>
              ) : filters.groupByStatus ? (
                groupByStatus(visible).map((group) => (
                  <section key={group.status} className="desk-group" aria-labelledby={`group-${group.status}`}>
                    <h2 className="desk-group__title" id={`group-${group.status}`}>
                      <StatusBadge status={group.status} /> <span className="desk-group__count">{group.articles.length}</span>
                    </h2>
                    <ArticleList articles={group.articles} presence={desk.presence} />
                  </section>
                ))
              ) : (
                <ArticleList articles={visible} presence={desk.presence} />
              )}
            </>
          )}
        </section>
      </main>
    </div>
  );
}
