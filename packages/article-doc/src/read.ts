import type * as Y from 'yjs';
import { DEK, HEADLINE, getMetaText } from './shape.ts';

export function readHeadline(doc: Y.Doc): string {
  return getMetaText(doc, HEADLINE)?.toString() ?? '';
}

export function readDek(doc: Y.Doc): string {
  return getMetaText(doc, DEK)?.toString() ?? '';
}
