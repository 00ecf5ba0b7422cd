import { useEffect, useId, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import type { Editor } from '@tiptap/react';
import { isSafeLink } from './links.ts';

/** "example.com/page" → "https://example.com/page"; addresses with a scheme are left alone. */
export function normalizeLink(input: string): string {
  const url = input.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
  if (/^[^\s@/]+@[^\s@/]+\.[^\s@/]+$/.test(url)) return `mailto:${url}`;
  if (/^[^\s/]+\.[^\s/]{2,}/.test(url)) return `https://${url}`;
  return url;
}

interface Props {
  editor: Editor;
  onClose(): void;
}

/**
 * The link editor, inline under the selection: type or paste an address, Enter applies, Escape
 * closes, "Remove link" unlinks. With nothing selected the address becomes the link text.
 */
export function LinkPopover({ editor, onClose }: Props) {
  const [previous] = useState(() => (editor.getAttributes('link').href as string | undefined) ?? '');
  const [value, setValue] = useState(previous);
  const [error, setError] = useState<string | null>(null);
  const [position, setPosition] = useState<{ top: number; left: number } | null>(null);
  const ref = useRef<HTMLFormElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const errorId = useId();

  useLayoutEffect(() => {
    const { from } = editor.state.selection;
    const at = editor.view.coordsAtPos(from);
    const width = Math.min(360, window.innerWidth - 16);
    setPosition({ top: at.bottom + 8, left: Math.max(8, Math.min(at.left - 12, window.innerWidth - width - 8)) });
  }, [editor]);

  // Focus once placed (a hidden input cannot take focus).
  const placed = position !== null;
  useEffect(() => {
    if (!placed) return;
    inputRef.current?.focus();
    inputRef.current?.select();
  }, [placed]);

  useEffect(() => {
    const onDown = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [onClose]);

  const close = () => {
    onClose();
    editor.commands.focus();
  };

  const unlink = () => {
    editor.chain().focus().extendMarkRange('link').unsetLink().run();
    onClose();
  };

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const url = normalizeLink(value);
    if (url === '') {
      if (previous) unlink();
      else close();
      return;
    }
    if (!isSafeLink(url)) {
      setError('Links must be web addresses (http:// or https://) or mailto: addresses.');
      inputRef.current?.focus();
      return;
    }
    if (editor.state.selection.empty && !editor.isActive('link')) {
      // Nothing selected: the address itself becomes the link text.
      editor.chain().focus().insertContent({ type: 'text', text: url, marks: [{ type: 'link', attrs: { href: url } }] }).run();
    } else {
      editor.chain().focus().extendMarkRange('link').setLink({ href: url }).run();
    }
    onClose();
  };

  return (
    <form
      ref={ref}
      className="link-popover"
      role="dialog"
      aria-label={previous ? 'Edit link' : 'Add link'}
      style={position ? { top: position.top, left: position.left } : { visibility: 'hidden' }}
      onSubmit={apply}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          close();
        }
      }}
    >
      <label htmlFor={inputId} className="link-popover__label">
        Link address
      </label>
      <div className="link-popover__row">
        <input
          ref={inputRef}
          id={inputId}
          type="text"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder="https://example.com"
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(e) => {
            setValue(e.target.value);
            setError(null);
          }}
        />
        <button type="submit" className="button button--primary">
          Apply
        </button>
      </div>
      {error && (
        <p id={errorId} className="link-popover__error" role="alert">
          {error}
        </p>
      )}
      <div className="link-popover__foot">
        {previous && (
          <button type="button" className="link-popover__action" onClick={unlink}>
            Remove link
          </button>
        )}
        <button type="button" className="link-popover__action" onClick={close}>
          Cancel
        </button>
      </div>
    </form>
  );
}
