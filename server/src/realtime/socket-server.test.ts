import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@copydesk/protocol';
import { HttpError } from '../http/errors.ts';
import { withAck } from './socket-server.ts';

function call(handler: () => Promise<object>): Promise<{ result: unknown; unexpected: unknown[] }> {
  const unexpected: unknown[] = [];
  return new Promise((resolve) => {
    withAck(handler, (error) => unexpected.push(error))((result: unknown) => resolve({ result, unexpected }));
  });
}

describe('withAck', () => {
  it('answers ok with the handler result', async () => {
    expect((await call(async () => ({ value: 1 }))).result).toEqual({ ok: true, value: 1 });
  });

  it('passes on errors thrown on purpose, with their code and message', async () => {
    const { result, unexpected } = await call(async () => {
      throw new HttpError(ErrorCode.forbidden, 'The desk is for writers and leads');
    });
    expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: 'The desk is for writers and leads' } });
    expect(unexpected).toEqual([]);
  });

  it('never forwards the code or message of anything else (a database error, say)', async () => {
    const dbError = Object.assign(new Error('UNIQUE constraint failed: users.username'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    const { result, unexpected } = await call(async () => {
      throw dbError;
    });
    expect(result).toEqual({ ok: false, error: { code: 'internal_error', message: 'Something went wrong on our side' } });
    expect(unexpected).toEqual([dbError]);
  });
});
