import { Navigate, Outlet, useLocation } from 'react-router';
import { useAuth } from './AuthContext.tsx';
import { FullPageMessage } from '../../components/FullPageMessage.tsx';

/** Where to go after login: only same-origin paths, never `//evil.example`. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

export function loginPath(location: { pathname: string; search: string; hash?: string }): string {
  const here = location.pathname + location.search + (location.hash ?? '');
  return here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`;
}

export function RequireAuth() {
  const { state } = useAuth();
  const location = useLocation();

  if (state.status === 'loading') return <FullPageMessage busy>Loading Copydesk…</FullPageMessage>;
  if (state.status === 'signed-out') return <Navigate to={loginPath(location)} replace />;
  return <Outlet />;
}
