import { Router } from 'express';
import { CommentSettings } from '@copydesk/protocol';
import { requireUser } from '../../auth/middleware.ts';
import { validateBody } from '../../http/validate.ts';
import type { AppContext } from '../../context.ts';

/**
 * `/api/articles/:id/comments`: reader comments. Reading is public (published articles); posting,
 * editing, deleting and reporting need a session. Mounted with the article id in the path.
 */
export function commentRoutes({ comments }: AppContext): Router {
  const router = Router({ mergeParams: true });
  const articleId = (params: unknown) => (params as { id?: string }).id;
  const caller = (req: Parameters<Parameters<typeof router.get>[1]>[0]) => ({ user: req.user ?? null, ip: req.ip });

  router.get('/', async (req, res) => {
    res.json(await comments.page(articleId(req.params), req.user ?? null, req.query));
  });

  router.post('/', async (req, res) => {
    res.status(201).json(await comments.post(caller(req), articleId(req.params), req.body));
  });

  router.patch('/:commentId', async (req, res) => {
    res.json(await comments.edit(caller(req), req.params.commentId, req.body, articleId(req.params)));
  });

  router.delete('/:commentId', async (req, res) => {
    await comments.delete(caller(req), req.params.commentId, articleId(req.params));
    res.status(204).end();
  });

  router.post('/:commentId/report', requireUser, async (req, res) => {
    await comments.report(caller(req), req.params.commentId, req.body, articleId(req.params));
    res.status(204).end();
  });

  return router;
}

/** `/api/articles/:id/comment-settings`: the article's moderation mode (anyone reads it, leads set it). */
export function commentSettingsRoutes({ comments }: AppContext): Router {
  const router = Router({ mergeParams: true });
  router.get('/', async (req, res) => {
    res.json({ mode: await comments.mode((req.params as { id?: string }).id, req.user ?? null) });
  });
  router.put('/', validateBody(CommentSettings), async (req, res) => {
    const { mode } = req.body as CommentSettings;
    res.json({ mode: await comments.setMode(req.user ?? null, (req.params as { id?: string }).id, mode) });
  });
  return router;
}

/** `/api/articles/:id/editorial-comments`: the article's editorial comments (writers and leads). */
export function editorialCommentRoutes({ editorial }: AppContext): Router {
  const router = Router({ mergeParams: true });
  router.get('/', async (req, res) => {
    res.json({ comments: await editorial.list(req.user ?? null, (req.params as { id?: string }).id) });
  });
  router.post('/', async (req, res) => {
    const body = typeof req.body === 'object' && req.body !== null ? req.body : {};
    res.status(201).json(await editorial.post(req.user ?? null, { ...body, articleId: (req.params as { id?: string }).id }));
  });
  return router;
}

/** `/api/notifications`: your mentions, newest first, and marking them read. */
export function notificationRoutes({ editorial }: AppContext): Router {
  const router = Router();
  router.get('/', requireUser, async (req, res) => {
    res.json(await editorial.notifications(req.user!));
  });
  router.post('/read', requireUser, async (req, res) => {
    res.json({ unread: await editorial.markRead(req.user!, req.body) });
  });
  return router;
}
