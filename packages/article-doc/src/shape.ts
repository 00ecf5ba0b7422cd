import * as Y from 'yjs';

/**
 * The shape of an article's Y.Doc:
 * - `meta` (Y.Map): `headline` and `dek`, each a Y.Text so that writers can type in them
 *   at the same time without one overwriting the other.
 * - `body` (Y.XmlFragment): the ProseMirror document that Tiptap's Collaboration extension edits.
 *
 * The Y.Text values are created once, by the server when the article is created. Clients never
 * create them: two clients creating them concurrently would make one writer's text vanish.
 */
export const META = 'meta';
export const BODY = 'body';
export const HEADLINE = 'headline';
export const DEK = 'dek';

export type MetaField = typeof HEADLINE | typeof DEK;

export function getMeta(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(META);
}

export function getBody(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(BODY);
}

/** The shared text of a meta field, or null when the doc has not been initialised (or synced) yet. */
export function getMetaText(doc: Y.Doc, field: MetaField): Y.Text | null {
  const value = getMeta(doc).get(field);
  return value instanceof Y.Text ? value : null;
}
