import { Link } from 'react-router';
import type { Article } from '@copydesk/protocol';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { formatAbsolute, formatRelative, useNow } from '../../lib/time.ts';
import { formatDeadline, isOverdue } from '../../lib/deadline.ts';

function PresenceCount({ count }: { count: number }) {
  if (count <= 0) return <span className="article-row__presence article-row__presence--empty" data-testid="article-presence" data-count={0}>Nobody in it</span>;
  return (
    <span className="article-row__presence" data-testid="article-presence" data-count={count}>
      <span className="pulse" aria-hidden="true" />
      {count === 1 ? '1 person in it' : `${count} people in it`}
    </span>
  );
}

export function ArticleList({ articles, presence }: { articles: Article[]; presence: Record<string, number> }) {
  const now = useNow();
  return (
    <ul className="article-list" aria-label="Articles">
      {articles.map((article) => (
        <li key={article.id} className="article-row" data-testid="article-row" data-article-id={article.id}>
          <div className="article-row__main">
            <Link to={`/articles/${encodeURIComponent(article.id)}`} className="article-row__headline">
              {article.headline || 'Untitled article'}
            </Link>
            <div className="article-row__meta">
              <StatusBadge status={article.status} />
              {article.scheduledFor && (
                <span className="article-row__scheduled" data-testid="scheduled-for">
                  goes live <time dateTime={article.scheduledFor}>{formatAbsolute(article.scheduledFor)}</time>
                </span>
              )}
              <span className="article-row__section">{article.section}</span>
              {article.deadline && (
                <span className={`article-row__deadline${isOverdue(article, now) ? ' article-row__deadline--overdue' : ''}`} data-testid="deadline">
                  {isOverdue(article, now) ? 'Overdue · due ' : 'Due '}
                  <time dateTime={article.deadline}>{formatDeadline(article.deadline)}</time>
                </span>
              )}
              {article.assignees.length > 0 && <span className="article-row__assignees">{article.assignees.map((p) => p.displayName).join(', ')}</span>}
              <span className="article-row__updated">
                Updated{' '}
                <time dateTime={article.updatedAt} title={formatAbsolute(article.updatedAt)}>
                  {formatRelative(article.updatedAt, now)}
                </time>
              </span>
            </div>
          </div>
          <PresenceCount count={presence[article.id] ?? 0} />
        </li>
      ))}
    </ul>
  );
}
