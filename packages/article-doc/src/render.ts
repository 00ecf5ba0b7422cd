import * as Y from 'yjs';
import { getBody } from './shape.ts';

/** Block-level nodes: their text is separated by blank lines in plain text. */
const BLOCKS = new Set(['paragraph', 'heading', 'blockquote', 'bulletList', 'orderedList', 'listItem', 'codeBlock', 'horizontalRule']);

/** Plain text of the body: one line per block, blank line between top-level blocks. */
export function renderBodyText(doc: Y.Doc): string {
  const blocks: string[] = [];
  for (const node of getBody(doc).toArray()) blocks.push(textOf(node).trim());
  return blocks.filter((b) => b.length > 0).join('\n\n');
}

function textOf(node: Y.XmlElement | Y.XmlText | Y.XmlHook): string {
  if (node instanceof Y.XmlText) return node.toDelta().map((op: { insert: unknown }) => (typeof op.insert === 'string' ? op.insert : '')).join('');
  if (node instanceof Y.XmlElement) {
    if (node.nodeName === 'hardBreak') return '\n';
    const parts = node.toArray().map((child) => textOf(child as Y.XmlElement | Y.XmlText));
    return parts.join(node.toArray().some((c) => c instanceof Y.XmlElement && BLOCKS.has(c.nodeName)) ? '\n' : '');
  }
  return '';
}

/**
 * Words in headline-less body text: runs of letters/digits (with inner apostrophes or hyphens).
 * Combining marks (\p{M}) belong to the letter they follow: decomposed "Zürich", Devanagari vowel signs.
 */
export function countWords(text: string): number {
  const words = text.match(/[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’\-][\p{L}\p{N}][\p{L}\p{M}\p{N}]*)*/gu);
  return words ? words.length : 0;
}

export function wordCount(doc: Y.Doc): number {
  return countWords(renderBodyText(doc));
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

/** Only these URL schemes survive in links; `javascript:`, `data:` and friends are dropped. */
export function safeHref(href: unknown): string | null {
  if (typeof href !== 'string') return null;
  const trimmed = href.trim();
  if (/^(https?:|mailto:)/i.test(trimmed)) return trimmed;
  // Same-site paths and fragments, but not protocol-relative `//host`: browsers also read `/\host`
  // that way and drop tabs/newlines inside URLs (`/\t/host`).
  if (/^[/#]/.test(trimmed) && !/^[/\\]{2}/.test(trimmed.replace(/[\t\n\r]/g, ''))) return trimmed;
  return null;
}

/** Element name in the doc → HTML tag. Anything not listed is unwrapped (its children kept, the element dropped). */
const TAGS: Record<string, string> = {
  paragraph: 'p',
  blockquote: 'blockquote',
  bulletList: 'ul',
  orderedList: 'ol',
  listItem: 'li',
  codeBlock: 'pre',
};

/** Marks in y-prosemirror text attributes → HTML tag, in nesting order (outermost first). */
const MARKS: Array<[string, string]> = [
  ['bold', 'strong'],
  ['italic', 'em'],
  ['strike', 's'],
  ['underline', 'u'],
  ['code', 'code'],
];

/**
 * The body as sanitized HTML. Sanitized by construction: only an allow-list of elements and
 * marks is emitted, every text and attribute is escaped, and links keep only safe schemes.
 */
export function renderBodyHtml(doc: Y.Doc): string {
  return getBody(doc)
    .toArray()
    .map((node) => htmlOf(node as Y.XmlElement | Y.XmlText))
    .join('');
}

function htmlOf(node: Y.XmlElement | Y.XmlText): string {
  if (node instanceof Y.XmlText) return textHtml(node);
  if (!(node instanceof Y.XmlElement)) return '';
  const inner = () => node.toArray().map((child) => htmlOf(child as Y.XmlElement | Y.XmlText)).join('');
  switch (node.nodeName) {
    case 'heading': {
      // Clamped to h2–h4 (h1 is the headline); a non-integer level must not leak into the tag name.
      const level = Math.trunc(Number(node.getAttribute('level')));
      const tag = `h${Number.isFinite(level) ? Math.min(4, Math.max(2, level)) : 2}`;
      return `<${tag}>${inner()}</${tag}>`;
    }
    case 'hardBreak':
      return '<br>';
    case 'horizontalRule':
      return '<hr>';
    default: {
      const tag = TAGS[node.nodeName];
      return tag ? `<${tag}>${inner()}</${tag}>` : inner();
    }
  }
}

function textHtml(text: Y.XmlText): string {
  return text
    .toDelta()
    .map((op: { insert: unknown; attributes?: Record<string, unknown> }) => {
      if (typeof op.insert !== 'string') return '';
      let html = escapeHtml(op.insert);
      const attributes = op.attributes ?? {};
      for (let i = MARKS.length - 1; i >= 0; i--) {
        const [mark, tag] = MARKS[i]!;
        if (attributes[mark]) html = `<${tag}>${html}</${tag}>`;
      }
      const link = attributes.link as { href?: unknown } | undefined;
      const href = link ? safeHref(link.href) : null;
      if (href) html = `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow">${html}</a>`;
      return html;
    })
    .join('');
}
