import type { RequestHandler } from 'express';
import { ErrorCode, type Role } from '@copydesk/protocol';
import { HttpError } from '../http/errors.ts';
import { sessionTokenFrom, type SessionService } from './sessions.ts';
import type { UserRecord } from '../storage/store.ts';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      user?: UserRecord | null;
      sessionToken?: string;
    }
  }
}

/** Resolves the session cookie (if any) into req.user; never rejects. */
export function loadUser(sessions: SessionService): RequestHandler {
  return async (req, _res, next) => {
    const token = sessionTokenFrom(req.headers.cookie);
    req.sessionToken = token;
    req.user = await sessions.resolve(token);
    next();
  };
}

export const requireUser: RequestHandler = (req, _res, next) => {
  if (!req.user) return next(new HttpError(ErrorCode.unauthenticated, 'Sign in first'));
  next();
};

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) return next(new HttpError(ErrorCode.unauthenticated, 'Sign in first'));
    if (!roles.includes(req.user.role)) return next(new HttpError(ErrorCode.forbidden, 'Your role may not do this'));
    next();
  };
}
