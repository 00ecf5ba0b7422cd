import { useEffect } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import { AWARENESS_PRESENCE_FIELD, type AwarenessPresence, type PresencePart } from '@copydesk/protocol';

/** Elements of the editor that name the part of the article they edit. */
export const PRESENCE_SECTION_ATTRIBUTE = 'data-presence-section';

const PARTS: ReadonlySet<string> = new Set(['headline', 'dek', 'body']);

/**
 * Declares in this tab's awareness state which part of the article has the focus (headline, dek,
 * body: the block comes from the editor's caret) and whether the tab is hidden. Everything else
 * about presence (who, state, counts) the server works out itself.
 */
export function usePresenceReporting(provider: WebsocketProvider | null): void {
  useEffect(() => {
    if (!provider) return;
    const awareness = provider.awareness;
    let section: PresencePart | null = null;
    let away = document.visibilityState === 'hidden';
    const publish = () => {
      const value: AwarenessPresence = { section, away };
      awareness.setLocalStateField(AWARENESS_PRESENCE_FIELD, value);
    };
    const onFocusIn = (event: FocusEvent) => {
      const target = event.target instanceof Element ? event.target.closest(`[${PRESENCE_SECTION_ATTRIBUTE}]`) : null;
      const next = target?.getAttribute(PRESENCE_SECTION_ATTRIBUTE);
      // Focus elsewhere (the side panel, a menu) keeps the last part: that is still where they were.
      if (!next || !PARTS.has(next) || next === section) return;
      section = next as PresencePart;
      publish();
    };
    const onVisibility = () => {
      const hidden = document.visibilityState === 'hidden';
      if (hidden === away) return;
      away = hidden;
      publish();
    };
    // Focus may already be inside the editor (autofocus) when the provider arrives.
    const active = document.activeElement?.closest(`[${PRESENCE_SECTION_ATTRIBUTE}]`)?.getAttribute(PRESENCE_SECTION_ATTRIBUTE);
    if (active && PARTS.has(active)) section = active as PresencePart;
    publish();
    document.addEventListener('focusin', onFocusIn);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      document.removeEventListener('focusin', onFocusIn);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [provider]);
}
