import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { SavedState } from '@copydesk/protocol';
import { isUpdateFrame, saveStateOf } from './saveState.ts';

const frame = (write: (e: encoding.Encoder) => void) => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  write(e);
  return encoding.toUint8Array(e);
};

describe('save state', () => {
  it('counts sync step 2 and update frames, not step 1 or awareness', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'x');
    expect(isUpdateFrame(frame((e) => syncProtocol.writeSyncStep1(e, doc)))).toBe(false);
    expect(isUpdateFrame(frame((e) => syncProtocol.writeSyncStep2(e, doc)))).toBe(true);
    expect(isUpdateFrame(frame((e) => syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(doc))))).toBe(true);
    expect(isUpdateFrame(Uint8Array.from([1, 5, 0]))).toBe(false);
    expect(isUpdateFrame('text')).toBe(false);
  });

  it('says Saved only when every sent frame is durable, and never while a frame was refused', () => {
    const saved = (durableUpdates: number, storageOk = true, refusedUpdates = 0): SavedState => ({ durableUpdates, storageOk, refusedUpdates, refusedReason: refusedUpdates ? 'Approved' : null });
    expect(saveStateOf(0, null)).toBe('saving');
    expect(saveStateOf(0, saved(0))).toBe('saved');
    expect(saveStateOf(3, saved(2))).toBe('saving');
    expect(saveStateOf(3, saved(2, false))).toBe('unavailable');
    expect(saveStateOf(3, saved(3, false))).toBe('saved');
    expect(saveStateOf(3, saved(2, true, 1))).toBe('refused');
    expect(saveStateOf(1, saved(5, true, 1))).toBe('refused');
  });
});
