import type { ArticleStatus } from '@copydesk/protocol';

const LABELS: Record<ArticleStatus, string> = {
  draft: 'Draft',
  filed: 'Filed',
  editing: 'Editing',
  approved: 'Approved',
  scheduled: 'Scheduled',
  published: 'Published',
  spiked: 'Spiked',
  killed: 'Killed',
};

export function StatusBadge({ status }: { status: ArticleStatus }) {
  return (
    <span className={`badge badge--${status}`} data-testid="status-badge" data-status={status}>
      {LABELS[status] ?? status}
    </span>
  );
}
