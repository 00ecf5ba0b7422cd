import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ArticleId, ArticleStatus, CreateArticleRequest } from './articles.ts';
import { CloseCode } from './close-codes.ts';
import { ErrorCode, isApiError, statusOfErrorCode } from './errors.ts';
import { LoginRequest } from './users.ts';

/**
 * The first issue as the server reports it ("field: message", see describeZodError in
 * server/src/http/validate.ts), or null when the value is valid.
 */
function problem(schema: z.ZodType, value: unknown): string | null {
  const result = schema.safeParse(value);
  if (result.success) return null;
  const issue = result.error.issues[0]!;
  return `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`;
}

describe('LoginRequest', () => {
  it('accepts a username and password and trims the username', () => {
    expect(LoginRequest.parse({ username: '  alice  ', password: 'secret' })).toEqual({ username: 'alice', password: 'secret' });
  });

  it('keeps the password exactly as typed (spaces are part of it)', () => {
    expect(LoginRequest.parse({ username: 'alice', password: '  pass word  ' }).password).toBe('  pass word  ');
  });

  it('rejects an empty or blank username with a message naming it', () => {
    expect(problem(LoginRequest, { username: '', password: 'secret' })).toBe('username: username is required');
    expect(problem(LoginRequest, { username: '   ', password: 'secret' })).toBe('username: username is required');
  });

  it('rejects an empty password with a message naming it', () => {
    expect(problem(LoginRequest, { username: 'alice', password: '' })).toBe('password: password is required');
  });

  it('rejects missing or non-string fields, naming the field', () => {
    expect(problem(LoginRequest, { password: 'secret' })).toMatch(/^username: /);
    expect(problem(LoginRequest, { username: 'alice' })).toMatch(/^password: /);
    expect(problem(LoginRequest, { username: 42, password: 'secret' })).toMatch(/^username: /);
    expect(problem(LoginRequest, { username: 'alice', password: ['secret'] })).toMatch(/^password: /);
  });

  it('rejects a body that is not an object', () => {
    expect(LoginRequest.safeParse(null).success).toBe(false);
    expect(LoginRequest.safeParse('alice:secret').success).toBe(false);
  });

  it('caps the username at 64 characters (after trimming)', () => {
    expect(problem(LoginRequest, { username: 'a'.repeat(64), password: 'secret' })).toBeNull();
    expect(problem(LoginRequest, { username: `  ${'a'.repeat(64)}  `, password: 'secret' })).toBeNull();
    expect(problem(LoginRequest, { username: 'a'.repeat(65), password: 'secret' })).toMatch(/^username: /);
  });

  it('caps the password at 256 characters', () => {
    expect(problem(LoginRequest, { username: 'alice', password: 'p'.repeat(256) })).toBeNull();
    expect(problem(LoginRequest, { username: 'alice', password: 'p'.repeat(257) })).toMatch(/^password: /);
  });
});

describe('CreateArticleRequest', () => {
  it('accepts a headline and trims it', () => {
    expect(CreateArticleRequest.parse({ headline: '  Council approves budget  ' }).headline).toBe('Council approves budget');
  });

  it('requires a headline', () => {
    expect(problem(CreateArticleRequest, { headline: '' })).toBe('headline: headline is required');
    expect(problem(CreateArticleRequest, { headline: ' \t\n ' })).toBe('headline: headline is required');
    expect(problem(CreateArticleRequest, {})).toMatch(/^headline: /);
    expect(problem(CreateArticleRequest, { headline: null })).toMatch(/^headline: /);
    expect(problem(CreateArticleRequest, { headline: 7 })).toMatch(/^headline: /);
  });

  it('caps the headline at 300 characters, counted after trimming', () => {
    expect(problem(CreateArticleRequest, { headline: 'h'.repeat(300) })).toBeNull();
    expect(problem(CreateArticleRequest, { headline: `   ${'h'.repeat(300)}   ` })).toBeNull();
    expect(problem(CreateArticleRequest, { headline: 'h'.repeat(301) })).toBe('headline: headline is at most 300 characters');
  });

  it('never passes server-owned fields through from the client', () => {
    const result = CreateArticleRequest.safeParse({ headline: 'H', status: 'published', createdBy: 'u_admin', id: 'x' });
    if (result.success) {
      expect(result.data).not.toHaveProperty('status');
      expect(result.data).not.toHaveProperty('createdBy');
      expect(result.data).not.toHaveProperty('id');
    }
  });
});

