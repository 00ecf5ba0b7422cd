import { useEffect, useState } from 'react';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { COLLAB_CUSTOM_MESSAGES_PARAM, COLLAB_PATH, CloseCode, CollabMessageType, readSaved, readStatus, type SavedState } from '@copydesk/protocol';
import { DEK, HEADLINE, getMeta, getMetaText } from '@copydesk/article-doc';
import { useCurrentUser } from '../features/auth/AuthContext.tsx';
import { colorForUser } from './colors.ts';
import type { AwarenessUser } from './awarenessUser.ts';
import { wsUrl } from './wsUrl.ts';
import { countingWebSocketClass, saveStateOf, type CountingWebSocket, type SaveState } from './saveState.ts';

export type Connection = 'connecting' | 'live' | 'offline';
export type Access = 'ok' | 'forbidden' | 'not-found' | 'unauthenticated';

export interface ArticleDocState {
  doc: Y.Doc | null;
  provider: WebsocketProvider | null;
  /** The doc holds the article (server sync or the IndexedDB copy) and its meta texts exist: safe to bind editors. */
  synced: boolean;
  connection: Connection;
  access: Access;
  readOnly: boolean;
  readOnlyReason: string | null;
  /** Whether the server has stored everything this tab sent (see saveState.ts). */
  save: SaveState;
  /**
   * This tab has changes the server has not confirmed as stored (typed offline, still saving, or
   * refused): leaving the page asks first.
   */
  unsynced: boolean;
  /** Why the server refused some of what this tab sent (save === 'refused'). */
  refusedReason: string | null;
  /**
   * Drops this device's copy of the article (including what the server refused) and starts again
   * from the server's: the way out of a refusal once the writer has kept their text.
   */
  discardLocalChanges: () => Promise<void>;
}

const INITIAL: ArticleDocState = {
  doc: null,
  provider: null,
  synced: false,
  connection: 'connecting',
  access: 'ok',
  readOnly: false,
  readOnlyReason: null,
  save: 'saved',
  unsynced: false,
  refusedReason: null,
  discardLocalChanges: async () => undefined,
};

/** Closes after which reconnecting cannot help: the page changes instead. */
const TERMINAL: ReadonlyMap<number, Access> = new Map<number, Access>([
  [CloseCode.unauthenticated, 'unauthenticated'],
  [CloseCode.forbidden, 'forbidden'],
  [CloseCode.unknownArticle, 'not-found'],
]);

/**
 * One article's shared document: a Y.Doc synced with the server over y-websocket and kept in
 * IndexedDB (per user and article) so that offline edits survive a reload. Everything is
 * destroyed when the component unmounts or the article changes.
 */
