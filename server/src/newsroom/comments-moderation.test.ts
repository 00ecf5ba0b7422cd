import { describe, expect, it } from 'vitest';
import { findBannedWords } from './comments-moderation.ts';

describe('findBannedWords', () => {
  it('finds whole words whatever their case or the punctuation around them', () => {
    expect(findBannedWords('Total SPAM, really.', ['spam'])).toEqual(['spam']);
    expect(findBannedWords('spam', ['spam'])).toEqual(['spam']);
    expect(findBannedWords('"Spam!"', ['spam'])).toEqual(['spam']);
  });

  it('does not match inside other words', () => {
    expect(findBannedWords('The spammer used antispam tools', ['spam'])).toEqual([]);
    expect(findBannedWords('scampi', ['scam'])).toEqual([]);
  });

  it('matches phrases across any whitespace, and full-width letters', () => {
    expect(findBannedWords('buy\n  cheap   pills now', ['cheap pills'])).toEqual(['cheap pills']);
    expect(findBannedWords('ｓｐａｍ', ['spam'])).toEqual(['spam']);
  });

  it('matches accented words as whole words', () => {
    expect(findBannedWords('Quelle arnaque énorme', ['énorme'])).toEqual(['énorme']);
    expect(findBannedWords('énormément', ['énorme'])).toEqual([]);
  });

  it('lists every banned word found, in list order, and nothing for an empty list', () => {
    expect(findBannedWords('scam and spam', ['spam', 'fraud', 'scam'])).toEqual(['spam', 'scam']);
    expect(findBannedWords('anything', [])).toEqual([]);
  });
});
