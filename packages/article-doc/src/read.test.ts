import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readDek, readHeadline } from './read.ts';
import { DEK, HEADLINE, getMeta } from './shape.ts';
import { createArticleDoc, writeDek, writeHeadline } from './write.ts';

describe('readHeadline / readDek', () => {
  it('return an empty string on an empty (not yet synced) doc', () => {
    const doc = new Y.Doc();
    expect(readHeadline(doc)).toBe('');
    expect(readDek(doc)).toBe('');
  });

  it('do not write to the doc they read', () => {
    const doc = new Y.Doc();
    let updates = 0;
    doc.on('update', () => updates++);
    readHeadline(doc);
    readDek(doc);
    expect(updates).toBe(0);
  });

  it('return the current text of an initialised doc', () => {
    const doc = createArticleDoc({ headline: 'Storm hits coast', dek: 'Thousands without power' });
    expect(readHeadline(doc)).toBe('Storm hits coast');
    expect(readDek(doc)).toBe('Thousands without power');

    writeHeadline(doc, 'Storm hits the coast');
    writeDek(doc, '');
    expect(readHeadline(doc)).toBe('Storm hits the coast');
    expect(readDek(doc)).toBe('');
  });

  it('read a doc that was synced from another doc', () => {
    const server = createArticleDoc({ headline: 'Synced', dek: 'Also synced' });
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    expect(readHeadline(client)).toBe('Synced');
    expect(readDek(client)).toBe('Also synced');
  });

  it('return an empty string when a field holds something other than a Y.Text', () => {
    const doc = new Y.Doc();
    getMeta(doc).set(HEADLINE, 'a plain string');
    getMeta(doc).set(DEK, 42);
    expect(readHeadline(doc)).toBe('');
    expect(readDek(doc)).toBe('');
  });
});
