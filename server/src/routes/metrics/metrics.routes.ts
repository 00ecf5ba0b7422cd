import { Router } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { ErrorCode } from '@copydesk/protocol';
import { HttpError } from '../../http/errors.ts';
import { bearerToken } from '../../auth/tokens.ts';
import type { AppContext } from '../../context.ts';

/** `GET /metrics` in Prometheus text format; needs `Authorization: Bearer $METRICS_TOKEN` when one is set (always in production). */
export function metricsRoutes({ env, metrics }: AppContext): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const expected = env.METRICS_TOKEN;
    if (expected) {
      const given = Buffer.from(bearerToken(req.headers.authorization) ?? '');
      const wanted = Buffer.from(expected);
      if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw new HttpError(ErrorCode.unauthenticated, 'Metrics need the metrics token');
    } else if (env.NODE_ENV === 'production') {
      throw new HttpError(ErrorCode.forbidden, 'Set METRICS_TOKEN to expose metrics in production');
    }
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  return router;
}
