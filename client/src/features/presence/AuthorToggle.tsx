import { useCallback, useState } from 'react';

const STORAGE_KEY = 'copydesk:colour-by-author';

/** "Colour by author" on or off, remembered on this device. */
export function useAuthorColours(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => {
    try {
      return window.localStorage.getItem(STORAGE_KEY) === '1';
    } catch {
      return false;
    }
  });
  const set = useCallback((next: boolean) => {
    setOn(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next ? '1' : '0');
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, []);
  return [on, set];
}

export function AuthorToggle({ on, onChange }: { on: boolean; onChange: (on: boolean) => void }) {
  return (
    <button
      type="button"
      className={`author-toggle${on ? ' author-toggle--on' : ''}`}
      aria-pressed={on}
      title="Colour the body by who wrote it"
      onClick={() => onChange(!on)}
    >
      <span className="author-toggle__icon" aria-hidden="true">
        <span />
        <span />
        <span />
      </span>
      <span className="author-toggle__label">Authors</span>
    </button>
  );
}
