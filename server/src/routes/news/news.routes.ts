import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { renderArticlePage, renderIndexPage, renderNotFoundPage } from './news-html.ts';
import { READER_CSS } from './reader.css.ts';

const Slug = z.string().regex(/^[a-z0-9-]{1,100}$/);

/** Public reader pages: `GET /news` and `GET /news/<slug>`, server-rendered from the published version. */
export function newsRoutes({ store, env }: AppContext): Router {
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
    res.type('html').send(renderArticlePage(page, env.PUBLIC_URL ?? null));
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
