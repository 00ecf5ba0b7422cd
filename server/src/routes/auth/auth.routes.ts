import { Router, type CookieOptions } from 'express';
import { ChangePasswordRequest, ErrorCode, LoginRequest, SESSION_COOKIE, SignupRequest } from '@copydesk/protocol';
import { createAccount } from '../../auth/accounts.ts';
import { HttpError } from '../../http/errors.ts';
import { rateLimit } from '../../http/rate-limit.ts';
import { validateBody } from '../../http/validate.ts';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../../auth/passwords.ts';
import { requireUser } from '../../auth/middleware.ts';
import { toPublicUser } from '../../auth/sessions.ts';
import type { AppContext } from '../../context.ts';

export function authRoutes({ store, sessions, env, rights, limiters }: AppContext): Router {
  const router = Router();
  const perIp = limiters('login-ip', { points: env.LOGIN_RATE_PER_IP, duration: env.LOGIN_RATE_WINDOW_S });
  const perUsername = limiters('login-username', { points: env.LOGIN_RATE_PER_USERNAME, duration: env.LOGIN_RATE_WINDOW_S });

  const cookieOptions = (secure: boolean) => sessionCookieOptions(secure, env.SESSION_IDLE_MS);

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
      if (user.deactivatedAt) throw new HttpError(ErrorCode.forbidden, 'This account has been deactivated; ask a desk lead');
      // A fresh session id at every login (no fixation); the previous one is dropped.
      if (req.sessionToken) await sessions.destroy(req.sessionToken);
      const token = await sessions.create(user.id);
      res.cookie(SESSION_COOKIE, token, cookieOptions(req.secure));
      res.json({ user: toPublicUser(user) });
    },
  );

  const signupsPerIp = limiters('signup-ip', { points: env.SIGNUP_RATE_PER_IP, duration: env.SIGNUP_RATE_WINDOW_S });
  /** Reader accounts, for comments: anyone may sign up, and is signed in at once. Staff come from leads. */
  router.post('/signup', rateLimit([{ limiter: signupsPerIp, key: (req) => req.ip }]), validateBody(SignupRequest), async (req, res) => {
    const { username, displayName, password } = req.body as SignupRequest;
    const user = await createAccount(store, { username, displayName, password, role: 'reader' });
    if (req.sessionToken) await sessions.destroy(req.sessionToken);
    const token = await sessions.create(user.id);
    res.cookie(SESSION_COOKIE, token, cookieOptions(req.secure));
    res.status(201).json({ user: toPublicUser(user) });
  });

  router.post('/logout', async (req, res) => {
    if (req.sessionToken) await sessions.destroy(req.sessionToken);
    // The ended session's open editors and sockets close too, on every instance.
    if (req.user && !req.viaToken) await rights.userChanged(req.user.id);
    res.clearCookie(SESSION_COOKIE, { ...cookieOptions(req.secure), maxAge: undefined });
    res.status(204).end();
  });

  return router;
}

export function meRoutes({ store, sessions, env, rights, limiters }: AppContext): Router {
  const router = Router();
  const perUser = limiters('password-user', { points: env.LOGIN_RATE_PER_USERNAME, duration: env.LOGIN_RATE_WINDOW_S });
  router.get('/', requireUser, (req, res) => {
    res.json({ user: toPublicUser(req.user!) });
  });
  /** Changing the password logs the user out everywhere, then signs this browser in again. */
  router.post(
    '/password',
    requireUser,
    rateLimit([{ limiter: perUser, key: (req) => req.user?.id }]),
    validateBody(ChangePasswordRequest),
    async (req, res) => {
      if (req.viaToken) throw new HttpError(ErrorCode.forbidden, 'Sign in to change your password');
      const { currentPassword, newPassword } = req.body as ChangePasswordRequest;
      const user = req.user!;
      if (!(await verifyPassword(currentPassword, user.passwordHash))) throw new HttpError(ErrorCode.invalidCredentials, 'The current password is wrong');
      await store.users.setPasswordHash(user.id, await hashPassword(newPassword));
      await store.sessions.deleteForUser(user.id);
      await rights.userChanged(user.id);
      const token = await sessions.create(user.id);
      res.cookie(SESSION_COOKIE, token, sessionCookieOptions(req.secure, env.SESSION_IDLE_MS));
      res.status(204).end();
    },
  );
  return router;
}

export function sessionCookieOptions(secure: boolean, maxAge: number): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge };
}
