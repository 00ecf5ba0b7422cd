import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { renderArticlePage, renderIndexPage, renderNotFoundPage } from './news-html.ts';
import { READER_CSS } from './reader.css.ts';
import { readerCommentTags, renderCommentsSection } from '../../newsroom/comments-html.ts';

const Slug = z.string().regex(/^[a-z0-9-]{1,100}$/);

/** Public reader pages: `GET /news` and `GET /news/<slug>`, server-rendered from the published version. */
export function newsRoutes({ store, env, comments, log }: AppContext): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.type('html').send(renderIndexPage(await store.published.list()));
  });
  router.get('/:slug', async (req, res) => {
    const slug = Slug.safeParse(req.params.slug);
    const page = slug.success ? await store.published.getBySlug(slug.data) : null;
    if (!page) {
      res.status(404).type('html').send(renderNotFoundPage());
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    // The first page of comments is in the HTML (readable without JavaScript); the script keeps it live.
    const section = page.killed
      ? undefined
      : await comments.snapshot(page.articleId, null).then(renderCommentsSection, (err: unknown) => {
          log.warn({ err, articleId: page.articleId }, 'reader page rendered without comments');
          return undefined;
        });
    res.type('html').send(renderArticlePage(page, env.PUBLIC_URL ?? null, { comments: section, head: section ? readerCommentTags(env.CLIENT_DIST) : '' }));
  });
  return router;
}

export function newsAssetRoutes(): Router {
  const router = Router();
  router.get('/reader.css', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('css').send(READER_CSS);
  });
  return router;
}
