import { useEffect, type CSSProperties } from 'react';
import { Link } from 'react-router';
import type { ArticleStatus, PresenceArticle, PresencePerson } from '@copydesk/protocol';
import { AppHeader } from '../../components/AppHeader.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { useCurrentUser } from '../auth/AuthContext.tsx';
import { initials } from '../../collab/colors.ts';
import { useNow } from '../../lib/time.ts';
import { since, STATE_LABELS } from '../presence/labels.ts';
import { usePresenceBoard } from './usePresenceBoard.ts';

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTime = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/** Flagged stories first (collisions, then deadlines), then the busiest. */
function byUrgency(a: PresenceArticle, b: PresenceArticle): number {
  const score = (x: PresenceArticle) => (x.flags.collisions.length > 0 ? 2 : 0) + (x.flags.deadlineAtRisk ? 1 : 0);
  const active = (x: PresenceArticle) => x.people.filter((p) => p.state === 'active').length;
  return score(b) - score(a) || active(b) - active(a) || b.people.length - a.people.length || a.headline.localeCompare(b.headline);
}

function dueText(deadline: string, now: number): string {
  const due = Date.parse(deadline);
  const minutes = Math.round((due - now) / 60_000);
  const at = due - now < 20 * 3600_000 && due > now - 12 * 3600_000 ? clock.format(due) : dateTime.format(due);
  if (minutes < 0) return `Overdue since ${at}`;
  if (minutes < 60) return `Due ${at} · in ${Math.max(minutes, 0)} min`;
  return `Due ${at}`;
}

export function BoardPage() {
  const user = useCurrentUser();
  const board = usePresenceBoard();
  const now = useNow(15_000);

  useEffect(() => {
    document.title = 'Presence board · Copydesk';
  }, []);

  if (user.role !== 'lead' || board.error?.code === 'forbidden') {
    return (
      <div className="page">
        <AppHeader />
        <main className="board">
          <div className="state state--error" role="alert">
            <h1>The presence board is for desk leads</h1>
            <p>Ask a desk lead if you need to know who is working on what.</p>
            <Link to="/" className="button">
              Back to the desk
            </Link>
          </div>
        </main>
      </div>
    );
  }

  const articles = board.articles ? [...board.articles].sort(byUrgency) : null;
  const people = articles?.reduce((n, a) => n + a.people.length, 0) ?? 0;
  const busy = articles?.filter((a) => a.people.length > 0).length ?? 0;
  const active = articles?.reduce((n, a) => n + a.people.filter((p) => p.state === 'active').length, 0) ?? 0;
  const collisions = articles?.filter((a) => a.flags.collisions.length > 0).length ?? 0;
  const atRisk = articles?.filter((a) => a.flags.deadlineAtRisk).length ?? 0;

  return (
    <div className="page">
      <AppHeader />
      <main className="board" aria-labelledby="board-title">
        <div className="board__head">
          <div>
            <h1 id="board-title" className="desk__title">
              Presence board
            </h1>
            <p className="desk__subtitle">
              {articles === null
                ? 'Who is editing what, live'
                : people === 0
                  ? 'Nobody is editing right now'
                  : `${people} ${people === 1 ? 'person' : 'people'} in ${busy} ${busy === 1 ? 'story' : 'stories'} · ${active} active`}
              {board.live ? (
                <span className="feed-live" data-testid="board-live" title="Updates by itself">
                  <span className="dot dot--live" aria-hidden="true" /> Live
                </span>
              ) : (
                articles !== null && <span className="feed-offline">Reconnecting…</span>
              )}
            </p>
          </div>
          {articles !== null && (collisions > 0 || atRisk > 0) && (
            <ul className="board__summary" aria-label="Flags">
              {collisions > 0 && (
                <li className="flag flag--collision">
                  {collisions} {collisions === 1 ? 'collision' : 'collisions'}
                </li>
              )}
              {atRisk > 0 && <li className="flag flag--deadline">{atRisk} at risk of missing deadline</li>}
            </ul>
          )}
        </div>

        <section aria-label="Articles with people in them" aria-busy={articles === null && !board.error ? true : undefined}>
          {articles === null && !board.error && (
            <div className="state state--loading" role="status">
              <span className="spinner" aria-hidden="true" /> Loading the board…
            </div>
          )}
          {articles === null && board.error && (
            <div className="state state--error" role="alert">
              <h2>The board could not be loaded</h2>
              <p>{board.error.message}</p>
            </div>
          )}
          {articles !== null && articles.length === 0 && (
            <div className="state state--empty">
              <h2>Nobody is editing right now</h2>
              <p>Stories appear here as soon as someone opens one, and when a deadline is less than an hour away with nobody on it.</p>
            </div>
          )}
          {articles !== null && articles.length > 0 && (
            <ul className="board__list">
              {articles.map((article) => (
                <BoardArticle key={article.articleId} article={article} now={now} />
              ))}
            </ul>
          )}
        </section>
      </main>
    </div>
  );
}

