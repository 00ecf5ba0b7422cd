import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { AUTHORS_MAP, SERVER_AUTHOR, handBackKey } from '@copydesk/protocol';
import { getBody, writeBody } from '@copydesk/article-doc';
import { authorDecorations } from './authorHighlight.ts';
import { authorsInBody } from './authors.ts';

const schema = getSchema([StarterKit]);

/** Two writers' docs synced into one, with the authors map the server would have written. */
function coAuthored() {
  const alice = new Y.Doc();
  writeBody(alice, [{ type: 'paragraph', text: 'Alice wrote this.' }]);
  const bob = new Y.Doc();
  Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
  const text = (getBody(bob).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  text.insert(text.length, ' Bob added this.');
  writeBody(bob, [{ type: 'heading', level: 2, text: 'Bob' }]);
  const merged = new Y.Doc();
  Y.applyUpdate(merged, Y.encodeStateAsUpdate(bob));
  const authors = merged.getMap(AUTHORS_MAP);
  authors.set(String(alice.clientID), { userId: 'u_alice', name: 'Alice Moreau' });
  authors.set(String(bob.clientID), { userId: 'u_bob', name: 'Bob Okafor' });
  return { doc: merged, pm: yXmlFragmentToProseMirrorRootNode(getBody(merged), schema) };
}

describe('authorDecorations', () => {
  it('colours each run of text by the user whose client id wrote it', () => {
    const { doc, pm } = coAuthored();
    const runs = authorDecorations(pm, doc)
      .find()
      .map((d) => ({ text: pm.textBetween(d.from, d.to), author: (d as unknown as { type: { attrs: { title: string } } }).type.attrs.title }));
    expect(runs).toEqual([
      { text: 'Alice wrote this.', author: 'Alice Moreau' },
      { text: ' Bob added this.', author: 'Bob Okafor' },
      { text: 'Bob', author: 'Bob Okafor' },
    ]);
  });

  it('leaves text by unknown client ids uncoloured, and a block that does not match the editor alone', () => {
    const { doc, pm } = coAuthored();
    doc.getMap(AUTHORS_MAP).clear();
    expect(authorDecorations(pm, doc).find()).toEqual([]);
    // The editor is ahead of the doc in the first block (mid-sync): that block is skipped.
    const { doc: doc2 } = coAuthored();
    const stale = yXmlFragmentToProseMirrorRootNode(getBody(doc2), schema);
    ((getBody(doc2).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'New ');
    const texts = authorDecorations(stale, doc2)
      .find()
      .map((d) => stale.textBetween(d.from, d.to));
    expect(texts).toEqual(['Bob']);
  });
});

describe('authorsInBody', () => {
  it('sums each author’s characters, the server’s own text included', () => {
    const { doc } = coAuthored();
    const server = new Y.Doc();
    Y.applyUpdate(server, Y.encodeStateAsUpdate(doc));
    writeBody(server, [{ type: 'paragraph', text: 'Restored.' }]);
    server.getMap(AUTHORS_MAP).set(String(server.clientID), SERVER_AUTHOR);
    expect(authorsInBody(server).map((a) => [a.name, a.chars])).toEqual([
      ['Bob Okafor', ' Bob added this.'.length + 'Bob'.length],
      ['Alice Moreau', 'Alice wrote this.'.length],
      ['Copydesk', 'Restored.'.length],
    ]);
  });

  it('shows text handed back under someone else’s id as handed back, not as their typing', () => {
    const { doc } = coAuthored();
    // Bob sent more text under Alice's id while she was away: the server recorded the hand-back.
    const alice = Number([...doc.getMap(AUTHORS_MAP).entries()].find(([, entry]) => (entry as { userId: string }).userId === 'u_alice')![0]);
    const asAlice = new Y.Doc();
    Y.applyUpdate(asAlice, Y.encodeStateAsUpdate(doc));
    // After the sync: Yjs picks a new id when an update brings its own.
    asAlice.clientID = alice;
    const clock = Y.getState(asAlice.store, alice);
    ((getBody(asAlice).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Forged. ');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(asAlice, Y.encodeStateVector(doc)));
    doc.getMap(AUTHORS_MAP).set(handBackKey(alice, clock), { userId: 'u_bob', name: 'Bob Okafor', handedBack: true, client: alice, clock, length: 'Forged. '.length });
    expect(authorsInBody(doc).map((a) => [a.name, a.chars])).toEqual([
      ['Bob Okafor', ' Bob added this.'.length + 'Bob'.length],
      ['Alice Moreau', 'Alice wrote this.'.length],
      ['Handed back by Bob Okafor', 'Forged. '.length],
    ]);
  });
});
