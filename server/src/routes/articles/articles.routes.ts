import { Router } from 'express';
import { z } from 'zod';
import { ArticleId, CreateArticleRequest, ErrorCode, SaveVersionRequest, ScheduleRequest, TransitionRequest, UpdateArticleMetaRequest } from '@copydesk/protocol';
import { HttpError } from '../../http/errors.ts';
import { parseParam, validateBody } from '../../http/validate.ts';
import { requireRole, requireUser } from '../../auth/middleware.ts';
import { can } from '../../auth/permissions.ts';
import type { AppContext } from '../../context.ts';
import { availableTransitions } from '../../newsroom/workflow.ts';

const VersionId = z.string().uuid();
/** The current draft, the published page, or another version (its id): any two texts can be compared. */
const DiffAgainst = z.union([z.enum(['current', 'published']), z.string().uuid()]).default('current');

export function articleRoutes({ articles, versions }: AppContext): Router {
  const router = Router();
  const articleId = (value: unknown) => parseParam(ArticleId, value, 'article');

  router.get('/', requireUser, async (req, res) => {
    res.json({ articles: await articles.listReadable(req.user!) });
  });

  router.post('/', requireUser, validateBody(CreateArticleRequest), async (req, res) => {
    if (!can(req.user!.role, 'create', 'draft')) throw new HttpError(ErrorCode.forbidden, 'Readers cannot create articles');
    const { headline, section } = req.body as CreateArticleRequest;
    res.status(201).json(await articles.create(req.user!, { headline, section }));
  });

  router.get('/:id', async (req, res) => {
    res.json(await articles.getDetail(articleId(req.params.id), req.user ?? null));
  });

  router.patch('/:id', requireRole('writer', 'lead'), validateBody(UpdateArticleMetaRequest), async (req, res) => {
    res.json(await articles.updateMeta(articleId(req.params.id), req.user!, req.body as UpdateArticleMetaRequest));
  });

  // ---- workflow ----
  router.get('/:id/transitions', requireRole('writer', 'lead'), async (req, res) => {
    const id = articleId(req.params.id);
    const record = await articles.requireRecord(id);
    res.json({
      transitions: await articles.transitions(id),
      available: availableTransitions(record.status, { role: req.user!.role, isOwner: articles.isOwner(record, req.user!) }),
    });
  });

  router.post('/:id/transitions', requireUser, validateBody(TransitionRequest), async (req, res) => {
    const { to, note, reapprove } = req.body as TransitionRequest;
    res.json(await articles.transition(articleId(req.params.id), req.user!, to, note, { reapprove }));
  });

  /** Same as the transition to `published`: lead only. */
  router.post('/:id/publish', requireUser, validateBody(z.object({ note: TransitionRequest.shape.note, reapprove: TransitionRequest.shape.reapprove }).strict()), async (req, res) => {
    const { note, reapprove } = req.body as { note?: string; reapprove?: boolean };
    res.json(await articles.transition(articleId(req.params.id), req.user!, 'published', note, { reapprove }));
  });

  router.post('/:id/schedule', requireUser, validateBody(ScheduleRequest), async (req, res) => {
    const { publishAt, reapprove } = req.body as ScheduleRequest;
    res.json(await articles.schedule(articleId(req.params.id), req.user!, publishAt, reapprove));
  });

  router.delete('/:id/schedule', requireUser, async (req, res) => {
    res.json(await articles.unschedule(articleId(req.params.id), req.user!));
  });

  // ---- versions ----
  const requireEditable = async (id: string, role: Parameters<typeof can>[0]) => {
    const record = await articles.requireRecord(id);
    if (!can(role, 'edit', record.status)) throw new HttpError(ErrorCode.forbidden, 'You may not change this article now');
    return record;
  };

  router.get('/:id/versions', requireRole('writer', 'lead'), async (req, res) => {
    const id = articleId(req.params.id);
    await articles.requireRecord(id);
    res.json({ versions: await versions.list(id) });
  });

  router.post('/:id/versions', requireRole('writer', 'lead'), validateBody(SaveVersionRequest), async (req, res) => {
    const id = articleId(req.params.id);
    await articles.requireRecord(id);
    const { label } = req.body as SaveVersionRequest;
    res.status(201).json(await versions.take(id, { cause: 'manual', label, authorId: req.user!.id }));
  });

  router.get('/:id/versions/:vid', requireRole('writer', 'lead'), async (req, res) => {
    res.json(await versions.get(articleId(req.params.id), parseParam(VersionId, req.params.vid, 'version')));
  });

  router.get('/:id/versions/:vid/diff', requireRole('writer', 'lead'), async (req, res) => {
    const against = DiffAgainst.safeParse(req.query.against);
    if (!against.success) throw new HttpError(ErrorCode.invalidRequest, 'against: must be "current", "published" or a version id');
    const id = articleId(req.params.id);
    const parts = await versions.diff(id, parseParam(VersionId, req.params.vid, 'version'), against.data);
    res.json({ against: against.data, parts });
  });

  router.post('/:id/versions/:vid/restore', requireRole('writer', 'lead'), async (req, res) => {
    const id = articleId(req.params.id);
    await requireEditable(id, req.user!.role);
    const restored = await versions.restore(id, parseParam(VersionId, req.params.vid, 'version'), req.user!.id);
    await articles.recordRestore(id, req.user!, restored.label);
    res.json(restored);
  });

  return router;
}
