import type { Article } from '@copydesk/protocol';

const FINAL: ReadonlySet<Article['status']> = new Set(['published', 'killed', 'spiked']);

/** A deadline in the past on a story that is not yet out. */
export function isOverdue(article: Pick<Article, 'deadline' | 'status'>, now = Date.now()): boolean {
  return article.deadline !== null && !FINAL.has(article.status) && Date.parse(article.deadline) < now;
}

const format = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
export function formatDeadline(iso: string): string {
  return format.format(new Date(iso));
}
