import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { PublicUser } from '@copydesk/protocol';
import { resetSocket } from '../../realtime/socket.ts';
import { api, isApiClientError } from '../../api/index.ts';

export type AuthState =
  | { status: 'loading'; user: null }
  | { status: 'signed-in'; user: PublicUser }
  | { status: 'signed-out'; user: null };

interface AuthContextValue {
  state: AuthState;
  /** Stores the user returned by a successful login. */
  signedIn(user: PublicUser): void;
  /** The server said 401 (or closed /collab with 4401): forget the user; the guard sends them to /login. */
  sessionExpired(): void;
  signOut(): Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading', user: null });

  useEffect(() => {
    const controller = new AbortController();
    api
      .me(controller.signal)
      .then((user) => setState({ status: 'signed-in', user }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        // 401 is the normal "not signed in"; anything else we also treat as signed out so the login page can explain.
        if (!isApiClientError(error) || error.status !== 401) console.warn('Could not load the current user', error);
        setState({ status: 'signed-out', user: null });
      });
    return () => controller.abort();
  }, []);

  // The realtime socket carries the session cookie of its handshake: reconnect it whenever the session changes.
  const signedIn = useCallback((user: PublicUser) => {
    resetSocket();
    setState({ status: 'signed-in', user });
  }, []);
  const sessionExpired = useCallback(() => {
    resetSocket();
    setState({ status: 'signed-out', user: null });
  }, []);
  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      resetSocket();
      setState({ status: 'signed-out', user: null });
    }
  }, []);

  const value = useMemo(() => ({ state, signedIn, sessionExpired, signOut }), [state, signedIn, sessionExpired, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/** The signed-in user; only for components rendered behind <RequireAuth>. */
export function useCurrentUser(): PublicUser {
  const { state } = useAuth();
  if (state.status !== 'signed-in') throw new Error('useCurrentUser used outside <RequireAuth>');
  return state.user;
}

export function canWrite(user: PublicUser): boolean {
  return user.role === 'writer' || user.role === 'lead';
}
