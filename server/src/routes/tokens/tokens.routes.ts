import { Router } from 'express';
import { z } from 'zod';
import { CreateTokenRequest } from '@copydesk/protocol';
import { requireUser } from '../../auth/middleware.ts';
import { parseParam, validateBody } from '../../http/validate.ts';
import type { AppContext } from '../../context.ts';
import { HttpError } from '../../http/errors.ts';

/** API tokens: create (shown once), list, revoke. Managing tokens needs a real session, not a token. */
export function tokenRoutes({ tokens, rights }: AppContext): Router {
  const router = Router();
  router.use(requireUser, (req, _res, next) => {
    if (req.viaToken) return next(new HttpError('forbidden', 'Tokens cannot manage tokens; sign in'));
    next();
  });
  router.get('/', async (req, res) => {
    res.json({ tokens: await tokens.list(req.user!) });
  });
  router.post('/', validateBody(CreateTokenRequest), async (req, res) => {
    const { name, role } = req.body as CreateTokenRequest;
    res.status(201).json(await tokens.create(req.user!, name, role));
  });
  router.delete('/:id', async (req, res) => {
    await tokens.revoke(req.user!, parseParam(z.string().uuid(), req.params.id, 'token'));
    // Connections opened with the token close at once, on every instance.
    await rights.userChanged(req.user!.id);
    res.status(204).end();
  });
  return router;
}
