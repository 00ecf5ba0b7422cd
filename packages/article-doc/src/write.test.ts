import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { readDek, readHeadline } from './read.ts';
import { renderBodyText } from './render.ts';
import { DEK, HEADLINE, getBody, getMeta, getMetaText } from './shape.ts';
import { createArticleDoc, initArticleDoc, writeBody, writeDek, writeHeadline, writeMetaText } from './write.ts';

/** A replica of `source`, as a client gets it after syncing with the server. */
function replicaOf(source: Y.Doc): Y.Doc {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(source));
  return replica;
}

/** Sends each doc's missing updates to the other, as the sync protocol would. */
function exchange(a: Y.Doc, b: Y.Doc): void {
  const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, toB);
  Y.applyUpdate(a, toA);
}

/** Counts the updates `doc` emits while `fn` runs. */
function updatesDuring(doc: Y.Doc, fn: () => void): number {
  let count = 0;
  const onUpdate = () => count++;
  doc.on('update', onUpdate);
  try {
    fn();
  } finally {
    doc.off('update', onUpdate);
  }
  return count;
}

describe('createArticleDoc / initArticleDoc', () => {
  it('creates headline and dek as shared Y.Text values in the meta map', () => {
    const doc = createArticleDoc({ headline: 'Council approves budget', dek: 'A late-night vote' });
    expect(getMeta(doc).get(HEADLINE)).toBeInstanceOf(Y.Text);
    expect(getMeta(doc).get(DEK)).toBeInstanceOf(Y.Text);
    expect(readHeadline(doc)).toBe('Council approves budget');
    expect(readDek(doc)).toBe('A late-night vote');
  });

  it('creates an empty dek when none is given, so writers can type into it', () => {
    const doc = createArticleDoc({ headline: 'Headline only' });
    expect(getMetaText(doc, DEK)).toBeInstanceOf(Y.Text);
    expect(readDek(doc)).toBe('');
  });

  it('leaves the body empty when no body is given', () => {
    const doc = createArticleDoc({ headline: 'Headline only' });
    expect(getBody(doc).length).toBe(0);
  });

  it('seeds the body in the node shape Tiptap uses', () => {
    const doc = createArticleDoc({
      headline: 'H',
      body: [
        { type: 'paragraph', text: 'First paragraph.' },
        { type: 'heading', level: 3, text: 'A subhead' },
        { type: 'blockquote', text: 'A quote.' },
      ],
    });
    const [paragraph, heading, quote] = getBody(doc).toArray() as Y.XmlElement[];
    expect(paragraph!.nodeName).toBe('paragraph');
    expect(paragraph!.toArray()[0]).toBeInstanceOf(Y.XmlText);
    expect(heading!.nodeName).toBe('heading');
    expect(heading!.getAttribute('level')).toBe(3);
    expect(quote!.nodeName).toBe('blockquote');
    expect((quote!.toArray()[0] as Y.XmlElement).nodeName).toBe('paragraph');
    expect(renderBodyText(doc)).toBe('First paragraph.\n\nA subhead\n\nA quote.');
  });

  it('keeps the existing headline and dek when called a second time', () => {
    const doc = createArticleDoc({ headline: 'First headline', dek: 'First dek' });
    const headlineText = getMetaText(doc, HEADLINE);
    const dekText = getMetaText(doc, DEK);

    initArticleDoc(doc, { headline: 'Second headline', dek: 'Second dek' });

    expect(readHeadline(doc)).toBe('First headline');
    expect(readDek(doc)).toBe('First dek');
    expect(getMetaText(doc, HEADLINE)).toBe(headlineText);
    expect(getMetaText(doc, DEK)).toBe(dekText);
  });

  it('keeps text that writers typed since the article was created', () => {
    const doc = createArticleDoc({ headline: 'Draft' });
    writeHeadline(doc, 'Draft, edited');
    writeDek(doc, 'Typed dek');

    initArticleDoc(doc, { headline: 'Draft' });

    expect(readHeadline(doc)).toBe('Draft, edited');
    expect(readDek(doc)).toBe('Typed dek');
  });

  it('leaves a doc synced from another doc untouched and emits no update', () => {
    const server = createArticleDoc({ headline: 'From the server', dek: 'Server dek' });
    const client = replicaOf(server);

    const updates = updatesDuring(client, () => initArticleDoc(client, { headline: 'From the client', dek: 'Client dek' }));

    expect(updates).toBe(0);
    expect(readHeadline(client)).toBe('From the server');
    expect(readDek(client)).toBe('Server dek');
    exchange(server, client);
    expect(readHeadline(server)).toBe('From the server');
    expect(readDek(server)).toBe('Server dek');
  });

  it('keeps a concurrent edit made on a synced replica when init runs again on it', () => {
    const server = createArticleDoc({ headline: 'Budget vote' });
    const client = replicaOf(server);
    writeHeadline(client, 'Budget vote delayed');

    initArticleDoc(client, { headline: 'Budget vote' });
    exchange(server, client);

    expect(readHeadline(server)).toBe('Budget vote delayed');
    expect(readHeadline(client)).toBe('Budget vote delayed');
  });

  it('(why only the server initialises) two docs initialised independently keep only one headline after a merge', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    initArticleDoc(a, { headline: 'Alpha' });
    initArticleDoc(b, { headline: 'Beta' });

    exchange(a, b);

    expect(readHeadline(a)).toBe(readHeadline(b));
    expect(['Alpha', 'Beta']).toContain(readHeadline(a));
  });
});

