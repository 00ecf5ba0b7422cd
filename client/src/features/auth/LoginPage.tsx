import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ErrorCode } from '@copydesk/protocol';
import { api, isApiClientError } from '../../api/index.ts';
import { useAuth } from './AuthContext.tsx';
import { safeNext } from './RequireAuth.tsx';
import { Logo } from '../../components/Logo.tsx';

const DEMO_ACCOUNTS: Array<{ username: string; role: string }> = [
  { username: 'lead', role: 'desk lead' },
  { username: 'alice', role: 'writer' },
  { username: 'bob', role: 'writer' },
  { username: 'rita', role: 'reader' },
];
const DEMO_PASSWORD = 'copydesk';

function messageFor(error: unknown): string {
  if (isApiClientError(error)) {
    if (error.code === ErrorCode.invalidCredentials || error.status === 401) return 'Wrong username or password. Check both and try again.';
    if (error.code === ErrorCode.rateLimited) return 'Too many sign-in attempts. Wait a minute, then try again.';
    if (error.code === ErrorCode.invalidRequest) return 'Enter both your username and your password.';
    if (error.status === 0) return error.message;
  }
  return 'Sign-in failed because of a problem on our side. Try again in a moment.';
}

export function LoginPage() {
  const { state, signedIn } = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get('next'));

  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);
  const errorId = useId();

  useEffect(() => {
    document.title = 'Sign in · Copydesk';
  }, []);

  if (state.status === 'signed-in' && !pending) return <Navigate to={next} replace />;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    if (!username.trim() || !password) {
      setError('Enter both your username and your password.');
      (username.trim() ? null : usernameRef.current)?.focus();
      return;
    }
    setPending(true);
    setError(null);
    try {
      const { user } = await api.login({ username: username.trim(), password });
      signedIn(user);
      navigate(next, { replace: true });
    } catch (err) {
      setError(messageFor(err));
      setPending(false);
    }
  }

  return (
    <div className="auth-screen">
      <main className="auth-card">
        <div className="auth-brand">
          <Logo />
          <p className="auth-tagline">The newsroom’s shared copy desk</p>
        </div>
        <h1 className="auth-title">Sign in</h1>
        <form className="form" onSubmit={onSubmit} noValidate aria-describedby={error ? errorId : undefined}>
          <div className="field">
            <label htmlFor="login-username">Username</label>
            <input
              ref={usernameRef}
              id="login-username"
              name="username"
              type="text"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              autoFocus
              required
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              aria-invalid={error ? true : undefined}
            />
          </div>
          <div className="field">
            <label htmlFor="login-password">Password</label>
            <input
              id="login-password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={error ? true : undefined}
            />
          </div>
          {error && (
            <p id={errorId} className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button button--primary button--block" disabled={pending} aria-busy={pending || undefined}>
            {pending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <aside className="demo-hint" aria-label="Demo accounts">
          <h2>Demo accounts</h2>
          <p>
            Every account uses the password <code>{DEMO_PASSWORD}</code>.
          </p>
          <ul>
            {DEMO_ACCOUNTS.map((account) => (
              <li key={account.username}>
                <code>{account.username}</code> <span className="muted">— {account.role}</span>
              </li>
            ))}
          </ul>
        </aside>
      </main>
    </div>
  );
}
