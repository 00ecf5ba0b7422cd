import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { CollabMessageType, SAVE_FLAG_STORAGE_UNAVAILABLE, type CollabStatus } from '../close-codes.ts';

/**
 * Copydesk's own `/collab` messages, both directions in one place (the y-protocols style): each
 * `write*` writes the whole message, type included; each `read*` reads what follows the type that
 * the y-websocket message loop has already consumed.
 */

/** `CollabMessageType.status`: whether this connection is read-only, and why. */
export function writeStatus(encoder: encoding.Encoder, status: CollabStatus): void {
  encoding.writeVarUint(encoder, CollabMessageType.status);
  encoding.writeVarString(encoder, JSON.stringify(status));
}

/** Null for a message that is not a status (a client never throws on what a server sends). */
export function readStatus(decoder: decoding.Decoder): CollabStatus | null {
  try {
    const value: unknown = JSON.parse(decoding.readVarString(decoder));
    if (typeof value !== 'object' || value === null || typeof (value as CollabStatus).readOnly !== 'boolean') return null;
    const reason = (value as CollabStatus).reason;
    return { readOnly: (value as CollabStatus).readOnly, reason: typeof reason === 'string' && reason ? reason : null };
  } catch {
    return null;
  }
}

/** `CollabMessageType.saved`: how much of what this socket sent is applied and durable, and what was refused. */
export interface SavedState {
  /** Update-bearing frames of this socket that the server applied and that are now durable in its store. */
  durableUpdates: number;
  /** The server can write to its store (false: it holds the updates and retries). */
  storageOk: boolean;
  /**
   * Update-bearing frames of this socket that the server refused and never applied (the connection
   * is read-only, or the content was written under someone else's identity). They are never
   * counted as durable: the client must keep that text, and say so.
   */
  refusedUpdates: number;
  /** Why the last refused frame was refused, in words for the writer. */
  refusedReason: string | null;
}

export function writeSaved(encoder: encoding.Encoder, state: SavedState): void {
  encoding.writeVarUint(encoder, CollabMessageType.saved);
  encoding.writeVarUint(encoder, state.durableUpdates);
  encoding.writeVarUint(encoder, state.storageOk ? 0 : SAVE_FLAG_STORAGE_UNAVAILABLE);
  encoding.writeVarUint(encoder, state.refusedUpdates);
  encoding.writeVarString(encoder, state.refusedReason ?? '');
}

/** Null for a malformed message. The refusal fields are optional on the wire (older servers end after the flags). */
export function readSaved(decoder: decoding.Decoder): SavedState | null {
  try {
    const durableUpdates = decoding.readVarUint(decoder);
    const flags = decoding.readVarUint(decoder);
    const more = decoding.hasContent(decoder);
    const refusedUpdates = more ? decoding.readVarUint(decoder) : 0;
    const refusedReason = more ? decoding.readVarString(decoder) || null : null;
    return { durableUpdates, storageOk: (flags & SAVE_FLAG_STORAGE_UNAVAILABLE) === 0, refusedUpdates, refusedReason };
  } catch {
    return null;
  }
}

/** One whole message as bytes (for senders that do not batch into an encoder). */
export function encodeMessage(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}
