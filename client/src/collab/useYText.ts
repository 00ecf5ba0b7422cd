import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, type ChangeEvent, type KeyboardEvent, type RefObject } from 'react';
import * as Y from 'yjs';
import { replaceText } from '@copydesk/article-doc';
import { transformIndex } from './caret.ts';

type TextControl = HTMLInputElement | HTMLTextAreaElement;

export interface YTextBinding<T extends TextControl> {
  ref: RefObject<T | null>;
  onChange: (event: ChangeEvent<T>) => void;
  onKeyDown: (event: KeyboardEvent<T>) => void;
}

export interface YTextOptions {
  /** Clean up what the user typed before it reaches the shared text (e.g. no newlines in a headline). */
  normalize?: (value: string) => string;
  /** Called after every change, local or remote, with the new text. */
  onText?: (value: string) => void;
}

/**
 * Binds an <input>/<textarea> to a Y.Text. Local input is written as the minimal diff (so two
 * people typing in the same field both keep their words); remote changes rewrite the field and
 * move the caret through the change so it stays on the same character. Ctrl/⌘+Z undoes only
 * this writer's own changes (a Y.UndoManager that tracks this binding's origin).
 */
export function useYText<T extends TextControl>(ytext: Y.Text | null, options: YTextOptions = {}): YTextBinding<T> {
  const ref = useRef<T>(null);
  const origin = useMemo(() => ({ binding: 'useYText' }), []);
  const optionsRef = useRef(options);
  useLayoutEffect(() => {
    optionsRef.current = options;
  });

  // Created in an effect (not a memo) so React's mount/unmount/remount in StrictMode gets a live one.
  const undoRef = useRef<Y.UndoManager | null>(null);
  useEffect(() => {
    if (!ytext) return;
    const undoManager = new Y.UndoManager(ytext, { trackedOrigins: new Set([origin]), captureTimeout: 600 });
    undoRef.current = undoManager;
    return () => {
      undoManager.destroy();
      if (undoRef.current === undoManager) undoRef.current = null;
    };
  }, [ytext, origin]);

  useEffect(() => {
    const el = ref.current;
    if (!el || !ytext) return;
    el.value = ytext.toString();
    optionsRef.current.onText?.(el.value);

    const observer = (event: Y.YTextEvent) => {
      if (event.transaction.origin === origin) return; // the field already shows it
      const focused = document.activeElement === el;
      const { selectionStart, selectionEnd, selectionDirection } = el;
      el.value = ytext.toString();
      if (focused && selectionStart !== null && selectionEnd !== null) {
        const delta = event.delta as Array<{ insert?: unknown; delete?: number; retain?: number }>;
        el.setSelectionRange(transformIndex(selectionStart, delta), transformIndex(selectionEnd, delta), selectionDirection ?? undefined);
      }
      optionsRef.current.onText?.(el.value);
    };
    ytext.observe(observer);
    return () => ytext.unobserve(observer);
  }, [ytext, origin]);

  const onChange = useCallback(
    (event: ChangeEvent<T>) => {
      const el = event.currentTarget;
      if (!ytext) return;
      const normalize = optionsRef.current.normalize;
      if (normalize) {
        const clean = normalize(el.value);
        if (clean !== el.value) {
          const caret = el.selectionEnd ?? clean.length;
          const removed = el.value.length - clean.length;
          el.value = clean;
          const at = Math.max(0, Math.min(clean.length, caret - removed));
          el.setSelectionRange(at, at);
        }
      }
      replaceText(ytext, el.value, { origin, caret: el.selectionEnd ?? undefined });
      optionsRef.current.onText?.(el.value);
    },
    [ytext, origin],
  );

  const onKeyDown = useCallback(
    (event: KeyboardEvent<T>) => {
      const undoManager = undoRef.current;
      if (!undoManager || event.currentTarget.readOnly) return;
      const mod = event.metaKey || event.ctrlKey;
      if (!mod || event.altKey) return;
      const key = event.key.toLowerCase();
      if (key === 'z' && !event.shiftKey) {
        event.preventDefault();
        undoManager.undo();
      } else if ((key === 'z' && event.shiftKey) || key === 'y') {
        event.preventDefault();
        undoManager.redo();
      }
    },
    [],
  );

  return { ref, onChange, onKeyDown };
}
