import type { ArticleStatus } from '@copydesk/protocol';

/** The button label for moving from `from` to `to`, in newsroom words. */
export function transitionLabel(from: ArticleStatus, to: ArticleStatus): string {
  if (from === 'published' && to === 'published') return 'Publish correction';
  if (to === 'draft') return from === 'filed' ? 'Pull back to draft' : 'Back to draft';
  if (to === 'editing') return from === 'filed' ? 'Take for editing' : 'Reopen for editing';
  const labels: Record<ArticleStatus, string> = {
    draft: 'Back to draft',
    filed: 'File to the desk',
    editing: 'Take for editing',
    approved: from === 'scheduled' ? 'Cancel the schedule' : 'Approve',
    scheduled: 'Schedule…',
    published: from === 'scheduled' ? 'Publish now' : 'Publish',
    spiked: 'Spike',
    killed: 'Kill',
  };
  return labels[to];
}

/** Moves whose note is public or mandatory get a note prompt. */
export function noteRequirement(from: ArticleStatus, to: ArticleStatus): { required: boolean; label: string } | null {
  if (from === 'published' && to === 'published') return { required: true, label: 'Public correction note' };
  if (to === 'killed') return { required: true, label: 'Reason shown to readers' };
  return null;
}

export const DANGEROUS: ReadonlySet<ArticleStatus> = new Set(['killed', 'spiked']);
