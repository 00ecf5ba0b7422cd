import * as Y from 'yjs';
import { BODY, getBody } from '@copydesk/article-doc';
import type { PresencePart, PresenceSection } from '@copydesk/protocol';

const HEADING_LABEL_MAX = 48;

export const HEADLINE_SECTION: PresenceSection = { part: 'headline', block: null, heading: null, label: 'Headline' };
export const DEK_SECTION: PresenceSection = { part: 'dek', block: null, heading: null, label: 'Dek' };
export const BODY_SECTION: PresenceSection = { part: 'body', block: null, heading: null, label: 'Body' };

/**
 * Where a person is: the field they declared (headline, dek) or, in the body, the top-level block
 * their y-prosemirror caret (`cursor.head`, a Yjs relative position in the `body` fragment) is in.
 */
export function resolveSection(doc: Y.Doc, declared: PresencePart | null, cursorHead: unknown): PresenceSection | null {
  if (declared === 'headline') return HEADLINE_SECTION;
  if (declared === 'dek') return DEK_SECTION;
  if (cursorHead != null) {
    const block = resolveBodyBlock(doc, cursorHead);
    if (block) return block;
  }
  return declared === 'body' ? BODY_SECTION : null;
}

/** The body block a relative position points into, with the heading it sits under; null when it does not resolve. */
export function resolveBodyBlock(doc: Y.Doc, json: unknown): PresenceSection | null {
  const relative = parseRelativePosition(json);
  if (!relative) return null;
  let absolute: Y.AbsolutePosition | null;
  try {
    absolute = Y.createAbsolutePositionFromRelativePosition(relative, doc);
  } catch {
    return null; // points at structs we do not have (or garbage)
  }
  if (!absolute) return null;
  const body = getBody(doc);

  let block: Y.Item | null = null;
  if (absolute.type === body) {
    // Between blocks: the block at that index (or the last one at the end).
    let index = 0;
    for (let item = body._start; item !== null; item = item.right) {
      if (item.deleted || !item.countable) continue;
      block = item;
      if (index++ >= absolute.index) break;
    }
  } else {
    let type: Y.AbstractType<unknown> = absolute.type;
    while (type._item !== null && type._item.parent !== body) type = type._item.parent as Y.AbstractType<unknown>;
    if (type._item === null) return null; // another root type
    block = type._item;
  }
  if (!block) return null;

  let index = 0;
  for (let item = body._start; item !== null && item !== block; item = item.right) if (!item.deleted && item.countable) index++;
  const heading = headingAtOrAbove(block);
  const label = heading ? `¶ ${index + 1} · ${truncate(heading, HEADING_LABEL_MAX)}` : `¶ ${index + 1}`;
  return { part: 'body', block: index, heading, label };
}

function headingAtOrAbove(block: Y.Item): string | null {
  for (let item: Y.Item | null = block; item !== null; item = item.left) {
    if (item.deleted) continue;
    const type = item.content instanceof Y.ContentType ? item.content.type : null;
    if (type instanceof Y.XmlElement && type.nodeName === 'heading') return elementText(type).trim() || null;
  }
  return null;
}

/** Plain text of an element (formatting and embeds left out). */
function elementText(element: Y.XmlElement): string {
  let text = '';
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as Array<{ insert?: unknown }>) if (typeof op.insert === 'string') text += op.insert;
    } else if (child instanceof Y.XmlElement) {
      text += elementText(child);
    }
  }
  return text;
}

function truncate(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, ' '));
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

const isId = (v: unknown): v is { client: number; clock: number } =>
  typeof v === 'object' && v !== null && Number.isSafeInteger((v as { client: unknown }).client) && Number.isSafeInteger((v as { clock: unknown }).clock);

/**
 * A relative position as JSON-in-awareness, checked strictly: it names an item or the body root,
 * never another root type (Y would create a root type for any name it is given).
 */
function parseRelativePosition(json: unknown): Y.RelativePosition | null {
  if (typeof json !== 'object' || json === null) return null;
  const { type, tname, item, assoc } = json as Record<string, unknown>;
  if (type != null && !isId(type)) return null;
  if (item != null && !isId(item)) return null;
  if (tname != null && tname !== BODY) return null;
  if (item == null && type == null && tname == null) return null;
  try {
    return Y.createRelativePositionFromJSON({ type: type ?? null, tname: tname ?? null, item: item ?? null, assoc: typeof assoc === 'number' ? assoc : 0 });
  } catch {
    return null;
  }
}
