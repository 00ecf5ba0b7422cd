import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '@copydesk/protocol';
import { startTestServer, type TestServer } from '../../test/harness.ts';

let server: TestServer;
let lead: string;
let writer: string;
beforeAll(async () => {
  server = await startTestServer({ SIGNUP_RATE_PER_IP: '4' });
  lead = await server.login('lead');
  writer = await server.login('alice');
});
afterAll(() => server.stop());

const signup = (json: unknown) => server.request('/api/auth/signup', { method: 'POST', json });
const cookieOf = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))?.split(';')[0];

describe('reader sign-up', () => {
  it('creates a reader who is signed in at once; a taken name is 409, a weak password or bad name 400, the fifth try from one IP 429', async () => {
    const res = await signup({ username: 'new.reader', displayName: 'New Reader', password: 'a long river stone' });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ user: { id: expect.any(String), username: 'new.reader', displayName: 'New Reader', role: 'reader' } });
    const me = await server.request('/api/me', { cookie: cookieOf(res) });
    expect((await me.json()).user.username).toBe('new.reader');

    const taken = await signup({ username: 'NEW.reader', displayName: 'Copycat', password: 'another long phrase' });
    expect(taken.status).toBe(409);
    expect((await taken.json()).error.code).toBe('conflict');

    const weak = await signup({ username: 'weakling', displayName: 'Weak', password: 'password123' });
    expect(weak.status).toBe(400);
    expect(await weak.json()).toEqual({ error: { code: 'invalid_request', message: expect.stringMatching(/common/) } });

    const badName = await signup({ username: 'x y', displayName: 'Spaces', password: 'a long river stone' });
    expect(badName.status).toBe(400);
    expect((await badName.json()).error.message).toMatch(/username/);

    const limited = await signup({ username: 'fifth', displayName: 'Fifth', password: 'a long river stone' });
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.code).toBe('rate_limited');
  });
});

describe('staff management', () => {
  it('lets a lead add a writer, see every account, and deactivate them: no more sign-in, their session ends', async () => {
    const created = await server.request('/api/users', { method: 'POST', cookie: lead, json: { username: 'nina', displayName: 'Nina Night', role: 'writer', password: 'night desk 2026' } });
    expect(created.status).toBe(201);
    const { user } = await created.json();
    expect(user).toMatchObject({ username: 'nina', role: 'writer', active: true });

    const nina = await server.login('nina', 'night desk 2026');
    expect((await server.request('/api/articles', { cookie: nina })).status).toBe(200);

    const people = await (await server.request('/api/users?scope=people', { cookie: lead })).json();
    expect(people.users.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(['nina', 'rita', 'lead']));

    const promoted = await server.request(`/api/users/${user.id}`, { method: 'PATCH', cookie: lead, json: { role: 'lead', displayName: 'Nina N.' } });
    expect(await promoted.json()).toEqual({ user: expect.objectContaining({ role: 'lead', displayName: 'Nina N.', active: true }) });

    const deactivated = await server.request(`/api/users/${user.id}`, { method: 'PATCH', cookie: lead, json: { active: false } });
    expect((await deactivated.json()).user.active).toBe(false);
    expect((await server.request('/api/me', { cookie: nina })).status).toBe(401);
    const login = await server.request('/api/auth/login', { method: 'POST', json: { username: 'nina', password: 'night desk 2026' } });
    expect(login.status).toBe(403);
    // Deactivated people leave the byline and assignee pickers.
    const staff = await (await server.request('/api/users', { cookie: writer })).json();
    expect(staff.users.map((u: { username: string }) => u.username)).not.toContain('nina');
  });

  it('keeps writers out of staff management and leads from locking themselves out', async () => {
    expect((await server.request('/api/users', { method: 'POST', cookie: writer, json: { username: 'sneaky', displayName: 'S', role: 'lead', password: 'a long river stone' } })).status).toBe(403);
    expect((await server.request('/api/users?scope=people', { cookie: writer })).status).toBe(403);
    const me = (await (await server.request('/api/me', { cookie: lead })).json()).user;
    const selfDemote = await server.request(`/api/users/${me.id}`, { method: 'PATCH', cookie: lead, json: { role: 'writer' } });
    expect(selfDemote.status).toBe(409);
    const unknown = await server.request('/api/users/nobody', { method: 'PATCH', cookie: lead, json: { active: false } });
    expect(unknown.status).toBe(404);
    const empty = await server.request(`/api/users/${me.id}`, { method: 'PATCH', cookie: lead, json: {} });
    expect(empty.status).toBe(400);
  });
});