describe('writeMetaText', () => {
  it('throws a helpful error when the doc has not been initialised', () => {
    const doc = new Y.Doc();
    expect(() => writeMetaText(doc, HEADLINE, 'x')).toThrow(/no headline; call initArticleDoc first/);
    expect(() => writeDek(doc, 'x')).toThrow(/no dek/);
  });

  it('does nothing when the text is unchanged', () => {
    const doc = createArticleDoc({ headline: 'Same' });
    expect(updatesDuring(doc, () => writeHeadline(doc, 'Same'))).toBe(0);
    expect(readHeadline(doc)).toBe('Same');
  });

  it('replaces the whole text when nothing is in common, and can empty it', () => {
    const doc = createArticleDoc({ headline: 'abc', dek: 'dek' });
    writeHeadline(doc, 'xyz');
    writeDek(doc, '');
    expect(readHeadline(doc)).toBe('xyz');
    expect(readDek(doc)).toBe('');
    writeDek(doc, 'back');
    expect(readDek(doc)).toBe('back');
  });

  it('touches only the changed middle, keeping the common prefix and suffix', () => {
    const doc = createArticleDoc({ headline: 'The quick fox' });
    const deltas: unknown[] = [];
    getMetaText(doc, HEADLINE)!.observe((event) => deltas.push(event.delta));

    writeHeadline(doc, 'The quick brown fox');
    writeHeadline(doc, 'The slow brown fox');

    expect(deltas).toEqual([
      [{ retain: 10 }, { insert: 'brown ' }],
      [{ retain: 4 }, { delete: 5 }, { insert: 'slow' }],
    ]);
    expect(readHeadline(doc)).toBe('The slow brown fox');
  });

  it('makes a single update per write', () => {
    const doc = createArticleDoc({ headline: 'Old words here' });
    expect(updatesDuring(doc, () => writeHeadline(doc, 'New words there'))).toBe(1);
  });

  it('lets concurrent edits at different places in the headline both survive a merge', () => {
    const a = createArticleDoc({ headline: 'Council approves budget' });
    const b = replicaOf(a);

    writeHeadline(a, 'City council approves budget');
    writeHeadline(b, 'Council approves new budget');
    exchange(a, b);

    expect(readHeadline(a)).toBe('City council approves new budget');
    expect(readHeadline(b)).toBe('City council approves new budget');
  });

  it('lets a deletion on one replica and an insertion on another both survive a merge', () => {
    const a = createArticleDoc({ headline: 'H', dek: 'BREAKING: Storm hits the coast' });
    const b = replicaOf(a);

    writeDek(a, 'Storm hits the coast');
    writeDek(b, 'BREAKING: Storm hits the coast overnight');
    exchange(a, b);

    expect(readDek(a)).toBe('Storm hits the coast overnight');
    expect(readDek(b)).toBe('Storm hits the coast overnight');
  });

  it('does not corrupt emoji when the old and new text differ inside a surrogate pair', () => {
    // 😀 is \uD83D\uDE00 and 😁 is \uD83D\uDE01: they share their first UTF-16 unit.
    const doc = createArticleDoc({ headline: 'Fans 😀 today' });
    writeHeadline(doc, 'Fans 😁 today');
    expect(readHeadline(doc)).toBe('Fans 😁 today');
    expect(readHeadline(replicaOf(doc))).toBe('Fans 😁 today');

    // 😀 (\uD83D\uDE00) and 🈀 (\uD83C\uDE00) share their second unit.
    writeHeadline(doc, 'Fans 🈀 today');
    expect(readHeadline(doc)).toBe('Fans 🈀 today');
    expect(readHeadline(replicaOf(doc))).toBe('Fans 🈀 today');
  });

  it('always ends with exactly the requested text, also on a replica (property)', () => {
    const piece = fc.constantFrom('a', 'b', ' ', 'é', 'ü', '😀', '😁', '🈀', '🔥', '👩‍👩‍👧', '-', "'");
    const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, text, (before, after) => {
        const doc = createArticleDoc({ headline: before });
        writeHeadline(doc, after);
        expect(readHeadline(doc)).toBe(after);
        expect(readHeadline(replicaOf(doc))).toBe(after);
      }),
    );
  });
});

describe('writeBody', () => {
  it('appends blocks after the existing body', () => {
    const doc = createArticleDoc({ headline: 'H', body: [{ type: 'paragraph', text: 'One.' }] });
    writeBody(doc, [{ type: 'paragraph', text: 'Two.' }]);
    expect(renderBodyText(doc)).toBe('One.\n\nTwo.');
  });

  it('keeps blocks that two replicas append concurrently', () => {
    const a = createArticleDoc({ headline: 'H' });
    const b = replicaOf(a);
    writeBody(a, [{ type: 'paragraph', text: 'From Alice.' }]);
    writeBody(b, [{ type: 'paragraph', text: 'From Bob.' }]);
    exchange(a, b);
    expect(renderBodyText(a)).toBe(renderBodyText(b));
    expect(renderBodyText(a).split('\n\n').sort()).toEqual(['From Alice.', 'From Bob.']);
  });
});