export function useArticleDoc(articleId: string): ArticleDocState {
  const user = useCurrentUser();
  const [state, setState] = useState<ArticleDocState>(INITIAL);

  useEffect(() => {
    let disposed = false;
    const update = (patch: Partial<ArticleDocState>) => {
      if (!disposed) setState((prev) => ({ ...prev, ...patch }));
    };

    const doc = new Y.Doc();
    const provider = new WebsocketProvider(wsUrl(COLLAB_PATH), articleId, doc, {
      maxBackoffTime: 5000,
      // The server is the only path between replicas: a read-only tab must not leak edits to another tab.
      disableBc: true,
      // Counts the update frames sent on each socket, for the "Saved" indicator.
      WebSocketPolyfill: countingWebSocketClass(),
      shouldReconnect: (event) => !TERMINAL.has(event.code),
      // Ask for Copydesk's status and saved messages.
      params: { [COLLAB_CUSTOM_MESSAGES_PARAM]: '1' },
    });
    const persistence = new IndexeddbPersistence(`copydesk:${user.id}:${articleId}`, doc);

    const me: AwarenessUser = { id: user.id, name: user.displayName, color: colorForUser(user.id) };
    provider.awareness.setLocalStateField('user', me);

    // Server → client status (read-only lock and why). Registered per instance: the stock
    // handler table is copied into each provider, so this does not leak to other providers.
    // Saved: the server's count of this socket's durable update frames against what the socket sent.
    let saved: SavedState | null = null;
    let unsynced = false;
    let savedSocket: WebSocket | null = null;
    const refreshSave = () => {
      const ws = provider.ws as CountingWebSocket | null;
      if (!ws) return;
      const current = savedSocket === ws ? saved : null;
      const save = saveStateOf(ws.sentUpdates, current);
      if (save === 'saved' && provider.wsconnected) unsynced = false;
      update({ save, unsynced, refusedReason: current?.refusedReason ?? null });
    };
    provider.messageHandlers[CollabMessageType.saved] = (_encoder, decoder) => {
      saved = readSaved(decoder);
      savedSocket = provider.ws;
      refreshSave();
    };
    // Runs after the provider's own update handler has sent the update.
    doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin === provider) return;
      // Typed here (not received from the server, not loaded from this device's copy).
      if (origin !== persistence && !unsynced) {
        unsynced = true;
        update({ unsynced });
      }
      refreshSave();
    });
    provider.on('status', refreshSave);

    provider.messageHandlers[CollabMessageType.status] = (_encoder, decoder) => {
      const status = readStatus(decoder);
      if (status) update({ readOnly: status.readOnly, readOnlyReason: status.readOnly ? status.reason : null });
    };

    // "Ready" latches: once the article is in the doc, editors stay bound through disconnects.
    let ready = false;
    let serverSynced = false;
    let localLoaded = false;
    const checkReady = () => {
      if (ready) return;
      const hasMeta = getMetaText(doc, HEADLINE) !== null && getMetaText(doc, DEK) !== null;
      if (hasMeta && (serverSynced || localLoaded)) {
        ready = true;
        update({ synced: true });
      }
    };
    const meta = getMeta(doc);
    meta.observe(checkReady);

    persistence.on('synced', () => {
      localLoaded = true;
      checkReady();
    });

    // Connection indicator: "connecting" until the first connection either syncs or drops;
    // after a drop we say "offline" (edits go to IndexedDB) until a connection syncs again.
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return;
      serverSynced = true;
      update({ connection: 'live' });
      refreshSave();
      checkReady();
    };
    provider.on('sync', onSync);

    provider.on('connection-close', (event) => {
      if (event) {
        const access = TERMINAL.get(event.code);
        if (access) {
          // shouldReconnect already refused; make it explicit so nothing (online event, retry) reconnects.
          provider.shouldConnect = false;
          update({ access, connection: 'offline' });
          return;
        }
      }
      update({ connection: 'offline' });
    });

    // The browser knows before the socket does: drop the (dead) socket now so the indicator is
    // honest and y-websocket starts its reconnect cycle, which succeeds once we are back online.
    const onOffline = () => {
      update({ connection: 'offline' });
      if (provider.shouldConnect) {
        provider.disconnect();
        provider.connect();
      }
    };
    const onOnline = () => {
      if (provider.shouldConnect && !provider.wsconnected) {
        // Skip the remaining back-off: reconnect as soon as the network is back.
        provider.disconnect();
        provider.connect();
      }
    };
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);

    const discardLocalChanges = async () => {
      provider.shouldConnect = false;
      provider.disconnect();
      await persistence.destroy();
      // Awaited here (y-indexeddb's clearData does not wait for the deletion): the reload must not
      // find the old copy and send the refused changes again.
      await new Promise<void>((resolve) => {
        const request = indexedDB.deleteDatabase(persistence.name);
        request.onsuccess = request.onerror = request.onblocked = () => resolve();
      });
      window.location.reload();
    };

    setState({ ...INITIAL, doc, provider, discardLocalChanges, connection: navigator.onLine ? 'connecting' : 'offline' });

    return () => {
      disposed = true;
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      meta.unobserve(checkReady);
      provider.awareness.setLocalState(null);
      provider.destroy();
      void persistence.destroy();
      doc.destroy();
    };
  }, [articleId, user.id, user.displayName]);

  return state;
}
