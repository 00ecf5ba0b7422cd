import { describe, expect, it } from 'vitest';
import { applyPresenceChanges, colorForUser, sectionKey, sortPeople, USER_PALETTE, type PresenceArticle, type PresencePerson } from './presence.ts';

const person = (userId: string, patch: Partial<PresencePerson> = {}): PresencePerson => ({
  userId,
  displayName: userId,
  color: colorForUser(userId),
  state: 'active',
  section: null,
  since: '2025-01-01T10:00:00.000Z',
  lastActiveAt: '2025-01-01T10:00:00.000Z',
  inserted: 0,
  deleted: 0,
  tabs: 1,
  ...patch,
});

const article = (articleId: string, people: PresencePerson[] = []): PresenceArticle => ({
  articleId,
  headline: articleId,
  status: 'draft',
  deadline: null,
  people,
  flags: { collisions: [], deadlineAtRisk: false },
});

describe('applyPresenceChanges', () => {
  it('adds a new article with its people', () => {
    const { people, ...head } = article('a', [person('u1')]);
    expect(applyPresenceChanges([], [{ articleId: 'a', article: head, upserted: people }])).toEqual([article('a', [person('u1')])]);
  });

  it('replaces changed people, removes people who left, and keeps the rest', () => {
    const before = [article('a', [person('u1'), person('u2')]), article('b', [person('u3')])];
    const after = applyPresenceChanges(before, [{ articleId: 'a', upserted: [person('u1', { inserted: 5 })], removed: ['u2'] }]);
    expect(after.find((a) => a.articleId === 'a')!.people).toEqual([person('u1', { inserted: 5 })]);
    expect(after.find((a) => a.articleId === 'b')).toEqual(before[1]);
    expect(before[0]!.people).toHaveLength(2); // inputs are not mutated
  });

  it('updates the article fields without losing its people', () => {
    const { people: _people, ...head } = article('a');
    const after = applyPresenceChanges([article('a', [person('u1')])], [{ articleId: 'a', article: { ...head, headline: 'New', flags: { collisions: [], deadlineAtRisk: true } } }]);
    expect(after[0]).toMatchObject({ headline: 'New', flags: { deadlineAtRisk: true }, people: [person('u1')] });
  });

  it('drops an article that is gone, and ignores changes to articles it never saw', () => {
    expect(applyPresenceChanges([article('a', [person('u1')])], [{ articleId: 'a', gone: true }])).toEqual([]);
    expect(applyPresenceChanges([], [{ articleId: 'x', upserted: [person('u1')] }])).toEqual([]);
  });

  it('is idempotent: a batch applied twice (snapshot already had it) changes nothing more', () => {
    const changes = [{ articleId: 'a', upserted: [person('u1', { inserted: 3 })], removed: ['u2'] }];
    const once = applyPresenceChanges([article('a', [person('u1'), person('u2')])], changes);
    expect(applyPresenceChanges(once, changes)).toEqual(once);
  });
});

describe('sortPeople and sectionKey', () => {
  it('puts active people first, then idle, then away, by name', () => {
    const sorted = sortPeople([person('c', { state: 'away' }), person('b', { state: 'idle' }), person('z'), person('a')]);
    expect(sorted.map((p) => p.userId)).toEqual(['a', 'z', 'b', 'c']);
  });

  it('compares places by part and block; an unknown body block matches nobody', () => {
    expect(sectionKey({ part: 'headline', block: null, heading: null, label: 'Headline' })).toBe('headline');
    expect(sectionKey({ part: 'body', block: 3, heading: 'X', label: '¶ 4 · X' })).toBe('body:3');
    expect(sectionKey({ part: 'body', block: null, heading: null, label: 'Body' })).toBeNull();
    expect(sectionKey(null)).toBeNull();
  });
});

describe('colorForUser', () => {
  it('is stable and from the palette', () => {
    expect(colorForUser('u_alice')).toBe(colorForUser('u_alice'));
    expect(USER_PALETTE).toContain(colorForUser('anything'));
  });
});
