import * as Y from 'yjs';
import { getBody } from './shape.ts';

/*
 * Anchors: a range of the article body (ProseMirror positions, as Tiptap sees them) stored as two
 * Yjs relative positions, so the range follows its text while everyone keeps editing.
 *
 * - The start sticks to the first character of the range (assoc 0) and the end to the last one
 *   (assoc -1): text typed just before or just after the range stays outside it, text typed inside
 *   it widens it.
 * - Resolving follows undone deletions (Yjs keeps a pointer from a deleted item to its redo), so
 *   deleting the words and undoing brings the anchor back, on the replica that undid it (that
 *   pointer is local state: other replicas see the restored words as new text).
 * - When every anchored character is gone, the range is empty and resolves to null ("text removed").
 *
 * Positions are computed from the Y.XmlFragment itself, with the same sizes ProseMirror uses:
 * text counts its characters, a leaf node (hard break, rule, image) counts 1, any other element
 * counts 2 plus its content. So the functions need no editor and run the same in Node and the browser.
 */

/** Both ends, each `Y.encodeRelativePosition` in base64. */
export interface BodyAnchor {
  start: string;
  end: string;
}

export interface BodyRange {
  from: number;
  to: number;
}

/** Element names that are ProseMirror leaf nodes in the article schema (node size 1). */
export const LEAF_NODE_NAMES: ReadonlySet<string> = new Set(['hardBreak', 'horizontalRule', 'image']);

export interface AnchorOptions {
  /** Is this element a leaf node in the editor's schema? Defaults to LEAF_NODE_NAMES. */
  isLeaf?: (nodeName: string) => boolean;
}

type Container = Y.XmlFragment | Y.XmlElement;
type Child = Y.XmlElement | Y.XmlText;

/** Memoised ProseMirror node sizes for one pass over a doc state. */
class Sizes {
  private readonly cache = new Map<Child, number>();
  constructor(private readonly isLeaf: (nodeName: string) => boolean) {}

  of(node: Child | Y.XmlHook): number {
    if (node instanceof Y.XmlText) return node.length;
    if (!(node instanceof Y.XmlElement)) return 0;
    let size = this.cache.get(node);
    if (size === undefined) {
      size = this.isLeaf(node.nodeName) ? 1 : 2 + this.content(node);
      this.cache.set(node, size);
    }
    return size;
  }

  content(container: Container): number {
    let total = 0;
    for (const child of container.toArray()) total += this.of(child as Child);
    return total;
  }
}

