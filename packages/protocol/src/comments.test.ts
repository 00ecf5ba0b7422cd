import { describe, expect, it } from 'vitest';
import { BannedWordsRequest, CommentListQuery, commentSegments, EditorialAnchor, parseMentions, PostCommentRequest } from './comments.ts';

describe('PostCommentRequest', () => {
  it('keeps the body exactly as typed, spaces and markup included', () => {
    const body = '  <img src=x onerror=alert(1)>\n second line  ';
    expect(PostCommentRequest.parse({ body }).body).toBe(body);
  });

  it('refuses an empty or blank body', () => {
    for (const body of ['', '   ', '\n\t']) expect(PostCommentRequest.safeParse({ body }).error?.issues[0]?.message).toBe('comment cannot be empty');
    expect(PostCommentRequest.safeParse({}).success).toBe(false);
    expect(PostCommentRequest.safeParse({ body: 42 }).success).toBe(false);
  });

  it('allows 2,000 characters and refuses 2,001, counting an emoji as one', () => {
    expect(PostCommentRequest.safeParse({ body: 'a'.repeat(2000) }).success).toBe(true);
    expect(PostCommentRequest.safeParse({ body: '😀'.repeat(2000) }).success).toBe(true);
    expect(PostCommentRequest.safeParse({ body: 'a'.repeat(2001) }).error?.issues[0]?.message).toBe('comment is at most 2,000 characters');
  });

  it('accepts an optional parent id and refuses unknown fields', () => {
    expect(PostCommentRequest.parse({ body: 'x', parentId: 'abc' }).parentId).toBe('abc');
    expect(PostCommentRequest.parse({ body: 'x', parentId: null }).parentId).toBeNull();
    expect(PostCommentRequest.safeParse({ body: 'x', parentId: '../x' }).success).toBe(false);
    expect(PostCommentRequest.safeParse({ body: 'x', status: 'published' }).success).toBe(false);
  });
});

describe('CommentListQuery', () => {
  it('defaults to 20 newest and caps the page at 100', () => {
    expect(CommentListQuery.parse({})).toEqual({ limit: 20, order: 'newest' });
    expect(CommentListQuery.parse({ limit: '5', order: 'oldest' })).toMatchObject({ limit: 5, order: 'oldest' });
    expect(CommentListQuery.safeParse({ limit: '101' }).success).toBe(false);
    expect(CommentListQuery.safeParse({ limit: '0' }).success).toBe(false);
    expect(CommentListQuery.safeParse({ limit: 'ten' }).success).toBe(false);
    expect(CommentListQuery.safeParse({ order: 'random' }).success).toBe(false);
  });
});

describe('commentSegments', () => {
  it('returns plain text untouched, markup included', () => {
    expect(commentSegments('<img src=x onerror=alert(1)>')).toEqual([{ kind: 'text', text: '<img src=x onerror=alert(1)>' }]);
  });

  it('turns http and https addresses into links, leaving trailing punctuation out', () => {
    expect(commentSegments('See https://example.com/report. And (http://example.org/a).')).toEqual([
      { kind: 'text', text: 'See ' },
      { kind: 'link', text: 'https://example.com/report', href: 'https://example.com/report' },
      { kind: 'text', text: '. And (' },
      { kind: 'link', text: 'http://example.org/a', href: 'http://example.org/a' },
      { kind: 'text', text: ').' },
    ]);
  });

  it('keeps balanced parentheses inside a link', () => {
    expect(commentSegments('https://en.wikipedia.org/wiki/Flood_(disambiguation)')[0]).toMatchObject({
      kind: 'link',
      href: 'https://en.wikipedia.org/wiki/Flood_(disambiguation)',
    });
  });

  it('links www. addresses over https', () => {
    expect(commentSegments('www.example.com')).toEqual([{ kind: 'link', text: 'www.example.com', href: 'https://www.example.com' }]);
  });

  it('never links javascript:, data: or markup', () => {
    for (const body of ['javascript:alert(1)', 'data:text/html,<script>x</script>', '<a href="https://x.com">x</a>']) {
      const links = commentSegments(body).filter((s) => s.kind === 'link');
      for (const link of links) expect(link.href).toMatch(/^https?:\/\/[^"<>]+$/);
    }
    expect(commentSegments('javascript:alert(1)')).toEqual([{ kind: 'text', text: 'javascript:alert(1)' }]);
  });

  it('reassembles to the exact body', () => {
    const body = 'a https://x.example/b?c=d&e=f, www.y.example! end';
    expect(commentSegments(body).map((s) => s.text).join('')).toBe(body);
  });
});

describe('parseMentions', () => {
  it('finds @usernames once each, lower-cased', () => {
    expect(parseMentions('@alice can you check this? cc @Bob and @alice.')).toEqual(['alice', 'bob']);
  });

  it('ignores e-mail addresses', () => {
    expect(parseMentions('write to desk@example.com')).toEqual([]);
  });

  it('finds a mention at the very start and after punctuation', () => {
    expect(parseMentions('(@lead) ok')).toEqual(['lead']);
  });
});

describe('BannedWordsRequest', () => {
  it('trims and lower-cases words and refuses blank ones', () => {
    expect(BannedWordsRequest.parse({ words: [' Spam ', 'SCAM'] }).words).toEqual(['spam', 'scam']);
    expect(BannedWordsRequest.safeParse({ words: [' '] }).success).toBe(false);
  });
});

describe('EditorialAnchor', () => {
  it('requires both ends and caps their size', () => {
    expect(EditorialAnchor.safeParse({ start: 'AQ==', end: 'AQ==', quote: 'x' }).success).toBe(true);
    expect(EditorialAnchor.safeParse({ start: '', end: 'AQ==', quote: 'x' }).success).toBe(false);
    expect(EditorialAnchor.safeParse({ start: 'a'.repeat(201), end: 'AQ==', quote: 'x' }).success).toBe(false);
  });
});
