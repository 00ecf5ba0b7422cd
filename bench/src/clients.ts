import WebSocket from 'ws';
import type * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { HocuspocusProvider as Hocuspocus4Provider, HocuspocusProviderWebsocket as Hocuspocus4ProviderWebsocket } from 'hocuspocus4-provider';
import type { ClientConn } from './servers/types.ts';

/** A `ws` WebSocket class that sends extra headers (the Copydesk session cookie) on the upgrade. */
export function wsWithHeaders(headers: Record<string, string>): new (url: string | URL, protocols?: string | string[]) => WebSocket {
  return class HeaderWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  };
}

/** y-websocket 3 `WebsocketProvider` in Node (used for Copydesk and the reference y-websocket server). */
export function yWebsocketClient(
  serverUrl: string,
  room: string,
  doc: Y.Doc,
  headers?: Record<string, string>,
  /** Extra message types this server sends that the stock provider should ignore (not log). */
  ignoreMessageTypes: number[] = [],
): ClientConn {
  const provider = new WebsocketProvider(serverUrl, room, doc, {
    WebSocketPolyfill: (headers ? wsWithHeaders(headers) : WebSocket) as unknown as typeof globalThis.WebSocket,
    // Node 20 has a global BroadcastChannel: without this, clients in this one process would
    // sync with each other without the server.
    disableBc: true,
    maxBackoffTime: 1000,
  });
  // A stock provider console.error()s every message type it has no handler for (synchronously,
  // on this process's stderr): a server's own extra messages must not cost its clients that.
  for (const type of ignoreMessageTypes) provider.messageHandlers[type] = () => undefined;
  const whenSynced = new Promise<void>((resolve) => {
    if (provider.synced) return resolve();
    const on = (synced: boolean): void => {
      if (synced) {
        provider.off('sync', on);
        resolve();
      }
    };
    provider.on('sync', on);
  });
  return {
    doc,
    whenSynced,
    bufferedAmount: () => (provider.ws as unknown as WebSocket | null)?.bufferedAmount ?? 0,
    destroy: () => {
      provider.destroy();
      // The provider's Awareness keeps a 15 s check interval (and so the doc) alive until the doc
      // is destroyed; the harness keeps using some docs after their connection closed.
      provider.awareness.destroy();
    },
  };
}

/** The parts of `@hocuspocus/provider` (3.x and 4.x alike) the bench uses. */
interface HocuspocusProviderApi {
  Provider: new (options: { websocketProvider: never; name: string; document: Y.Doc; onSynced: (event: { state: boolean }) => void }) => {
    attach(): void;
    destroy(): void;
    awareness: { destroy(): void } | null;
  };
  Websocket: new (options: { url: string; WebSocketPolyfill: unknown }) => { webSocket: unknown; destroy(): void };
}

/** A Hocuspocus client of one provider major (the same major as the server) in Node. */
function hocuspocusClientOf({ Provider, Websocket }: HocuspocusProviderApi) {
  return (url: string, name: string, doc: Y.Doc): ClientConn => {
    let resolveSynced!: () => void;
    const whenSynced = new Promise<void>((r) => (resolveSynced = r));
    // one socket per client, as with y-websocket (Hocuspocus could multiplex docs over one socket)
    const socket = new Websocket({ url, WebSocketPolyfill: WebSocket });
    const provider = new Provider({
      websocketProvider: socket as never,
      name,
      document: doc,
      onSynced: ({ state }) => {
        if (state) resolveSynced();
      },
    });
    provider.attach();
    return {
      doc,
      whenSynced,
      bufferedAmount: () => (socket.webSocket as WebSocket | null)?.bufferedAmount ?? 0,
      destroy: () => {
        provider.destroy();
        socket.destroy();
        provider.awareness?.destroy();
      },
    };
  };
}

/** `@hocuspocus/provider` 3.4.4. */
export const hocuspocusClient = hocuspocusClientOf({ Provider: HocuspocusProvider as never, Websocket: HocuspocusProviderWebsocket as never });
/** `@hocuspocus/provider` 4.7 (npm alias `hocuspocus4-provider`). */
export const hocuspocus4Client = hocuspocusClientOf({ Provider: Hocuspocus4Provider as never, Websocket: Hocuspocus4ProviderWebsocket as never });
