import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppContext } from './context.ts';
import { errorHandler, notFoundRoute } from './http/errors.ts';
import { loadUser } from './auth/middleware.ts';
import { authRoutes, meRoutes } from './routes/auth/auth.routes.ts';
import { articleRoutes } from './routes/articles/articles.routes.ts';
import { presenceRoutes } from './routes/presence/presence.routes.ts';
import { commentRoutes, commentSettingsRoutes, editorialCommentRoutes, notificationRoutes } from './routes/comments/comments.routes.ts';
import { moderationRoutes } from './routes/moderation/moderation.routes.ts';
import { tokenRoutes } from './routes/tokens/tokens.routes.ts';
import { userRoutes } from './routes/users/users.routes.ts';
import { metricsRoutes } from './routes/metrics/metrics.routes.ts';
import { healthRoutes } from './routes/health/health.routes.ts';
import { newsAssetRoutes, newsRoutes } from './routes/news/news.routes.ts';

/** Builds the Express app (no listening): security headers, JSON, session, routes, errors, client. */
export function createApp(ctx: AppContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // A hop count, never `true` (which would take the client's own leftmost X-Forwarded-For entry).
  if (ctx.env.TRUST_PROXY > 0) app.set('trust proxy', ctx.env.TRUST_PROXY);

  app.use(
    pinoHttp({
      logger: ctx.log,
      genReqId: (req, res) => {
        const id = randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Tiptap carets and React set style attributes.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          upgradeInsecureRequests: null,
        },
      },
    }),
  );

  // Errors by code for /metrics: the error handler leaves the code in res.locals.
  app.use((_req, res, next) => {
    res.on('finish', () => {
      if (res.statusCode >= 400) ctx.metrics.errors.inc({ channel: 'rest', code: String(res.locals.errorCode ?? res.statusCode) });
    });
    next();
  });
  app.use('/healthz', healthRoutes(ctx));
  app.use('/metrics', metricsRoutes(ctx));

  const api = express.Router();
  api.use(express.json({ limit: ctx.env.MAX_BODY_BYTES }));
  api.use(loadUser(ctx.sessions, ctx.tokens));
  api.use(ctx.origins.middleware());
  api.use('/auth', authRoutes(ctx));
  api.use('/me', meRoutes(ctx));
  api.use('/tokens', tokenRoutes(ctx));
  api.use('/articles/:id/comments', commentRoutes(ctx));
  api.use('/articles/:id/comment-settings', commentSettingsRoutes(ctx));
  api.use('/articles/:id/editorial-comments', editorialCommentRoutes(ctx));
  api.use('/moderation', moderationRoutes(ctx));
  api.use('/notifications', notificationRoutes(ctx));
  api.use('/articles', articleRoutes(ctx));
  api.use('/presence', presenceRoutes(ctx.presenceBoard));
  api.use('/users', userRoutes(ctx));
  api.use(notFoundRoute);
  app.use('/api', api);

  app.use('/news-assets', newsAssetRoutes());
  app.use('/news', newsRoutes(ctx));

  const clientDist = resolve(ctx.env.CLIENT_DIST ?? join(import.meta.dirname, '../../client/dist'));
  if (existsSync(join(clientDist, 'index.html'))) {
    app.use(express.static(clientDist, { index: false, maxAge: '1h', setHeaders: noCacheForHtml }));
    // Client-side routes fall back to the SPA shell.
    app.get(/^\/(?!api\/|collab\/|socket\.io\/|news\/|news$).*/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(clientDist, 'index.html'));
    });
  }

  app.use(notFoundRoute);
  app.use(errorHandler);
  return app;
}

function noCacheForHtml(res: express.Response, path: string) {
  if (path.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
}
