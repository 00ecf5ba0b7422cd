import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { bodySize, bodyTextBetween, createAnchor, findInBody, isValidAnchor, resolveAnchor, resolveAnchors, type BodyAnchor } from './anchors.ts';
import { getBody } from './shape.ts';
import { writeBody } from './write.ts';

const SENTENCE = 'The council approved the budget on Tuesday.';

/** Two replicas of one article: edits are made on either and exchanged explicitly (concurrency). */
function replicas(blocks = [
  { type: 'paragraph' as const, text: 'Water rose overnight.' },
  { type: 'paragraph' as const, text: `Officials met at dawn. ${SENTENCE} Schools stay closed.` },
  { type: 'blockquote' as const, text: 'We were ready.' },
]) {
  const a = new Y.Doc();
  writeBody(a, blocks);
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  const sync = () => {
    const fromA = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
    const fromB = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
    Y.applyUpdate(b, fromA);
    Y.applyUpdate(a, fromB);
  };
  return { a, b, sync };
}

/** The i-th paragraph's Y.XmlText. */
function textOf(doc: Y.Doc, block: number): Y.XmlText {
  const element = getBody(doc).get(block) as Y.XmlElement;
  const first = element.get(0);
  return (first instanceof Y.XmlText ? first : (first as Y.XmlElement).get(0)) as Y.XmlText;
}

function anchorOn(doc: Y.Doc, words: string): BodyAnchor {
  const range = findInBody(doc, words);
  expect(range, `"${words}" is in the body`).not.toBeNull();
  const anchor = createAnchor(doc, range!);
  expect(anchor).not.toBeNull();
  return anchor!;
}

function anchoredText(doc: Y.Doc, anchor: BodyAnchor): string | null {
  const range = resolveAnchor(doc, anchor);
  return range ? bodyTextBetween(doc, range) : null;
}

describe('positions', () => {
  it('uses ProseMirror positions: each block opens and closes, text counts its characters', () => {
    const { a } = replicas([
      { type: 'paragraph', text: 'abc' },
      { type: 'blockquote', text: 'de' },
    ]);
    // <p>abc</p> = 5, <blockquote><p>de</p></blockquote> = 6
    expect(bodySize(a)).toBe(11);
    expect(findInBody(a, 'abc')).toEqual({ from: 1, to: 4 });
    expect(findInBody(a, 'de')).toEqual({ from: 7, to: 9 });
    expect(bodyTextBetween(a, { from: 0, to: 11 })).toBe('abc\nde');
    expect(bodyTextBetween(a, { from: 2, to: 8 })).toBe('bc\nd');
  });

  it('round-trips a range through an anchor', () => {
    const { a } = replicas();
    const range = findInBody(a, SENTENCE)!;
    expect(resolveAnchor(a, createAnchor(a, range)!)).toEqual(range);
    expect(anchoredText(a, anchorOn(a, SENTENCE))).toBe(SENTENCE);
  });

  it('anchors a range across blocks', () => {
    const { a } = replicas();
    const from = findInBody(a, 'overnight')!.from;
    const to = findInBody(a, 'Officials')!.to;
    const anchor = createAnchor(a, { from, to })!;
    expect(anchoredText(a, anchor)).toBe('overnight.\nOfficials');
  });

  it('refuses empty and out-of-range ranges, and resolves garbage to null', () => {
    const { a } = replicas();
    expect(createAnchor(a, { from: 5, to: 5 })).toBeNull();
    expect(createAnchor(a, { from: 3, to: 10_000 })).toBeNull();
    expect(isValidAnchor({ start: '!!', end: 'AAAA' })).toBe(false);
    expect(resolveAnchor(a, { start: 'AAAA', end: 'AAAA' })).toBeNull();
  });
});

