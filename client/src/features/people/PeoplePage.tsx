import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { Role, StaffUser } from '@copydesk/protocol';
import { useCurrentUser } from '../auth/AuthContext.tsx';
import { AppHeader } from '../../components/AppHeader.tsx';
import { http } from '../../api/client.ts';
import './people.css';

const ROLE_LABELS: Record<Role, string> = { reader: 'Reader', writer: 'Writer', lead: 'Desk lead' };

const peopleApi = {
  list: async (): Promise<StaffUser[]> => (await http.get<{ users: StaffUser[] }>('/api/users?scope=people')).users,
  create: async (input: { username: string; displayName: string; role: Role; password: string }) => (await http.post<{ user: StaffUser }>('/api/users', input)).user,
  update: async (id: string, patch: { role?: Role; active?: boolean }) => (await http.patch<{ user: StaffUser }>(`/api/users/${id}`, patch)).user,
};

const messageOf = (e: unknown) => (e instanceof Error ? e.message : 'Something went wrong');

/** `/people` (desk leads): every account; add staff, change roles, deactivate. */
export function PeoplePage() {
  const user = useCurrentUser();
  useEffect(() => {
    document.title = 'People · Copydesk';
  }, []);
  return (
    <div className="page">
      <AppHeader />
      {user.role === 'lead' ? (
        <People selfId={user.id} />
      ) : (
        <main className="desk">
          <div className="state state--error" role="alert">
            <p>Only desk leads manage people.</p>
            <Link to="/" className="button button--primary">
              Back to the desk
            </Link>
          </div>
        </main>
      )}
    </div>
  );
}

function People({ selfId }: { selfId: string }) {
  const [people, setPeople] = useState<StaffUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    peopleApi.list().then(setPeople, (e) => setError(messageOf(e)));
  }, []);
  useEffect(load, [load]);

  const change = async (person: StaffUser, patch: { role?: Role; active?: boolean }) => {
    setError(null);
    try {
      const updated = await peopleApi.update(person.id, patch);
      setPeople((list) => (list ?? []).map((p) => (p.id === updated.id ? updated : p)));
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <main className="desk people">
      <div className="desk__head">
        <h1>People</h1>
      </div>
      {error && (
        <p className="state state--error" role="alert">
          {error}
        </p>
      )}
      <AddPerson onAdded={(person) => setPeople((list) => [...(list ?? []), person])} />
      {people === null ? (
        <p className="state">Loading…</p>
      ) : (
        <table className="people__table" aria-label="People">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Username</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {people.map((person) => (
              <tr key={person.id} aria-label={person.displayName}>
                <td>{person.displayName}</td>
                <td>{person.username}</td>
                <td>
                  <select
                    aria-label={`Role of ${person.displayName}`}
                    value={person.role}
                    disabled={person.id === selfId}
                    onChange={(e) => void change(person, { role: e.target.value as Role })}
                  >
                    {Object.entries(ROLE_LABELS).map(([role, label]) => (
                      <option key={role} value={role}>
                        {label}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  {person.active ? 'Active' : 'Deactivated'}{' '}
                  {person.id !== selfId && (
                    <button type="button" className="button button--ghost" onClick={() => void change(person, { active: !person.active })}>
                      {person.active ? `Deactivate ${person.displayName}` : `Reactivate ${person.displayName}`}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

function AddPerson({ onAdded }: { onAdded: (person: StaffUser) => void }) {
  const [form, setForm] = useState({ username: '', displayName: '', role: 'writer' as Role, password: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onAdded(await peopleApi.create({ ...form, username: form.username.trim(), displayName: form.displayName.trim() }));
      setForm({ username: '', displayName: '', role: 'writer', password: '' });
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const field = (name: 'username' | 'displayName' | 'password') => ({
    value: form[name],
    onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value })),
  });
  return (
    <form className="people__add" aria-label="Add a person" onSubmit={(e) => void submit(e)}>
      <label>
        <span>Name</span>
        <input {...field('displayName')} required maxLength={80} />
      </label>
      <label>
        <span>Username</span>
        <input {...field('username')} required autoCapitalize="none" spellCheck={false} />
      </label>
      <label>
        <span>Role</span>
        <select aria-label="Role of the new person" value={form.role} onChange={(e) => setForm((f) => ({ ...f, role: e.target.value as Role }))}>
          {Object.entries(ROLE_LABELS).map(([role, label]) => (
            <option key={role} value={role}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>First password (at least 10 characters)</span>
        <input type="password" {...field('password')} required minLength={10} autoComplete="new-password" />
      </label>
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? 'Adding…' : 'Add person'}
      </button>
      {error && (
        <p className="state state--error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
