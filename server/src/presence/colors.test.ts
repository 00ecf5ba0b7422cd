import { describe, expect, it } from 'vitest';
import { USER_PALETTE, colorForUser } from '@copydesk/protocol';
import { ArticleColors } from './colors.ts';

/** Two user ids whose usual colours are the same. */
function clashingIds(): [string, string] {
  const seen = new Map<string, string>();
  for (let i = 0; ; i++) {
    const id = `u_${i}`;
    const other = seen.get(colorForUser(id));
    if (other) return [other, id];
    seen.set(colorForUser(id), id);
  }
}

describe('ArticleColors', () => {
  it('gives two people whose usual colours clash different colours in the same article', () => {
    const [a, b] = clashingIds();
    const colors = new ArticleColors();
    const first = colors.assign('art', a);
    const second = colors.assign('art', b, [a]);
    expect(first).toBe(colorForUser(a));
    expect(second).not.toBe(first);
    expect(USER_PALETTE).toContain(second);
  });

  it('keeps a person’s colour when they leave and come back, even if someone joined meanwhile', () => {
    const [a, b] = clashingIds();
    const colors = new ArticleColors();
    const before = colors.assign('art', b);
    colors.assign('art', a, []);
    expect(colors.assign('art', b, [a])).toBe(before);
    expect(colors.get('art', a)).not.toBe(before);
  });

  it('ten people in one article all get different colours; the eleventh shares the least used', () => {
    const colors = new ArticleColors();
    const ids = Array.from({ length: 10 }, (_, i) => `person-${i}`);
    const given = ids.map((id, i) => colors.assign('art', id, ids.slice(0, i)));
    expect(new Set(given).size).toBe(10);
    expect(USER_PALETTE).toContain(colors.assign('art', 'eleventh', ids.slice(1)));
    // person-0 is not present: their colour is the least used.
    expect(colors.get('art', 'eleventh')).toBe(colors.get('art', 'person-0'));
  });

  it('assigns per article', () => {
    const [a, b] = clashingIds();
    const colors = new ArticleColors();
    colors.assign('one', a);
    expect(colors.assign('two', b)).toBe(colorForUser(b));
  });
});
