import { ArticleStatus, type Article } from '@copydesk/protocol';
import { isOverdue } from '../../lib/deadline.ts';

export interface DeskFilters {
  status: Article['status'] | 'all';
  section: Article['section'] | 'all';
  /** A user id, 'me', or 'all'. */
  assignee: string;
  sort: 'updated' | 'deadline';
  groupByStatus: boolean;
}

export const DEFAULT_FILTERS: DeskFilters = { status: 'all', section: 'all', assignee: 'all', sort: 'updated', groupByStatus: true };

/** Workflow order for grouping: what needs the desk first. */
const STATUS_ORDER = ArticleStatus.options;

/** Filters and sorts the desk list; pure so that it is easy to test. */
export function viewArticles(articles: Article[], filters: DeskFilters, myId: string): Article[] {
  const assignee = filters.assignee === 'me' ? myId : filters.assignee;
  const visible = articles.filter(
    (a) =>
      (filters.status === 'all' || a.status === filters.status) &&
      (filters.section === 'all' || a.section === filters.section) &&
      (assignee === 'all' || a.assignees.some((p) => p.id === assignee)),
  );
  const byDeadline = (a: Article, b: Article) => {
    // Overdue first, then soonest deadline; articles without a deadline last.
    const da = a.deadline ? Date.parse(a.deadline) : Infinity;
    const db = b.deadline ? Date.parse(b.deadline) : Infinity;
    return Number(isOverdue(b)) - Number(isOverdue(a)) || da - db || b.updatedAt.localeCompare(a.updatedAt);
  };
  const byUpdated = (a: Article, b: Article) => b.updatedAt.localeCompare(a.updatedAt);
  return visible.sort(filters.sort === 'deadline' ? byDeadline : byUpdated);
}

export function groupByStatus(articles: Article[]): Array<{ status: Article['status']; articles: Article[] }> {
  return STATUS_ORDER.map((status) => ({ status, articles: articles.filter((a) => a.status === status) })).filter((g) => g.articles.length > 0);
}
