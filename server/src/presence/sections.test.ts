import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getBody, writeBody } from '@copydesk/article-doc';
import { resolveBodyBlock, resolveSection } from './sections.ts';

function articleDoc(): Y.Doc {
  const doc = new Y.Doc();
  writeBody(doc, [
    { type: 'paragraph', text: 'Intro.' },
    { type: 'heading', level: 2, text: 'What the mayor said' },
    { type: 'paragraph', text: 'Quote.' },
    { type: 'blockquote', text: 'Nested quote.' },
  ]);
  return doc;
}

const textIn = (doc: Y.Doc, index: number): Y.XmlText => {
  let node = getBody(doc).get(index) as Y.XmlElement;
  while (!(node.get(0) instanceof Y.XmlText)) node = node.get(0) as Y.XmlElement;
  return node.get(0) as Y.XmlText;
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const at = (type: Y.AbstractType<any>, index: number) => Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(type, index));

describe('resolveBodyBlock', () => {
  it('finds the top-level block of a caret in text, and the heading above it', () => {
    const doc = articleDoc();
    expect(resolveBodyBlock(doc, at(textIn(doc, 0), 2))).toEqual({ part: 'body', block: 0, heading: null, label: '¶ 1' });
    expect(resolveBodyBlock(doc, at(textIn(doc, 1), 0))).toEqual({ part: 'body', block: 1, heading: 'What the mayor said', label: '¶ 2 · What the mayor said' });
    expect(resolveBodyBlock(doc, at(textIn(doc, 2), 6))).toMatchObject({ block: 2, heading: 'What the mayor said' });
  });

  it('climbs out of nested blocks (a paragraph in a blockquote) to the top-level one', () => {
    const doc = articleDoc();
    expect(resolveBodyBlock(doc, at(textIn(doc, 3), 4))).toMatchObject({ block: 3, label: '¶ 4 · What the mayor said' });
  });

  it('resolves a caret between blocks to the block at that index (the last one at the end)', () => {
    const doc = articleDoc();
    expect(resolveBodyBlock(doc, at(getBody(doc), 0))).toMatchObject({ block: 0 });
    expect(resolveBodyBlock(doc, at(getBody(doc), 4))).toMatchObject({ block: 3 });
  });

  it('follows the caret when blocks are inserted or deleted above it', () => {
    const doc = articleDoc();
    const caret = at(textIn(doc, 2), 1);
    getBody(doc).insert(0, [new Y.XmlElement('paragraph'), new Y.XmlElement('paragraph')]);
    expect(resolveBodyBlock(doc, caret)).toMatchObject({ block: 4 });
    getBody(doc).delete(0, 3);
    expect(resolveBodyBlock(doc, caret)).toMatchObject({ block: 1, heading: 'What the mayor said' });
  });

  it('refuses anything that is not a position in the body', () => {
    const doc = articleDoc();
    doc.getText('other').insert(0, 'elsewhere');
    expect(resolveBodyBlock(doc, at(doc.getText('other'), 1))).toBeNull();
    for (const junk of [null, 'x', 42, {}, { item: { client: 'a', clock: 1 } }, { tname: 'authors' }, { item: { client: 123, clock: 99 } }, { type: { client: 1, clock: -1 } }]) {
      expect(resolveBodyBlock(doc, junk)).toBeNull();
    }
    // An unknown root name is not created on the doc.
    resolveBodyBlock(doc, { tname: 'made-up', item: null, type: null, assoc: 0 });
    expect(doc.share.has('made-up')).toBe(false);
  });
});

describe('resolveSection', () => {
  it('prefers the declared headline or dek, then the caret, then "Body"', () => {
    const doc = articleDoc();
    const caret = at(textIn(doc, 0), 1);
    expect(resolveSection(doc, 'headline', caret)?.label).toBe('Headline');
    expect(resolveSection(doc, 'dek', null)?.label).toBe('Dek');
    expect(resolveSection(doc, 'body', caret)?.label).toBe('¶ 1');
    expect(resolveSection(doc, null, caret)?.label).toBe('¶ 1');
    expect(resolveSection(doc, 'body', null)?.label).toBe('Body');
    expect(resolveSection(doc, null, null)).toBeNull();
  });
});
