import * as Y from 'yjs';
import { BODY, DEK, HEADLINE, getBody, getMeta, getMetaText, type MetaField } from './shape.ts';

/** A block of body content for seeding and tests (the subset of Tiptap nodes the newsroom uses). */
export type SeedBlock =
  | { type: 'paragraph'; text: string }
  | { type: 'heading'; level: 2 | 3; text: string }
  | { type: 'blockquote'; text: string };

export interface ArticleContent {
  headline: string;
  dek?: string;
  body?: SeedBlock[];
}

/** Creates the shared types of a new article in `doc` (once, on the server). */
export function initArticleDoc(doc: Y.Doc, content: ArticleContent): void {
  doc.transact(() => {
    const meta = getMeta(doc);
    if (!(meta.get(HEADLINE) instanceof Y.Text)) meta.set(HEADLINE, new Y.Text(content.headline));
    if (!(meta.get(DEK) instanceof Y.Text)) meta.set(DEK, new Y.Text(content.dek ?? ''));
    if (content.body?.length) writeBody(doc, content.body);
  });
}

/** A fresh doc holding an initialised article. */
export function createArticleDoc(content: ArticleContent): Y.Doc {
  const doc = new Y.Doc();
  initArticleDoc(doc, content);
  return doc;
}

/**
 * Turns `text` into `next` by touching only the changed middle (common prefix and suffix are
 * kept), so concurrent edits elsewhere in the text survive. `caret` (the caret after a local
 * edit) disambiguates repeated characters: typing "a" into "aa" at the start inserts at 0, not 2.
 */
export function replaceText(text: Y.Text, next: string, options: { origin?: unknown; caret?: number } = {}): void {
  const current = text.toString();
  if (current === next) return;
  const added = next.length - current.length;
  const common = Math.min(current.length, next.length);
  // The prefix may not extend past the edit point (the caret minus what was inserted).
  const maxPrefix = options.caret === undefined ? common : Math.max(0, Math.min(common, options.caret - Math.max(0, added)));
  let start = 0;
  while (start < maxPrefix && current[start] === next[start]) start++;
  let endCurrent = current.length;
  let endNext = next.length;
  while (endCurrent > start && endNext > start && current[endCurrent - 1] === next[endNext - 1]) {
    endCurrent--;
    endNext--;
  }
  // Never cut a surrogate pair (emoji etc.): Yjs replaces the halves of a split pair with U+FFFD.
  if (start > 0 && isHighSurrogate(current.charCodeAt(start - 1))) start--;
  if (endCurrent < current.length && isLowSurrogate(current.charCodeAt(endCurrent))) {
    endCurrent++;
    endNext++;
  }
  const apply = () => {
    if (endCurrent > start) text.delete(start, endCurrent - start);
    if (endNext > start) text.insert(start, next.slice(start, endNext));
  };
  if (text.doc) text.doc.transact(apply, options.origin ?? null);
  else apply();
}

/** Replaces a meta field's text with `next`, touching only the changed middle. */
export function writeMetaText(doc: Y.Doc, field: MetaField, next: string): void {
  const text = getMetaText(doc, field);
  if (!text) throw new Error(`article doc has no ${field}; call initArticleDoc first`);
  replaceText(text, next);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

export const writeHeadline = (doc: Y.Doc, headline: string) => writeMetaText(doc, HEADLINE, headline);
export const writeDek = (doc: Y.Doc, dek: string) => writeMetaText(doc, DEK, dek);

/** Appends blocks to the body, in the node shape Tiptap/y-prosemirror uses. */
export function writeBody(doc: Y.Doc, blocks: SeedBlock[]): void {
  const body = getBody(doc);
  doc.transact(() => {
    const elements = blocks.map((block) => {
      const element = new Y.XmlElement(block.type);
      if (block.type === 'heading') element.setAttribute('level', block.level as unknown as string);
      const text = new Y.XmlText(block.text);
      if (block.type === 'blockquote') {
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [text]);
        element.insert(0, [paragraph]);
      } else {
        element.insert(0, [text]);
      }
      return element;
    });
    body.insert(body.length, elements);
  });
}

export { BODY };
