import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { ErrorCode } from '@copydesk/protocol';
import { HttpError } from './errors.ts';

/** Human message naming the first failing field, e.g. "headline: headline is required". */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'Invalid request';
  const field = issue.path.length ? issue.path.join('.') : 'body';
  return `${field}: ${issue.message}`;
}

/** Validates req.body with a zod schema and replaces it with the parsed value. */
export function validateBody<T extends z.ZodType>(schema: T): RequestHandler {
  return (req, _res, next) => {
    const result = schema.safeParse(req.body ?? {});
    if (!result.success) return next(new HttpError(ErrorCode.invalidRequest, describeZodError(result.error)));
    req.body = result.data;
    next();
  };
}

export function parseParam<T extends z.ZodType>(schema: T, value: unknown, name: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(ErrorCode.notFound, `No such ${name}`);
  return result.data;
}
