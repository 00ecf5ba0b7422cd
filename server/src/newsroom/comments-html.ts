import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { escapeHtml } from '@copydesk/article-doc';
import { COMMENT_LINK_REL, commentSegments, type Comment, type CommentMode } from '@copydesk/protocol';

/**
 * The reader page's comments section as server-rendered HTML: the first page of published
 * comments, readable without JavaScript. The live script (the client's `reader-comments` entry)
 * replaces it once it has subscribed. Bodies are plain text: escaped, with http(s) links as <a>.
 */
export function renderCommentBody(body: string): string {
  return commentSegments(body)
    .map((segment) =>
      segment.kind === 'link'
        ? `<a href="${escapeHtml(segment.href)}" rel="${COMMENT_LINK_REL}" target="_blank">${escapeHtml(segment.text)}</a>`
        : escapeHtml(segment.text),
    )
    .join('');
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

function renderComment(comment: Comment, replies: Comment[]): string {
  const replyList = replies.length ? `<ol class="comment-replies">${replies.map((r) => renderComment(r, [])).join('')}</ol>` : '';
  return `<li class="comment" id="comment-${escapeHtml(comment.id)}" data-comment-id="${escapeHtml(comment.id)}">
      <article class="comment__card">
        <header class="comment__meta"><span class="comment__author">${escapeHtml(comment.author.displayName)}</span>
          <time datetime="${escapeHtml(comment.createdAt)}">${escapeHtml(dateFormat.format(new Date(comment.createdAt)))} UTC</time>${comment.editedAt ? ' <span class="comment__edited">(edited)</span>' : ''}</header>
        <p class="comment__body">${renderCommentBody(comment.body)}</p>
      </article>${replyList}
    </li>`;
}

export function renderCommentsSection(input: { comments: Comment[]; count: number; nextCursor: string | null; mode: CommentMode }): string {
  const threads = input.comments.filter((c) => c.parentId === null && c.status === 'published');
  const repliesOf = (id: string) => input.comments.filter((c) => c.parentId === id && c.status === 'published');
  const list = threads.length
    ? `<ol class="comment-list">${threads.map((t) => renderComment(t, repliesOf(t.id))).join('')}</ol>`
    : '<p class="comments__empty">No comments yet.</p>';
  const more = input.nextCursor ? '<p class="comments__more">Older comments are shown with JavaScript turned on.</p>' : '';
  return `<h2 class="comments__title">Comments <span class="comments__count" data-testid="comment-count">${input.count}</span></h2>
    ${list}${more}
    <noscript><p class="comments__hint">Turn on JavaScript to join the conversation and see new comments as they arrive.</p></noscript>`;
}

interface ManifestChunk {
  file: string;
  css?: string[];
  imports?: string[];
  isEntry?: boolean;
}

/** The manifest key of the reader page's script (see client/vite.config.ts). */
export const READER_ENTRY = 'src/features/comments/reader/main.tsx';

let cached: { path: string; mtimeMs: number; tags: string } | null = null;

/**
 * `<script>` and `<link>` tags for the reader page's live comments, read from the built client's
 * Vite manifest (hashed file names; the CSP allows only same-origin scripts, no inline ones).
 * Empty when the client has not been built.
 */
export function readerCommentTags(clientDist: string | undefined): string {
  const dist = resolve(clientDist ?? join(import.meta.dirname, '../../../client/dist'));
  const path = join(dist, '.vite', 'manifest.json');
  if (!existsSync(path)) return '';
  const mtimeMs = statSync(path).mtimeMs;
  if (cached && cached.path === path && cached.mtimeMs === mtimeMs) return cached.tags;
  let tags = '';
  try {
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, ManifestChunk>;
    const entry = manifest[READER_ENTRY];
    if (entry) {
      const css = new Set<string>(entry.css ?? []);
      const preloads: string[] = [];
      const visit = (key: string) => {
        const chunk = manifest[key];
        if (!chunk || preloads.includes(chunk.file)) return;
        preloads.push(chunk.file);
        chunk.css?.forEach((c) => css.add(c));
        chunk.imports?.forEach(visit);
      };
      entry.imports?.forEach(visit);
      tags = [
        ...[...css].map((file) => `<link rel="stylesheet" href="/${escapeHtml(file)}">`),
        ...preloads.map((file) => `<link rel="modulepreload" href="/${escapeHtml(file)}">`),
        `<script type="module" src="/${escapeHtml(entry.file)}"></script>`,
      ].join('\n    ');
    }
  } catch {
    tags = '';
  }
  cached = { path, mtimeMs, tags };
  return tags;
}
