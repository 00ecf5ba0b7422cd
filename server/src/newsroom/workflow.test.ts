import { describe, expect, it } from 'vitest';
import { ArticleStatus, type Role } from '@copydesk/protocol';
import { WORKFLOW, availableTransitions, checkTransition } from './workflow.ts';

const statuses = ArticleStatus.options;

/** The newsroom's rules, written out by hand so that the table in workflow.ts is checked, not restated. */
const EXPECTED_ALLOWED: Array<[string, string, 'lead' | 'owner-or-lead']> = [
  ['draft', 'filed', 'owner-or-lead'],
  ['draft', 'spiked', 'lead'],
  ['filed', 'draft', 'owner-or-lead'],
  ['filed', 'editing', 'lead'],
  ['filed', 'spiked', 'lead'],
  ['editing', 'approved', 'lead'],
  ['editing', 'draft', 'lead'],
  ['editing', 'spiked', 'lead'],
  ['approved', 'published', 'lead'],
  ['approved', 'editing', 'lead'],
  ['approved', 'spiked', 'lead'],
  ['approved', 'scheduled', 'lead'],
  ['scheduled', 'published', 'lead'],
  ['scheduled', 'approved', 'lead'],
  ['scheduled', 'spiked', 'lead'],
  ['published', 'published', 'lead'],
  ['published', 'killed', 'lead'],
  ['published', 'editing', 'lead'],
  ['spiked', 'draft', 'lead'],
];

describe('workflow state machine', () => {
  it('lists exactly the newsroom transitions', () => {
    const actual = statuses.flatMap((from) => Object.entries(WORKFLOW[from]).map(([to, rule]) => [from, to, rule!.who]));
    expect(actual.sort()).toEqual([...EXPECTED_ALLOWED].sort());
  });

  for (const role of ['reader', 'writer', 'lead'] as Role[]) {
    for (const isOwner of [true, false]) {
      it(`answers every (from, to) pair for a ${isOwner ? 'owning' : 'non-owning'} ${role}`, () => {
        for (const from of statuses) {
          for (const to of statuses) {
            const rule = EXPECTED_ALLOWED.find(([f, t]) => f === from && t === to);
            const result = checkTransition(from, to, { role, isOwner }, 'a note');
            if (!rule) {
              expect(result, `${from}→${to}`).toMatchObject({ ok: false, code: 'invalid_transition' });
            } else if (role === 'lead' || (rule[2] === 'owner-or-lead' && role === 'writer' && isOwner)) {
              expect(result, `${from}→${to}`).toEqual({ ok: true });
            } else {
              expect(result, `${from}→${to}`).toMatchObject({ ok: false, code: 'forbidden_transition' });
            }
          }
        }
      });
    }
  }

  it('needs a note to kill or correct a published article', () => {
    const lead = { role: 'lead' as const, isOwner: false };
    expect(checkTransition('published', 'killed', lead, undefined)).toMatchObject({ ok: false, code: 'invalid_request' });
    expect(checkTransition('published', 'published', lead, '  ')).toMatchObject({ ok: false, code: 'invalid_request' });
    expect(checkTransition('published', 'killed', lead, 'Legal advice')).toEqual({ ok: true });
  });

  it('offers the UI only the moves the actor may make', () => {
    expect(availableTransitions('draft', { role: 'writer', isOwner: true })).toEqual(['filed']);
    expect(availableTransitions('draft', { role: 'writer', isOwner: false })).toEqual([]);
    expect(availableTransitions('approved', { role: 'lead', isOwner: false }).sort()).toEqual(['editing', 'published', 'scheduled', 'spiked']);
    expect(availableTransitions('scheduled', { role: 'writer', isOwner: true })).toEqual([]);
  });
});
