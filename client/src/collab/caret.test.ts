import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { replaceText } from '@copydesk/article-doc';
import { transformIndex } from './caret.ts';

function textOf(initial: string): Y.Text {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  text.insert(0, initial);
  return text;
}

describe('replaceText (as the headline binding uses it)', () => {
  it('always leaves exactly the typed value', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.option(fc.nat(40), { nil: undefined }), (current, next, caret) => {
        const text = textOf(current);
        replaceText(text, next, { origin: 'local', caret: caret });
        expect(text.toString()).toBe(next);
      }),
    );
  });

  it('touches only the changed middle, so a concurrent edit elsewhere survives', () => {
    const a = new Y.Doc();
    a.getText('t').insert(0, 'Mayor resigns');
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    replaceText(a.getText('t'), 'BREAKING: Mayor resigns', { origin: 'a', caret: 10 });
    replaceText(b.getText('t'), 'Mayor resigns after scandal', { origin: 'b', caret: 27 });
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(a.getText('t').toString()).toBe('BREAKING: Mayor resigns after scandal');
    expect(b.getText('t').toString()).toBe(a.getText('t').toString());
  });

  it('uses the caret to place an insertion among repeated characters', () => {
    const text = textOf('aa');
    const deltas: unknown[] = [];
    text.observe((event) => deltas.push(event.delta));
    replaceText(text, 'aaa', { origin: 'local', caret: 1 }); // typed "a" at the start
    expect(deltas).toEqual([[{ insert: 'a' }]]);
  });
});

describe('transformIndex', () => {
  it('moves the caret right past text inserted before it, and not for text after it', () => {
    expect(transformIndex(5, [{ insert: 'abc' }])).toBe(8);
    expect(transformIndex(5, [{ retain: 6 }, { insert: 'abc' }])).toBe(5);
  });

  it('keeps the caret in place for text inserted exactly at it', () => {
    expect(transformIndex(5, [{ retain: 5 }, { insert: 'x' }])).toBe(5);
  });

  it('pulls the caret back over deleted text before it', () => {
    expect(transformIndex(5, [{ delete: 2 }])).toBe(3);
    expect(transformIndex(5, [{ retain: 3 }, { delete: 10 }])).toBe(3);
  });
});