describe('anchors under concurrent edits', () => {
  it('stays on the same words when someone types before the anchor, in the same paragraph and above it', () => {
    const { a, b, sync } = replicas();
    const anchor = anchorOn(a, SENTENCE);
    const before = resolveAnchor(a, anchor)!;
    // Bob edits before the sentence while Alice has not seen it yet.
    textOf(b, 1).insert(0, 'BREAKING: ');
    textOf(b, 0).insert(0, 'Late update. ');
    getBody(b).insert(0, [paragraph('A new first paragraph.')]);
    sync();
    for (const doc of [a, b]) {
      expect(anchoredText(doc, anchor)).toBe(SENTENCE);
      expect(resolveAnchor(doc, anchor)!.from).toBeGreaterThan(before.from);
    }
  });

  it('stays on the same words when someone types after it, right at its end', () => {
    const { a, b, sync } = replicas();
    const anchor = anchorOn(a, SENTENCE);
    const end = findInBody(b, SENTENCE)!.to;
    // Right after the last character of the anchored sentence: it must not grow.
    insertAt(b, end, ' (Updated)');
    textOf(b, 2).insert(0, 'Yes: ');
    sync();
    for (const doc of [a, b]) expect(anchoredText(doc, anchor)).toBe(SENTENCE);
    expect(bodyTextBetween(a, { from: 0, to: bodySize(a) })).toContain(`${SENTENCE} (Updated)`);
  });

  it('does not grow when someone types right at its start', () => {
    const { a, b, sync } = replicas();
    const anchor = anchorOn(a, SENTENCE);
    insertAt(b, findInBody(b, SENTENCE)!.from, 'Meanwhile, ');
    sync();
    expect(anchoredText(a, anchor)).toBe(SENTENCE);
  });

  it('widens to include text typed inside it, keeping its words', () => {
    const { a, b, sync } = replicas();
    const anchor = anchorOn(a, SENTENCE);
    insertAt(b, findInBody(b, 'budget')!.from, 'revised ');
    sync();
    expect(anchoredText(a, anchor)).toBe('The council approved the revised budget on Tuesday.');
    expect(anchoredText(b, anchor)).toBe('The council approved the revised budget on Tuesday.');
  });

  it('handles edits before, inside and after at the same time on two replicas', () => {
    const { a, b, sync } = replicas();
    const anchor = anchorOn(a, SENTENCE);
    insertAt(a, findInBody(a, 'Officials')!.from, 'At 6am, ');
    insertAt(b, findInBody(b, 'Tuesday')!.from, 'late ');
    insertAt(b, findInBody(b, 'Schools')!.from, 'All ');
    textOf(a, 0).delete(0, 6);
    sync();
    expect(anchoredText(a, anchor)).toBe('The council approved the budget on late Tuesday.');
    expect(anchoredText(b, anchor)).toBe(anchoredText(a, anchor));
  });

  it('shrinks when part of it is deleted', () => {
    const { a, b, sync } = replicas();
    const anchor = anchorOn(a, SENTENCE);
    const range = findInBody(b, ' on Tuesday')!;
    deleteRange(b, range);
    sync();
    expect(anchoredText(a, anchor)).toBe('The council approved the budget.');
  });

  it('resolves to null once all its text is deleted, also when the whole paragraph goes', () => {
    const { a, b, sync } = replicas();
    const sentence = anchorOn(a, SENTENCE);
    const quote = anchorOn(a, 'We were ready.');
    deleteRange(b, findInBody(b, SENTENCE)!);
    getBody(b).delete(2, 1);
    sync();
    expect(resolveAnchors(a, [sentence, quote])).toEqual([null, null]);
    expect(resolveAnchor(b, sentence)).toBeNull();
  });
});

describe('anchors and undo', () => {
  it('survives the undo of an unrelated edit', () => {
    const { a } = replicas();
    const anchor = anchorOn(a, SENTENCE);
    const undo = new Y.UndoManager(getBody(a), { captureTimeout: 0 });
    insertAt(a, 1, 'Flood warning. ');
    undo.stopCapturing();
    deleteRange(a, findInBody(a, 'Schools stay closed.')!);
    expect(anchoredText(a, anchor)).toBe(SENTENCE);
    undo.undo();
    undo.undo();
    expect(bodyTextBetween(a, { from: 0, to: bodySize(a) })).not.toContain('Flood warning.');
    expect(anchoredText(a, anchor)).toBe(SENTENCE);
  });

  it('comes back on the replica that undoes the deletion of its text', () => {
    const { a, b, sync } = replicas();
    const anchor = anchorOn(a, SENTENCE);
    const undo = new Y.UndoManager(getBody(a));
    deleteRange(a, findInBody(a, SENTENCE)!);
    expect(resolveAnchor(a, anchor)).toBeNull();
    undo.undo();
    sync();
    expect(anchoredText(a, anchor)).toBe(SENTENCE);
    // The redo pointer Yjs follows is local to the undoing replica: elsewhere the words are new text.
    expect(resolveAnchor(b, anchor)).toBeNull();
  });
});

function paragraph(text: string): Y.XmlElement {
  const element = new Y.XmlElement('paragraph');
  element.insert(0, [new Y.XmlText(text)]);
  return element;
}

/** Inserts text at a ProseMirror position that is inside a text run. */
function insertAt(doc: Y.Doc, pos: number, text: string): void {
  const { run, offset } = runAt(doc, pos);
  run.insert(offset, text);
}

function deleteRange(doc: Y.Doc, range: { from: number; to: number }): void {
  const { run, offset } = runAt(doc, range.from);
  run.delete(offset, range.to - range.from);
}

function runAt(doc: Y.Doc, pos: number): { run: Y.XmlText; offset: number } {
  let start = 0;
  for (const block of getBody(doc).toArray() as Y.XmlElement[]) {
    const inner = block.get(0);
    const text = (inner instanceof Y.XmlText ? inner : (inner as Y.XmlElement).get(0)) as Y.XmlText;
    const textStart = start + (inner instanceof Y.XmlText ? 1 : 2);
    if (pos >= textStart && pos <= textStart + text.length) return { run: text, offset: pos - textStart };
    start += inner instanceof Y.XmlText ? text.length + 2 : text.length + 4;
  }
  throw new Error(`no text at ${pos}`);
}
