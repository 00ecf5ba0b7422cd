import type { RequestHandler } from 'express';
import { ErrorCode, type Role } from '@copydesk/protocol';
import { HttpError } from '../http/errors.ts';
import { sessionTokenFrom, type SessionService } from './sessions.ts';
import { bearerToken, type TokenService } from './tokens.ts';
import type { UserRecord } from '../storage/store.ts';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      user?: UserRecord | null;
      sessionToken?: string;
      /** Authenticated by an API token (no ambient cookie credentials). */
      viaToken?: boolean;
    }
  }
}

/**
 * Resolves `Authorization: Bearer <api token>` or else the session cookie into req.user.
 * A bearer header that does not resolve is a 401, not a silent fall-back to the cookie.
 */
export function loadUser(sessions: SessionService, tokens: TokenService): RequestHandler {
  return async (req, _res, next) => {
    const bearer = bearerToken(req.headers.authorization);
    if (bearer !== undefined) {
      req.user = await tokens.resolve(bearer);
      req.viaToken = true;
      if (!req.user) return next(new HttpError(ErrorCode.unauthenticated, 'Invalid or revoked API token'));
      return next();
    }
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