function BoardArticle({ article, now }: { article: PresenceArticle; now: number }) {
  const nameOf = (id: string) => article.people.find((p) => p.userId === id)?.displayName.split(' ')[0] ?? 'someone';
  const flagged = article.flags.collisions.length > 0 || article.flags.deadlineAtRisk;
  return (
    <li className={`board-card${flagged ? ' board-card--flagged' : ''}`} data-testid="board-article" data-article-id={article.articleId}>
      <div className="board-card__head">
        <div className="board-card__title">
          <StatusBadge status={article.status as ArticleStatus} />
          <h2>
            <Link to={`/articles/${encodeURIComponent(article.articleId)}`}>{article.headline || 'Untitled'}</Link>
          </h2>
        </div>
        {article.deadline && (
          <span className={`board-card__due${article.flags.deadlineAtRisk ? ' board-card__due--risk' : ''}`} title={dateTime.format(Date.parse(article.deadline))}>
            {dueText(article.deadline, now)}
          </span>
        )}
      </div>
      {flagged && (
        <ul className="board-card__flags">
          {article.flags.collisions.map((c) => (
            <li key={c.section.label} className="flag flag--collision" data-testid="collision-flag">
              Collision in {c.section.label}: {c.userIds.map(nameOf).join(' and ')}
            </li>
          ))}
          {article.flags.deadlineAtRisk && (
            <li className="flag flag--deadline" data-testid="deadline-flag">
              {article.people.length === 0 ? 'Deadline close and nobody is on it' : 'Deadline close and nobody is active'}
            </li>
          )}
        </ul>
      )}
      {article.people.length === 0 ? (
        <p className="board-card__empty muted">Nobody is in this article.</p>
      ) : (
        <table className="board-table">
          <thead>
            <tr>
              <th scope="col">Who</th>
              <th scope="col">State</th>
              <th scope="col">Where</th>
              <th scope="col">Here for</th>
              <th scope="col">Last active</th>
              <th scope="col" className="board-table__num">
                Typed
              </th>
            </tr>
          </thead>
          <tbody>
            {article.people.map((person) => (
              <BoardPerson key={person.userId} person={person} now={now} />
            ))}
          </tbody>
        </table>
      )}
    </li>
  );
}

function BoardPerson({ person, now }: { person: PresencePerson; now: number }) {
  const lastActive = since(person.lastActiveAt, now);
  return (
    <tr data-testid="board-person" data-user-id={person.userId} data-state={person.state}>
      <th scope="row">
        <span className="board-person">
          <span className={`avatar avatar--small avatar--presence avatar--${person.state}`} style={{ '--avatar-color': person.color } as CSSProperties} aria-hidden="true">
            {initials(person.displayName)}
          </span>
          <span>
            {person.displayName}
            {person.tabs > 1 && <span className="presence-row__tabs">{person.tabs} tabs</span>}
          </span>
        </span>
      </th>
      <td data-label="State">
        <span className={`state-pill state-pill--${person.state}`}>{STATE_LABELS[person.state]}</span>
      </td>
      <td data-testid="board-section" data-label="Where">{person.section?.label ?? <span className="muted">—</span>}</td>
      <td data-label="Here for" title={`Since ${clock.format(Date.parse(person.since))}`}>{since(person.since, now) === 'now' ? 'just joined' : since(person.since, now)}</td>
      <td data-label="Last active" title={clock.format(Date.parse(person.lastActiveAt))}>{lastActive === 'now' ? 'just now' : `${lastActive} ago`}</td>
      <td className="board-table__num" data-testid="board-counts" data-label="Typed" title={`${person.inserted} characters typed, ${person.deleted} deleted this session`}>
        <span className="count-ins">+{person.inserted}</span> <span className="count-del">−{person.deleted}</span>
      </td>
    </tr>
  );
}
