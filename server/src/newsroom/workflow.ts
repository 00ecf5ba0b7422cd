import { ErrorCode, type ArticleStatus, type Role } from '@copydesk/protocol';

/** Who may make a transition: leads only, or also the writer whose article it is. */
type Who = 'lead' | 'owner-or-lead';

interface Rule {
  who: Who;
  /** Kill reasons and public corrections must say why. */
  noteRequired?: string;
}

/**
 * The newsroom state machine. Anything not listed here is an invalid transition (409);
 * a listed one the actor's role may not make is forbidden (403).
 */
export const WORKFLOW: Record<ArticleStatus, Partial<Record<ArticleStatus, Rule>>> = {
  draft: { filed: { who: 'owner-or-lead' }, spiked: { who: 'lead' } },
  filed: { draft: { who: 'owner-or-lead' }, editing: { who: 'lead' }, spiked: { who: 'lead' } },
  editing: { approved: { who: 'lead' }, draft: { who: 'lead' }, spiked: { who: 'lead' } },
  approved: { published: { who: 'lead' }, scheduled: { who: 'lead' }, editing: { who: 'lead' }, spiked: { who: 'lead' } },
  // Published by the server at the scheduled time (as the lead who scheduled it), or by hand.
  scheduled: { published: { who: 'lead' }, approved: { who: 'lead' }, spiked: { who: 'lead' } },
  published: {
    published: { who: 'lead', noteRequired: 'A correction needs a public note' },
    killed: { who: 'lead', noteRequired: 'Killing a published article needs a reason' },
    editing: { who: 'lead' },
  },
  killed: {},
  spiked: { draft: { who: 'lead' } },
};

export type TransitionCheck =
  | { ok: true }
  | { ok: false; code: typeof ErrorCode.invalidTransition | typeof ErrorCode.forbiddenTransition | typeof ErrorCode.invalidRequest; message: string };

export function checkTransition(
  from: ArticleStatus,
  to: ArticleStatus,
  actor: { role: Role; isOwner: boolean },
  note: string | undefined,
): TransitionCheck {
  const rule = WORKFLOW[from][to];
  if (!rule) return { ok: false, code: ErrorCode.invalidTransition, message: `An article cannot go from ${from} to ${to}` };
  const allowed = actor.role === 'lead' || (rule.who === 'owner-or-lead' && actor.role === 'writer' && actor.isOwner);
  if (!allowed) return { ok: false, code: ErrorCode.forbiddenTransition, message: `Your role may not move an article from ${from} to ${to}` };
  if (rule.noteRequired && !note?.trim()) return { ok: false, code: ErrorCode.invalidRequest, message: `note: ${rule.noteRequired}` };
  return { ok: true };
}

/** The statuses an actor may move an article to from `from` (for the UI's buttons). */
export function availableTransitions(from: ArticleStatus, actor: { role: Role; isOwner: boolean }): ArticleStatus[] {
  return (Object.keys(WORKFLOW[from]) as ArticleStatus[]).filter((to) => {
    const check = checkTransition(from, to, actor, 'x');
    return check.ok;
  });
}