describe('ArticleId', () => {
  it.each(['abc', 'A1', 'x', 'a_b-c', 'V1StGXR8_Z5jdHi6B-myT', 'a'.repeat(64)])('accepts the url-safe id %j', (id) => {
    expect(ArticleId.safeParse(id).success).toBe(true);
  });

  it.each([
    ['../x', 'path traversal'],
    ['', 'empty'],
    ['a'.repeat(65), '65 characters'],
    ['a b', 'a space'],
    [' abc', 'a leading space'],
    ['abc\n', 'a trailing newline'],
    ['a/b', 'a slash'],
    ['a.b', 'a dot'],
    ['a%2Fb', 'percent-encoding'],
    ['a:b', 'a colon (key separator)'],
    ['é', 'a non-ascii letter'],
  ])('rejects %j (%s)', (id) => {
    const result = ArticleId.safeParse(id);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('not a valid article id');
  });

  it('rejects values that are not strings', () => {
    for (const value of [undefined, null, 42, ['abc'], { id: 'abc' }]) expect(ArticleId.safeParse(value).success).toBe(false);
  });
});

describe('ArticleStatus', () => {
  it('has exactly the workflow states', () => {
    expect(ArticleStatus.options).toEqual(['draft', 'filed', 'editing', 'approved', 'scheduled', 'published', 'spiked', 'killed']);
  });

  it('rejects unknown or differently-cased statuses', () => {
    for (const value of ['Draft', 'deleted', '', ' draft', null]) expect(ArticleStatus.safeParse(value).success).toBe(false);
  });
});

describe('statusOfErrorCode', () => {
  it('has an HTTP status for every error code, and nothing else', () => {
    expect(Object.keys(statusOfErrorCode).sort()).toEqual(Object.values(ErrorCode).sort());
  });

  it('maps every code to an HTTP error status', () => {
    for (const code of Object.values(ErrorCode)) {
      const status = statusOfErrorCode[code];
      expect(Number.isInteger(status), code).toBe(true);
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
    }
  });

  it.each([
    [ErrorCode.invalidRequest, 400],
    [ErrorCode.invalidCredentials, 401],
    [ErrorCode.unauthenticated, 401],
    [ErrorCode.forbidden, 403],
    [ErrorCode.notFound, 404],
    [ErrorCode.conflict, 409],
    [ErrorCode.payloadTooLarge, 413],
    [ErrorCode.rateLimited, 429],
    [ErrorCode.internal, 500],
    [ErrorCode.unavailable, 503],
  ])('maps %s to %i', (code, status) => {
    expect(statusOfErrorCode[code]).toBe(status);
  });

  it('keeps the wire values of the error codes stable', () => {
    expect(ErrorCode.invalidRequest).toBe('invalid_request');
    expect(ErrorCode.unauthenticated).toBe('unauthenticated');
    expect(ErrorCode.forbidden).toBe('forbidden');
    expect(ErrorCode.notFound).toBe('not_found');
    expect(ErrorCode.rateLimited).toBe('rate_limited');
    expect(ErrorCode.internal).toBe('internal_error');
  });
});

describe('CloseCode', () => {
  it('keeps the public close-code values', () => {
    expect(CloseCode.malformed).toBe(4400);
    expect(CloseCode.unauthenticated).toBe(4401);
    expect(CloseCode.forbidden).toBe(4403);
    expect(CloseCode.unknownArticle).toBe(4404);
    expect(CloseCode.tooLarge).toBe(1009);
    expect(CloseCode.goingAway).toBe(1001);
  });

  it('uses distinct codes, each either standard RFC 6455 or in the application range 4000–4999', () => {
    const codes: number[] = Object.values(CloseCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code === 1001 || code === 1009 || code === 1011 || (code >= 4000 && code <= 4999), String(code)).toBe(true);
  });
});

describe('isApiError', () => {
  it('accepts the error body every route sends', () => {
    expect(isApiError({ error: { code: 'not_found', message: 'No such article' } })).toBe(true);
    expect(isApiError(JSON.parse('{"error":{"code":"rate_limited","message":"Slow down"}}'))).toBe(true);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'error'],
    ['a number', 404],
    ['an array', []],
    ['an empty object', {}],
    ['a success body', { articles: [] }],
    ['a null error', { error: null }],
    ['a string error', { error: 'not_found' }],
    ['an error without code', { error: { message: 'x' } }],
    ['a numeric code', { error: { code: 404, message: 'x' } }],
  ])('rejects %s', (_label, value) => {
    expect(isApiError(value)).toBe(false);
  });
});
