import { Router } from 'express';
import type { HealthResponse } from '@copydesk/protocol';
import type { AppContext } from '../../context.ts';

const startedAt = Date.now();

export function healthRoutes({ store }: AppContext): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const reachable = await store.ping().catch(() => false);
    const body: HealthResponse = {
      status: reachable ? 'ok' : 'degraded',
      store: store.kind,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    };
    res.status(reachable ? 200 : 503).json(body);
  });
  return router;
}
