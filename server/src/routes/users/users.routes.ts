import { Router } from 'express';
import { requireRole } from '../../auth/middleware.ts';
import { toPublicUser } from '../../auth/sessions.ts';
import type { AppContext } from '../../context.ts';

/** `GET /api/users`: the newsroom staff (writers and leads), for byline and assignee pickers. */
export function userRoutes({ store }: AppContext): Router {
  const router = Router();
  router.get('/', requireRole('writer', 'lead'), async (_req, res) => {
    const users = (await store.users.list()).filter((u) => u.role !== 'reader').map(toPublicUser);
    res.json({ users });
  });
  return router;
}
