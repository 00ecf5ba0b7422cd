import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { CollabMessageType, SAVE_FLAG_STORAGE_UNAVAILABLE } from '../close-codes.ts';
import { encodeMessage, readSaved, readStatus, writeSaved, writeStatus, type SavedState } from './messages.ts';

/** Reads the message type like the y-websocket message loop does, then returns the decoder. */
function afterType(bytes: Uint8Array, expectedType: number): decoding.Decoder {
  const decoder = decoding.createDecoder(bytes);
  expect(decoding.readVarUint(decoder)).toBe(expectedType);
  return decoder;
}

describe('collab messages', () => {
  it('round-trips the save state, refusals included', () => {
    const states: SavedState[] = [
      { durableUpdates: 0, storageOk: true, refusedUpdates: 0, refusedReason: null },
      { durableUpdates: 300, storageOk: false, refusedUpdates: 0, refusedReason: null },
      { durableUpdates: 12, storageOk: true, refusedUpdates: 3, refusedReason: 'Approved articles are locked' },
    ];
    for (const state of states) {
      expect(readSaved(afterType(encodeMessage((e) => writeSaved(e, state)), CollabMessageType.saved))).toEqual(state);
    }
  });

  it('reads a save state from an older server (no refusal fields) as nothing refused', () => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, CollabMessageType.saved);
    encoding.writeVarUint(e, 7);
    encoding.writeVarUint(e, SAVE_FLAG_STORAGE_UNAVAILABLE);
    expect(readSaved(afterType(encoding.toUint8Array(e), CollabMessageType.saved))).toEqual({
      durableUpdates: 7,
      storageOk: false,
      refusedUpdates: 0,
      refusedReason: null,
    });
  });

  it('answers null, never throws, for truncated messages', () => {
    expect(readSaved(decoding.createDecoder(new Uint8Array(0)))).toBeNull();
    expect(readSaved(decoding.createDecoder(new Uint8Array([5, 0, 2, 40])))).toBeNull();
    expect(readStatus(decoding.createDecoder(new Uint8Array([3, 0x7b])))).toBeNull();
  });

  it('round-trips the read-only status', () => {
    const bytes = encodeMessage((e) => writeStatus(e, { readOnly: true, reason: 'Published' }));
    expect(readStatus(afterType(bytes, CollabMessageType.status))).toEqual({ readOnly: true, reason: 'Published' });
    const open = encodeMessage((e) => writeStatus(e, { readOnly: false, reason: null }));
    expect(readStatus(afterType(open, CollabMessageType.status))).toEqual({ readOnly: false, reason: null });
  });
});
