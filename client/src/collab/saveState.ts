import type { SavedState } from '@copydesk/protocol';

/**
 * "Saved" done honestly: the client counts the update-bearing frames it sends on each socket
 * (sync step 2 and update messages: `[0, 1 | 2, …]`), the server answers with how many of them
 * are applied and durable in its store, and how many it refused (`CollabMessageType.saved`).
 * Equal counts: everything typed is stored. A refused frame is never counted as saved.
 */
export type SaveState = 'saved' | 'saving' | 'unavailable' | 'refused';

export const SAVE_TEXT: Record<SaveState, string> = {
  saved: 'Saved',
  saving: 'Saving…',
  unavailable: 'Not saved yet — server storage unavailable',
  refused: 'Not applied',
};

/** y-websocket frames that carry document content the server must store. */
export function isUpdateFrame(data: unknown): boolean {
  const bytes = data instanceof Uint8Array ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : null;
  return bytes !== null && bytes.length >= 2 && bytes[0] === 0 && (bytes[1] === 1 || bytes[1] === 2);
}

/** A WebSocket that counts the update frames sent through it (for y-websocket's WebSocketPolyfill option). */
export type CountingWebSocket = WebSocket & { sentUpdates: number };

/** The CountingWebSocket class (made on first use: the browser's WebSocket is not there in every environment). */
export function countingWebSocketClass(): typeof WebSocket {
  return class extends WebSocket implements CountingWebSocket {
    sentUpdates = 0;
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      if (isUpdateFrame(data)) this.sentUpdates++;
      super.send(data);
    }
  };
}

/** What to show for the counts of one socket. */
export function saveStateOf(sent: number, saved: SavedState | null): SaveState {
  if (saved && saved.refusedUpdates > 0) return 'refused';
  if (saved && saved.durableUpdates >= sent) return 'saved';
  return saved && !saved.storageOk ? 'unavailable' : 'saving';
}
