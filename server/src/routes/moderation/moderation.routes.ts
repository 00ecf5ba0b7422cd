import { Router } from 'express';
import { BannedWordsRequest } from '@copydesk/protocol';
import { requireRole } from '../../auth/middleware.ts';
import { validateBody } from '../../http/validate.ts';
import type { AppContext } from '../../context.ts';

/** `/api/moderation`: the leads' queue, approve/reject, banned words, and reader comments sent to the desk. */
export function moderationRoutes({ comments, editorial }: AppContext): Router {
  const router = Router();
  router.use(requireRole('lead'));

  router.get('/queue', async (req, res) => {
    res.json({ items: await comments.queue(req.user!) });
  });

  router.post('/comments/:commentId/approve', async (req, res) => {
    res.json(await comments.approve(req.user!, req.params.commentId));
  });

  router.post('/comments/:commentId/reject', async (req, res) => {
    res.json(await comments.reject(req.user!, req.params.commentId));
  });

  router.post('/comments/:commentId/to-editorial', async (req, res) => {
    const reader = await comments.forLead(req.user!, req.params.commentId);
    res.status(201).json(await editorial.fromReader(req.user!, reader, req.body));
  });

  router.get('/banned-words', async (req, res) => {
    res.json({ words: await comments.bannedWords(req.user!) });
  });

  router.put('/banned-words', validateBody(BannedWordsRequest), async (req, res) => {
    res.json({ words: await comments.setBannedWords(req.user!, (req.body as BannedWordsRequest).words) });
  });

  return router;
}
