import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import type { PublicUser } from '@copydesk/protocol';
import { api } from '../../../api/index.ts';

let staffPromise: Promise<PublicUser[]> | null = null;
/** The newsroom staff (writers and leads): who can be @mentioned. Fetched once per page. */
export function loadStaff(): Promise<PublicUser[]> {
  staffPromise ??= api.listStaff().catch((error: unknown) => {
    staffPromise = null;
    throw error;
  });
  return staffPromise;
}

export function useStaff(): PublicUser[] {
  const [staff, setStaff] = useState<PublicUser[]>([]);
  useEffect(() => {
    let live = true;
    loadStaff().then((list) => live && setStaff(list), () => undefined);
    return () => {
      live = false;
    };
  }, []);
  return staff;
}

/** The `@partial` right before the caret, if the caret is in one. */
function mentionAt(value: string, caret: number): { start: number; query: string } | null {
  const match = /(^|[\s(])@([A-Za-z0-9_.-]{0,64})$/.exec(value.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[2]!.length - 1, query: match[2]!.toLowerCase() };
}

interface Props {
  value: string;
  onChange: (value: string) => void;
  onSubmit: () => void;
  onCancel?: () => void;
  label: string;
  placeholder?: string;
  autoFocus?: boolean;
  textareaRef?: Ref<HTMLTextAreaElement>;
  invalid?: boolean;
}

/** A textarea that suggests staff usernames after `@` (arrow keys and Enter or Tab to pick, Escape to close). */
export function MentionTextarea({ value, onChange, onSubmit, onCancel, label, placeholder, autoFocus, textareaRef, invalid }: Props) {
  const staff = useStaff();
  const inner = useRef<HTMLTextAreaElement | null>(null);
  const [caret, setCaret] = useState(0);
  const [highlight, setHighlight] = useState(0);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const listId = useId();
  const inputId = useId();

  const mention = mentionAt(value, caret);
  const suggestions = useMemo(() => {
    if (!mention) return [];
    return staff
      .filter((u) => u.username.toLowerCase().startsWith(mention.query) || u.displayName.toLowerCase().split(/\s+/).some((w) => w.startsWith(mention.query)))
      .slice(0, 6);
  }, [mention?.query, mention !== null, staff]); // eslint-disable-line react-hooks/exhaustive-deps
  const open = suggestions.length > 0 && mention !== null && dismissed !== mention.start;

  useEffect(() => {
    if (autoFocus) inner.current?.focus();
  }, [autoFocus]);
  useEffect(() => setHighlight(0), [mention?.query]);

  const pick = (user: PublicUser) => {
    if (!mention) return;
    const next = `${value.slice(0, mention.start)}@${user.username} ${value.slice(caret)}`;
    const at = mention.start + user.username.length + 2;
    onChange(next);
    requestAnimationFrame(() => {
      inner.current?.setSelectionRange(at, at);
      setCaret(at);
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setHighlight((h) => (h + (e.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        pick(suggestions[highlight] ?? suggestions[0]!);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setDismissed(mention!.start);
        return;
      }
    }
    if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
      e.preventDefault();
      onSubmit();
    } else if (e.key === 'Escape' && onCancel) {
      e.preventDefault();
      onCancel();
    }
  };

  return (
    <div className="mention-input">
      <label htmlFor={inputId} className="visually-hidden">
        {label}
      </label>
      <textarea
        id={inputId}
        ref={(node) => {
          inner.current = node;
          if (typeof textareaRef === 'function') textareaRef(node);
          else if (textareaRef) (textareaRef as { current: HTMLTextAreaElement | null }).current = node;
        }}
        value={value}
        rows={2}
        placeholder={placeholder}
        aria-invalid={invalid || undefined}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open ? `${listId}-${highlight}` : undefined}
        onChange={(e) => {
          onChange(e.target.value);
          setCaret(e.target.selectionStart);
        }}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
        onKeyDown={onKeyDown}
        onBlur={() => setDismissed(mention?.start ?? null)}
        onFocus={() => setDismissed(null)}
      />
      {open && (
        <ul className="mention-input__list" role="listbox" id={listId} aria-label="People to mention">
          {suggestions.map((user, i) => (
            <li
              key={user.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === highlight}
              className={`mention-input__option${i === highlight ? ' mention-input__option--active' : ''}`}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(user);
              }}
            >
              <span className="mention-input__name">{user.displayName}</span> <span className="muted">@{user.username}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
