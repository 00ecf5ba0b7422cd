import type { ReactNode } from 'react';
import { Link } from 'react-router';

/** A full-page refusal (403/404) with a way back to the desk. */
export function ErrorPage({ code, title, children }: { code: number; title: string; children: ReactNode }) {
  return (
    <main className="full-page-error">
      <div className="full-page-error__card">
        <p className="full-page-error__code" aria-hidden="true">
          {code}
        </p>
        <h1>{title}</h1>
        <p>{children}</p>
        <Link to="/" className="button button--primary">
          Back to the desk
        </Link>
      </div>
    </main>
  );
}
