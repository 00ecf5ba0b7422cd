import type { ArticleStatus, Role } from '@copydesk/protocol';

/**
 * The one authorisation table: what each role may do with an article in a given status.
 * REST routes, the /collab endpoint and Socket.IO all ask these functions.
 */
export type ArticleAction = 'read' | 'open' | 'edit' | 'create';

const PUBLIC_STATUSES: ReadonlySet<ArticleStatus> = new Set(['published']);
/** Once approved or published, writers' connections turn read-only; leads can always edit. */
const LOCKED_FOR_WRITERS: ReadonlySet<ArticleStatus> = new Set(['approved', 'scheduled', 'published', 'killed', 'spiked']);

export function can(role: Role | null, action: ArticleAction, status: ArticleStatus): boolean {
  switch (action) {
    case 'read':
      return role === 'writer' || role === 'lead' || PUBLIC_STATUSES.has(status);
    case 'open':
      // Opening the collaborative doc: readers never see working copies, even of published stories.
      return role === 'writer' || role === 'lead';
    case 'edit':
      return role === 'lead' || (role === 'writer' && !LOCKED_FOR_WRITERS.has(status));
    case 'create':
      return role === 'writer' || role === 'lead';
  }
}

export function readOnlyReason(role: Role, status: ArticleStatus): string | null {
  if (can(role, 'edit', status)) return null;
  return `This article is ${status}: only desk leads can edit it now.`;
}
