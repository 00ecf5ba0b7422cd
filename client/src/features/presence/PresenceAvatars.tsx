import { useEffect, useId, useRef, useState, type CSSProperties } from 'react';
import type { PresencePerson } from '@copydesk/protocol';
import { initials } from '../../collab/colors.ts';
import { describePerson, since, STATE_LABELS } from './labels.ts';
import { useNow } from '../../lib/time.ts';

export interface PresenceSelf {
  id: string;
  name: string;
  color: string;
}

interface Props {
  me: PresenceSelf;
  /** Everyone in the article as the server sees them (may include this user). */
  people: PresencePerson[];
  /** The presence feed is live (otherwise the list may be stale). */
  live: boolean;
}

const MAX_VISIBLE = 5;

/** This user first (as the server sees them, or as we know ourselves until it does), then the others. */
function arrange(me: PresenceSelf, people: PresencePerson[]): Array<PresencePerson & { self: boolean }> {
  const mine = people.find((p) => p.userId === me.id);
  const now = new Date().toISOString();
  const self: PresencePerson = mine ?? {
    userId: me.id,
    displayName: me.name,
    color: me.color,
    state: 'active',
    section: null,
    since: now,
    lastActiveAt: now,
    inserted: 0,
    deleted: 0,
    tabs: 1,
  };
  return [{ ...self, self: true }, ...people.filter((p) => p.userId !== me.id).map((p) => ({ ...p, self: false }))];
}

function Avatar({ person, self, size }: { person: PresencePerson; self: boolean; size?: 'small' }) {
  return (
    <span
      className={`avatar avatar--presence avatar--${person.state}${self ? ' avatar--self' : ''}${size ? ` avatar--${size}` : ''}`}
      style={{ '--avatar-color': person.color } as CSSProperties}
      aria-hidden="true"
    >
      {initials(person.displayName)}
    </span>
  );
}

/**
 * Who is in the article: coloured initials with their state in the editor bar; the button opens
 * the list with each person's state, the part of the article they are in, tabs and what they typed.
 */
export function PresenceAvatars({ me, people, live }: Props) {
  const everyone = arrange(me, people);
  const visible = everyone.slice(0, MAX_VISIBLE);
  const hidden = everyone.length - visible.length;
  const others = everyone.length - 1;
  const summary = others === 0 ? 'Only you are here' : `${everyone.length} people here`;
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const now = useNow(15_000);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div className="presence" data-testid="presence" ref={root}>
      <button
        type="button"
        className="presence__button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={`People in this article: ${summary.toLowerCase()}. ${open ? 'Hide' : 'Show'} the list`}
        onClick={() => setOpen((v) => !v)}
      >
        <ul className="presence__list" aria-hidden="true">
          {visible.map((person) => (
            <li key={person.userId} className="presence__item" title={describePerson(person, person.self)} data-testid="presence-avatar">
              <Avatar person={person} self={person.self} />
            </li>
          ))}
          {hidden > 0 && (
            <li className="presence__item">
              <span className="avatar avatar--more">+{hidden}</span>
            </li>
          )}
        </ul>
        <span className="presence__caret" aria-hidden="true">
          ▾
        </span>
      </button>

      {open && (
        <section id={panelId} className="presence-panel" aria-label="People in this article" data-testid="presence-panel">
          <header className="presence-panel__head">
            <h2>In this article</h2>
            <span className="muted">{summary}</span>
          </header>
          {!live && <p className="presence-panel__note">Reconnecting… the list may be out of date.</p>}
          <ul className="presence-panel__list" data-testid="presence-list">
            {everyone.map((person) => (
              <li
                key={person.userId}
                className="presence-row"
                data-testid="presence-row"
                data-user-id={person.userId}
                data-state={person.state}
                aria-label={describePerson(person, person.self)}
              >
                <Avatar person={person} self={person.self} size="small" />
                <div className="presence-row__main">
                  <div className="presence-row__name">
                    <span>{person.displayName}</span>
                    {person.self && <span className="muted"> (you)</span>}
                    {person.tabs > 1 && <span className="presence-row__tabs">{person.tabs} tabs</span>}
                  </div>
                  <div className="presence-row__where" data-testid="presence-section">
                    {person.section?.label ?? 'Not in a field'}
                    <span className="muted" title={`Here since ${new Date(person.since).toLocaleTimeString()}`}>
                      {' '}
                      · {since(person.since, now) === 'now' ? 'just joined' : `for ${since(person.since, now)}`}
                    </span>
                  </div>
                </div>
                <div className="presence-row__side">
                  <span className={`state-pill state-pill--${person.state}`}>{STATE_LABELS[person.state]}</span>
                  <span className="presence-row__counts" title="Characters typed and deleted this session">
                    <span className="count-ins">+{person.inserted}</span> <span className="count-del">−{person.deleted}</span>
                  </span>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