const defaultIsLeaf = (name: string) => LEAF_NODE_NAMES.has(name);

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(value: string): Uint8Array {
  const binary = atob(value);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The relative position of ProseMirror position `pos` inside `container`'s content, or null if out of range. */
function relativeAt(container: Container, pos: number, assoc: number, sizes: Sizes): Y.RelativePosition | null {
  const children = container.toArray() as Child[];
  for (let index = 0; index < children.length; index++) {
    const child = children[index]!;
    if (child instanceof Y.XmlText) {
      // At a text boundary, a start (assoc ≥ 0) belongs to what follows, an end (assoc < 0) to what precedes.
      const next = children[index + 1];
      const atEnd = pos === child.length;
      if (pos < child.length || (atEnd && (assoc < 0 || !(next instanceof Y.XmlText)))) {
        return Y.createRelativePositionFromTypeIndex(child, pos, assoc);
      }
      pos -= child.length;
      continue;
    }
    if (pos === 0) return Y.createRelativePositionFromTypeIndex(container, index, assoc);
    const size = sizes.of(child);
    if (pos < size) return relativeAt(child, pos - 1, assoc, sizes);
    pos -= size;
  }
  return pos === 0 ? Y.createRelativePositionFromTypeIndex(container, children.length, assoc) : null;
}

/** ProseMirror position of a relative position in the body, or null when it points into removed content. */
function absoluteOf(doc: Y.Doc, body: Y.XmlFragment, relative: Y.RelativePosition, sizes: Sizes): number | null {
  const absolute = Y.createAbsolutePositionFromRelativePosition(relative, doc);
  if (!absolute) return null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let type = absolute.type as Y.AbstractType<any>;
  let pos: number;
  if (type instanceof Y.XmlText) {
    pos = absolute.index;
  } else if (type instanceof Y.XmlElement || type instanceof Y.XmlFragment) {
    pos = 0;
    const children = type.toArray() as Child[];
    for (let i = 0; i < absolute.index && i < children.length; i++) pos += sizes.of(children[i]!);
  } else {
    return null;
  }
  while (type !== body) {
    const item = type._item;
    if (!item || item.deleted) return null;
    const parent = item.parent;
    if (!(parent instanceof Y.XmlElement || parent instanceof Y.XmlFragment)) return null;
    let offset = 0;
    for (const sibling of parent.toArray()) {
      if (sibling === type) break;
      offset += sizes.of(sibling as Child);
    }
    pos += offset + (type instanceof Y.XmlElement ? 1 : 0);
    type = parent;
  }
  return pos;
}

/**
 * Anchors the body range [from, to) (ProseMirror positions). Null when the range is empty or
 * outside the body.
 */
export function createAnchor(doc: Y.Doc, range: BodyRange, options: AnchorOptions = {}): BodyAnchor | null {
  if (!(range.from < range.to) || range.from < 0) return null;
  const body = getBody(doc);
  const sizes = new Sizes(options.isLeaf ?? defaultIsLeaf);
  const start = relativeAt(body, range.from, 0, sizes);
  const end = relativeAt(body, range.to, -1, sizes);
  if (!start || !end) return null;
  return { start: toBase64(Y.encodeRelativePosition(start)), end: toBase64(Y.encodeRelativePosition(end)) };
}

/** Decodes an anchor's ends; null for anything that is not two valid relative positions. */
function decode(anchor: BodyAnchor): [Y.RelativePosition, Y.RelativePosition] | null {
  try {
    return [Y.decodeRelativePosition(fromBase64(anchor.start)), Y.decodeRelativePosition(fromBase64(anchor.end))];
  } catch {
    return null;
  }
}

/** Is this a well-formed anchor (two decodable relative positions)? For validating input. */
export function isValidAnchor(anchor: BodyAnchor): boolean {
  return decode(anchor) !== null;
}

/**
 * Where the anchored text is now, or null when it was deleted (or the anchor belongs to
 * content this doc has not seen).
 */
export function resolveAnchor(doc: Y.Doc, anchor: BodyAnchor, options: AnchorOptions = {}): BodyRange | null {
  return resolveAnchors(doc, [anchor], options)[0] ?? null;
}

/** resolveAnchor for many anchors at once, sharing one size computation. */
export function resolveAnchors(doc: Y.Doc, anchors: readonly BodyAnchor[], options: AnchorOptions = {}): Array<BodyRange | null> {
  const body = getBody(doc);
  const sizes = new Sizes(options.isLeaf ?? defaultIsLeaf);
  return anchors.map((anchor) => {
    const ends = decode(anchor);
    if (!ends) return null;
    const from = absoluteOf(doc, body, ends[0], sizes);
    const to = absoluteOf(doc, body, ends[1], sizes);
    if (from === null || to === null || !(from < to)) return null;
    return { from, to };
  });
}

/** The ProseMirror size of the body's content (what `editor.state.doc.content.size` reports). */
export function bodySize(doc: Y.Doc, options: AnchorOptions = {}): number {
  return new Sizes(options.isLeaf ?? defaultIsLeaf).content(getBody(doc));
}

interface TextRun {
  pos: number;
  text: string;
  block: Container;
}

function textOf(text: Y.XmlText): string {
  return (text.toDelta() as Array<{ insert: unknown }>).map((op) => (typeof op.insert === 'string' ? op.insert : '\ufffc')).join('');
}

/** Every text run of the body with its ProseMirror position and its block. */
function textRuns(doc: Y.Doc, sizes: Sizes): TextRun[] {
  const runs: TextRun[] = [];
  const walk = (container: Container, start: number) => {
    let pos = start;
    for (const child of container.toArray() as Child[]) {
      if (child instanceof Y.XmlText) runs.push({ pos, text: textOf(child), block: container });
      else if (sizes.of(child) > 1) walk(child, pos + 1);
      else if (child.nodeName === 'hardBreak') runs.push({ pos, text: '\n', block: container });
      pos += sizes.of(child);
    }
  };
  walk(getBody(doc), 0);
  return runs;
}

/** The body's text between two ProseMirror positions; blocks are separated by a newline. */
export function bodyTextBetween(doc: Y.Doc, range: BodyRange, options: AnchorOptions = {}): string {
  const sizes = new Sizes(options.isLeaf ?? defaultIsLeaf);
  let out = '';
  let lastBlock: Container | null = null;
  for (const run of textRuns(doc, sizes)) {
    const from = Math.max(range.from, run.pos);
    const to = Math.min(range.to, run.pos + run.text.length);
    if (from >= to) continue;
    if (lastBlock && lastBlock !== run.block) out += '\n';
    out += run.text.slice(from - run.pos, to - run.pos);
    lastBlock = run.block;
  }
  return out;
}

/** The range of the first occurrence of `needle` within one text run of the body, or null. */
export function findInBody(doc: Y.Doc, needle: string, options: AnchorOptions = {}): BodyRange | null {
  if (!needle) return null;
  for (const run of textRuns(doc, new Sizes(options.isLeaf ?? defaultIsLeaf))) {
    const at = run.text.indexOf(needle);
    if (at >= 0) return { from: run.pos + at, to: run.pos + at + needle.length };
  }
  return null;
}
