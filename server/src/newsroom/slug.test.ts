import { describe, expect, it } from 'vitest';
import { slugify, uniqueSlug } from './slug.ts';

describe('slugs', () => {
  it('turns headlines into lower-case hyphenated ASCII', () => {
    expect(slugify('Flood defences hold as river peaks overnight')).toBe('flood-defences-hold-as-river-peaks-overnight');
    expect(slugify('Zürich’s “Café” — 2026!')).toBe('zurichs-cafe-2026');
    expect(slugify('<script>alert(1)</script>')).toBe('script-alert-1-script');
    expect(slugify('!!!')).toBe('article');
    expect(slugify('a'.repeat(200)).length).toBeLessThanOrEqual(80);
  });

  it('appends -2, -3… until the slug is free', async () => {
    const taken = new Set(['budget', 'budget-2']);
    expect(await uniqueSlug('budget', async (s) => taken.has(s))).toBe('budget-3');
    expect(await uniqueSlug('fresh', async (s) => taken.has(s))).toBe('fresh');
  });
});
