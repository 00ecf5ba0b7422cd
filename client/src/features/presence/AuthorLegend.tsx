import { useEffect, useState, type CSSProperties } from 'react';
import type * as Y from 'yjs';
import { authorsInBody, type AuthorShare } from './authors.ts';

/** Who wrote the body, with their colours, while "Colour by author" is on. */
export function AuthorLegend({ doc }: { doc: Y.Doc }) {
  const [authors, setAuthors] = useState<AuthorShare[]>(() => authorsInBody(doc));
  useEffect(() => {
    let timer: number | null = null;
    const onChange = () => {
      if (timer !== null) return;
      timer = window.setTimeout(() => {
        timer = null;
        setAuthors(authorsInBody(doc));
      }, 300);
    };
    setAuthors(authorsInBody(doc));
    doc.on('afterTransaction', onChange);
    return () => {
      doc.off('afterTransaction', onChange);
      if (timer !== null) window.clearTimeout(timer);
    };
  }, [doc]);

  const total = authors.reduce((n, a) => n + a.chars, 0);
  return (
    <div className="author-legend" role="note" aria-label="Body coloured by author" data-testid="author-legend">
      <div className="author-legend__inner">
        <span className="author-legend__title">Coloured by author</span>
        {authors.length === 0 ? (
          <span className="muted">No text with a recorded author yet.</span>
        ) : (
          <ul className="author-legend__list">
            {authors.map((a) => (
              <li key={a.userId || 'server'} style={{ '--author-color': a.color } as CSSProperties}>
                <span className="author-legend__swatch" aria-hidden="true" />
                {a.name}
                <span className="muted"> {total > 0 ? Math.round((a.chars / total) * 100) : 0}%</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
