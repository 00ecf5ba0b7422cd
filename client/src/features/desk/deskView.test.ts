import { describe, expect, it } from 'vitest';
import type { Article } from '@copydesk/protocol';
import { DEFAULT_FILTERS, groupByStatus, viewArticles } from './deskView.ts';

const base: Article = {
  id: 'a',
  headline: 'A',
  dek: '',
  status: 'draft',
  slug: 'a',
  section: 'News',
  tags: [],
  byline: [],
  assignees: [],
  deadline: null,
  wordCount: 0,
  createdBy: 'u1',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  publishedAt: null,
};
const article = (patch: Partial<Article>): Article => ({ ...base, ...patch });

describe('desk view', () => {
  const now = Date.now();
  const list = [
    article({ id: 'later', deadline: new Date(now + 3 * 3600_000).toISOString(), updatedAt: '2026-01-03T00:00:00.000Z' }),
    article({ id: 'overdue', deadline: new Date(now - 3600_000).toISOString(), section: 'Sport', assignees: [{ id: 'me', displayName: 'Me' }] }),
    article({ id: 'none', status: 'filed', updatedAt: '2026-01-02T00:00:00.000Z' }),
    article({ id: 'soon', deadline: new Date(now + 3600_000).toISOString(), status: 'filed' }),
  ];

  it('sorts by deadline with overdue first and undated last', () => {
    expect(viewArticles([...list], { ...DEFAULT_FILTERS, sort: 'deadline' }, 'me').map((a) => a.id)).toEqual(['overdue', 'soon', 'later', 'none']);
  });

  it('sorts by last update by default', () => {
    expect(viewArticles([...list], DEFAULT_FILTERS, 'me').map((a) => a.id)).toEqual(['later', 'none', 'overdue', 'soon']);
  });

  it('filters by status, section and assignee ("me")', () => {
    expect(viewArticles([...list], { ...DEFAULT_FILTERS, status: 'filed' }, 'me').map((a) => a.id).sort()).toEqual(['none', 'soon']);
    expect(viewArticles([...list], { ...DEFAULT_FILTERS, section: 'Sport' }, 'me').map((a) => a.id)).toEqual(['overdue']);
    expect(viewArticles([...list], { ...DEFAULT_FILTERS, assignee: 'me' }, 'me').map((a) => a.id)).toEqual(['overdue']);
  });

  it('groups in workflow order and drops empty groups', () => {
    expect(groupByStatus(list).map((g) => [g.status, g.articles.length])).toEqual([
      ['draft', 2],
      ['filed', 2],
    ]);
  });
});
