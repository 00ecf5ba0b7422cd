import { Router, type CookieOptions } from 'express';
import { ErrorCode, LoginRequest, SESSION_COOKIE } from '@copydesk/protocol';
import { HttpError } from '../../http/errors.ts';
import { RateLimiterMemory, rateLimit } from '../../http/rate-limit.ts';
import { validateBody } from '../../http/validate.ts';
import { DUMMY_PASSWORD_HASH, verifyPassword } from '../../auth/passwords.ts';
import { requireUser } from '../../auth/middleware.ts';
import { toPublicUser } from '../../auth/sessions.ts';
import type { AppContext } from '../../context.ts';

export function authRoutes({ store, sessions, env }: AppContext): Router {
  const router = Router();
  const perIp = new RateLimiterMemory({ points: env.LOGIN_RATE_PER_IP, duration: env.LOGIN_RATE_WINDOW_S });
  const perUsername = new RateLimiterMemory({ points: env.LOGIN_RATE_PER_USERNAME, duration: env.LOGIN_RATE_WINDOW_S });

  const cookieOptions = (secure: boolean): CookieOptions => ({
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: env.SESSION_IDLE_MS,
  });

  router.post(
    '/login',
    rateLimit([
      { limiter: perIp, key: (req) => req.ip },
      { limiter: perUsername, key: (req) => (typeof req.body?.username === 'string' ? req.body.username.toLowerCase().slice(0, 64) : undefined) },
    ]),
    validateBody(LoginRequest),
    async (req, res) => {
      const { username, password } = req.body as LoginRequest;
      const user = await store.users.findByUsername(username);
      // Hash even for unknown users so response time does not reveal which usernames exist.
      const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
      if (!user || !ok) throw new HttpError(ErrorCode.invalidCredentials, 'Wrong username or password');
      // A fresh session id at every login (no fixation); the previous one is dropped.
      if (req.sessionToken) await sessions.destroy(req.sessionToken);
      const token = await sessions.create(user.id);
      res.cookie(SESSION_COOKIE, token, cookieOptions(req.secure));
      res.json({ user: toPublicUser(user) });
    },
  );

  router.post('/logout', async (req, res) => {
    if (req.sessionToken) await sessions.destroy(req.sessionToken);
    res.clearCookie(SESSION_COOKIE, { ...cookieOptions(req.secure), maxAge: undefined });
    res.status(204).end();
  });

  return router;
}

export function meRoutes(): Router {
  const router = Router();
  router.get('/', requireUser, (req, res) => {
    res.json({ user: toPublicUser(req.user!) });
  });
  return router;
}
