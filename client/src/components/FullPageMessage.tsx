import type { ReactNode } from 'react';

export function FullPageMessage({ children, busy = false }: { children: ReactNode; busy?: boolean }) {
  return (
    <main className="full-page-message" aria-busy={busy || undefined}>
      {busy && <span className="spinner" aria-hidden="true" />}
      <p role="status">{children}</p>
    </main>
  );
}
