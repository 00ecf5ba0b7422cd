import { Router } from 'express';
import { CreateUserRequest, ErrorCode, UpdateUserRequest, type StaffUser } from '@copydesk/protocol';
import { createAccount, updateAccount } from '../../auth/accounts.ts';
import { requireRole } from '../../auth/middleware.ts';
import { toPublicUser } from '../../auth/sessions.ts';
import type { AppContext } from '../../context.ts';
import { HttpError } from '../../http/errors.ts';
import { validateBody } from '../../http/validate.ts';
import type { UserRecord } from '../../storage/store.ts';

const toStaffUser = (user: UserRecord): StaffUser => ({ ...toPublicUser(user), active: !user.deactivatedAt, createdAt: user.createdAt });

/**
 * `GET /api/users`: the active newsroom staff (writers and leads), for byline and assignee pickers.
 * `GET /api/users?scope=people` (leads): every account, readers and deactivated ones included.
 * `POST /api/users`, `PATCH /api/users/:id` (leads): staff management.
 */
export function userRoutes({ store, rights }: AppContext): Router {
  const router = Router();
  router.get('/', requireRole('writer', 'lead'), async (req, res) => {
    if (req.query.scope === 'people') {
      if (req.user!.role !== 'lead') throw new HttpError(ErrorCode.forbidden, 'Only desk leads manage people');
      res.json({ users: (await store.users.list()).map(toStaffUser) });
      return;
    }
    const users = (await store.users.list()).filter((u) => u.role !== 'reader' && !u.deactivatedAt).map(toPublicUser);
    res.json({ users });
  });

  router.post('/', requireRole('lead'), validateBody(CreateUserRequest), async (req, res) => {
    const user = await createAccount(store, req.body as CreateUserRequest);
    res.status(201).json({ user: toStaffUser(user) });
  });

  router.patch('/:id', requireRole('lead'), validateBody(UpdateUserRequest), async (req, res) => {
    const patch = req.body as UpdateUserRequest;
    const id = String(req.params.id);
    // A lead cannot lock themselves out; another lead (or `npm run user`) can.
    if (id === req.user!.id && (patch.active === false || (patch.role && patch.role !== 'lead'))) {
      throw new HttpError(ErrorCode.conflict, 'You cannot deactivate yourself or give up your own lead role; ask another lead');
    }
    const user = await updateAccount(store, id, patch);
    // Rights changed: open editors and sockets re-check who this person is now, on every instance.
    if (patch.role !== undefined || patch.active !== undefined) await rights.userChanged(id);
    res.json({ user: toStaffUser(user) });
  });
  return router;
}
