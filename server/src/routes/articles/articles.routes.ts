import { Router } from 'express';
import { ArticleId, CreateArticleRequest, ErrorCode } from '@copydesk/protocol';
import { HttpError } from '../../http/errors.ts';
import { parseParam, validateBody } from '../../http/validate.ts';
import { requireUser } from '../../auth/middleware.ts';
import { can } from '../../auth/permissions.ts';
import type { AppContext } from '../../context.ts';

export function articleRoutes({ articles }: AppContext): Router {
  const router = Router();

  router.get('/', requireUser, async (req, res) => {
    res.json({ articles: await articles.listReadable(req.user!) });
  });

  router.post('/', requireUser, validateBody(CreateArticleRequest), async (req, res) => {
    if (!can(req.user!.role, 'create', 'draft')) throw new HttpError(ErrorCode.forbidden, 'Readers cannot create articles');
    const { headline } = req.body as CreateArticleRequest;
    res.status(201).json(await articles.create(req.user!, { headline }));
  });

  router.get('/:id', async (req, res) => {
    const id = parseParam(ArticleId, req.params.id, 'article');
    res.json(await articles.getReadable(id, req.user ?? null));
  });

  return router;
}
