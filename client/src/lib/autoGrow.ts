import { useCallback, useEffect, type RefObject } from 'react';

const nativeSizing = typeof CSS !== 'undefined' && typeof CSS.supports === 'function' && CSS.supports('field-sizing', 'content');

/**
 * Grows a textarea with its text. Browsers with CSS `field-sizing: content` do it natively;
 * elsewhere we size it from scrollHeight. Returns a function to call after the text changes
 * programmatically (remote edits do not fire input events).
 */
export function useAutoGrow(ref: RefObject<HTMLTextAreaElement | null>): () => void {
  const grow = useCallback(() => {
    const el = ref.current;
    if (nativeSizing || !el) return;
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight}px`;
  }, [ref]);

  useEffect(() => {
    if (nativeSizing) return;
    grow();
    window.addEventListener('resize', grow);
    return () => window.removeEventListener('resize', grow);
  }, [grow]);

  return grow;
}
