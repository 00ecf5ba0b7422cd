import { Router } from 'express';
import type { PresenceSnapshot } from '@copydesk/protocol';
import { requireRole } from '../../auth/middleware.ts';
import type { PresenceBoard } from '../../presence/board.ts';

/** `GET /api/presence` (leads): every article with people in it now, and articles at risk of missing their deadline. */
export function presenceRoutes(board: PresenceBoard): Router {
  const router = Router();
  router.get('/', requireRole('lead'), async (_req, res, next) => {
    try {
      await board.ready;
      const body: PresenceSnapshot = board.snapshot();
      res.setHeader('Cache-Control', 'no-store');
      res.json(body);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
