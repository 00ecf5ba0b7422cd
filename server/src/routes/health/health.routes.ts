import { Router } from 'express';
import type { HealthResponse } from '@copydesk/protocol';
import type { AppContext } from '../../context.ts';

const startedAt = Date.now();

export function healthRoutes({ store, env }: AppContext): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const reachable = await store.ping().catch(() => false);
    const body: HealthResponse = {
      status: reachable ? 'ok' : 'degraded',
      store: store.kind,
      storeReachable: reachable,
      ...(store.kind === 'redis' ? { instance: env.INSTANCE_ID } : {}),
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    };
    res.status(reachable ? 200 : 503).json(body);
  });
  return router;
}
