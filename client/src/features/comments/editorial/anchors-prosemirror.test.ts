import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { initProseMirrorDoc, prosemirrorToYXmlFragment, relativePositionToAbsolutePosition } from '@tiptap/y-tiptap';
import { BODY, bodySize, bodyTextBetween, createAnchor, resolveAnchor } from '@copydesk/article-doc';

/*
 * The anchor functions compute ProseMirror positions from the Y.XmlFragment alone. Here they are
 * checked against ProseMirror itself (the editor's schema) and against the Yjs binding Tiptap uses.
 */
const schema = getSchema([StarterKit.configure({ undoRedo: false, trailingNode: false, heading: { levels: [2, 3] } })]);
const isLeaf = (name: string) => schema.nodes[name]?.isLeaf ?? false;

const text = (value: string, marks?: string[]) => ({ type: 'text', text: value, ...(marks ? { marks: marks.map((type) => ({ type })) } : {}) });
const paragraph = (...content: object[]) => ({ type: 'paragraph', content });

function article() {
  const json = {
    type: 'doc',
    content: [
      paragraph(text('Water rose '), text('overnight', ['bold']), text(' at the quays.'), { type: 'hardBreak' }, text('Second line.')),
      { type: 'heading', attrs: { level: 2 }, content: [text('Council budget')] },
      { type: 'blockquote', content: [paragraph(text('We were ready.'))] },
      { type: 'horizontalRule' },
      { type: 'bulletList', content: [{ type: 'listItem', content: [paragraph(text('Roads closed'))] }, { type: 'listItem', content: [paragraph(text('Schools shut'))] }] },
      { type: 'paragraph' },
      paragraph(text('The council approved the budget on Tuesday.')),
    ],
  };
  const doc = new Y.Doc();
  prosemirrorToYXmlFragment(schema.nodeFromJSON(json), doc.getXmlFragment(BODY));
  const { doc: pm, mapping } = initProseMirrorDoc(doc.getXmlFragment(BODY), schema);
  return { doc, pm, mapping };
}

describe('anchors agree with ProseMirror', () => {
  it('sizes the body as ProseMirror does (leaves, nested blocks, empty paragraphs, marks)', () => {
    const { doc, pm } = article();
    expect(bodySize(doc, { isLeaf })).toBe(pm.content.size);
  });

  it('round-trips every text range and covers the same text ProseMirror does', () => {
    const { doc, pm } = article();
    const inline: number[] = [];
    for (let pos = 0; pos <= pm.content.size; pos++) if (pm.resolve(pos).parent.inlineContent) inline.push(pos);
    let checked = 0;
    for (const from of inline) {
      for (const to of inline) {
        if (to <= from || to - from > 40) continue;
        if (pm.textBetween(from, to, '\n', '\n').length === 0) continue;
        const anchor = createAnchor(doc, { from, to }, { isLeaf });
        expect(anchor, `${from}-${to}`).not.toBeNull();
        const range = resolveAnchor(doc, anchor!, { isLeaf });
        expect(range, `${from}-${to}`).not.toBeNull();
        // Where a range starts or ends at a block edge, it may resolve to the neighbouring position with the same text.
        expect(pm.textBetween(range!.from, range!.to, '\n', '\n'), `${from}-${to}`).toBe(pm.textBetween(from, to, '\n', '\n'));
        // (ProseMirror also puts a separator for a block entered but not read; compare the words.)
        const words = (value: string) => value.replace(/\n+/g, '\n').replace(/^\n|\n$/g, '');
        expect(words(bodyTextBetween(doc, range!, { isLeaf })), `${from}-${to}`).toBe(words(pm.textBetween(from, to, '\n', '\n')));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('creates relative positions that the Tiptap Yjs binding resolves to the same place', () => {
    const { doc, pm, mapping } = article();
    const fragment = doc.getXmlFragment(BODY);
    // (The binding refuses text positions ≤ 1 by design: its guard against misresolved drag-and-drop.)
    for (let pos = 2; pos < pm.content.size; pos++) {
      const $pos = pm.resolve(pos);
      if (!$pos.parent.inlineContent || $pos.parentOffset >= $pos.parent.content.size) continue;
      const anchor = createAnchor(doc, { from: pos, to: pos + 1 }, { isLeaf })!;
      const start = Y.decodeRelativePosition(Uint8Array.from(atob(anchor.start), (c) => c.charCodeAt(0)));
      expect(relativePositionToAbsolutePosition(doc, fragment, start, mapping), `position ${pos}`).toBe(pos);
    }
  });
});
