import type { CSSProperties } from 'react';
import { initials } from '../../collab/colors.ts';

export interface PresencePerson {
  /** Account id when known; people with the same id (two tabs) are shown once. */
  id: string | null;
  name: string;
  color: string;
  self?: boolean;
}

const MAX_VISIBLE = 5;

function dedupe(people: PresencePerson[]): PresencePerson[] {
  const seen = new Set<string>();
  const out: PresencePerson[] = [];
  for (const person of people) {
    const key = person.id ?? `name:${person.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(person);
  }
  return out;
}

/** Coloured initials for everyone in the article, yourself first. */
export function PresenceAvatars({ people }: { people: PresencePerson[] }) {
  const unique = dedupe([...people].sort((a, b) => Number(Boolean(b.self)) - Number(Boolean(a.self))));
  const visible = unique.slice(0, MAX_VISIBLE);
  const hidden = unique.slice(MAX_VISIBLE);
  const summary = unique.length === 1 ? 'Only you are here' : `${unique.length} people here`;

  return (
    <div className="presence" data-testid="presence" role="group" aria-label={`People in this article: ${summary.toLowerCase()}`}>
      <ul className="presence__list">
        {visible.map((person) => (
          <li key={person.id ?? person.name} className="presence__item">
            <span
              className={person.self ? 'avatar avatar--self' : 'avatar'}
              style={{ '--avatar-color': person.color } as CSSProperties}
              role="img"
              title={person.name}
              aria-label={person.name}
              data-testid="presence-avatar"
            >
              <span aria-hidden="true">{initials(person.name)}</span>
            </span>
          </li>
        ))}
        {hidden.length > 0 && (
          <li className="presence__item">
            <span className="avatar avatar--more" role="img" title={hidden.map((p) => p.name).join(', ')} aria-label={`${hidden.length} more: ${hidden.map((p) => p.name).join(', ')}`}>
              <span aria-hidden="true">+{hidden.length}</span>
            </span>
          </li>
        )}
      </ul>
    </div>
  );
}
