import { useState } from 'react';
import { NavLink, useNavigate } from 'react-router';
import { useCurrentUser, useAuth } from '../features/auth/AuthContext.tsx';
import { colorForUser, initials } from '../collab/colors.ts';
import { Logo } from './Logo.tsx';
import type { CSSProperties } from 'react';
import { StaffNotifications } from '../features/comments/NotificationsBell.tsx';

const ROLE_LABELS = { reader: 'Reader', writer: 'Writer', lead: 'Desk lead' } as const;

export function AppHeader() {
  const user = useCurrentUser();
  const { signOut } = useAuth();
  const navigate = useNavigate();
  const [pending, setPending] = useState(false);

  async function onSignOut() {
    setPending(true);
    try {
      await signOut();
    } catch {
      // Signed out locally either way.
    }
    navigate('/login', { replace: true });
  }

  return (
    <header className="app-header">
      <div className="app-header__inner">
        <Logo link />
        {user.role === 'lead' && (
          <nav className="app-header__nav" aria-label="Desk tools">
            <NavLink to="/" end className="app-header__link">
              Desk
            </NavLink>
            <NavLink to="/board" className="app-header__link">
              Presence board
            </NavLink>
            <NavLink to="/moderation" className="app-header__link">
              Moderation
            </NavLink>
            <NavLink to="/people" className="app-header__link">
              People
            </NavLink>
          </nav>
        )}
        <StaffNotifications />
        <div className="app-header__user">
          <span className="avatar avatar--small" style={{ '--avatar-color': colorForUser(user.id) } as CSSProperties} aria-hidden="true">
            {initials(user.displayName)}
          </span>
          <span className="app-header__who">
            <span className="app-header__name" data-testid="current-user">
              {user.displayName}
            </span>
            <span className="app-header__role">{ROLE_LABELS[user.role]}</span>
          </span>
          <button type="button" className="button button--ghost" onClick={onSignOut} disabled={pending}>
            Sign out
          </button>
        </div>
      </div>
    </header>
  );
}
