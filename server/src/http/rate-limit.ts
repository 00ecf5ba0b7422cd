import type { RequestHandler } from 'express';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCode } from '@copydesk/protocol';
import { HttpError } from './errors.ts';

/**
 * Consumes one point per key from each limiter; any exhausted limiter answers 429 rate_limited
 * with Retry-After. Keys are derived from the request (IP, username, ...).
 */
export function rateLimit(limits: Array<{ limiter: RateLimiterAbstract; key: (req: Parameters<RequestHandler>[0]) => string | undefined }>): RequestHandler {
  return async (req, res, next) => {
    for (const { limiter, key } of limits) {
      const k = key(req);
      if (!k) continue;
      try {
        await limiter.consume(k);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          res.setHeader('Retry-After', String(Math.ceil(rejection.msBeforeNext / 1000)));
          return next(new HttpError(ErrorCode.rateLimited, 'Too many attempts; try again later'));
        }
        return next(rejection);
      }
    }
    next();
  };
}

