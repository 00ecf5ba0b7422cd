import { escapeHtml } from '@copydesk/article-doc';
import type { PublishedRecord } from '../../storage/store.ts';

/** Server-rendered reader pages. Every user string goes through escapeHtml; the body HTML was sanitized at publish. */

const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
const formatDate = (iso: string) => `${dateFormat.format(new Date(iso))} UTC`;

function layout(opts: { title: string; description: string; canonical: string | null; og?: Record<string, string>; body: string; head?: string }): string {
  const og = Object.entries(opts.og ?? {})
    .map(([property, content]) => `<meta property="${escapeHtml(property)}" content="${escapeHtml(content)}">`)
    .join('\n    ');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(opts.title)}</title>
    <meta name="description" content="${escapeHtml(opts.description)}">
    ${opts.canonical ? `<link rel="canonical" href="${escapeHtml(opts.canonical)}">` : ''}
    ${og}
    <link rel="stylesheet" href="/news-assets/reader.css">
    ${opts.head ?? ''}
  </head>
  <body>
    <header class="masthead"><a href="/news" class="brand">Copydesk <span>News</span></a></header>
    <main>${opts.body}</main>
    <footer class="colophon">Published with Copydesk</footer>
  </body>
</html>`;
}

/** `comments`: the server-rendered comments section (no-JS fallback); `head`: the live comments script and styles. */
export function renderArticlePage(page: PublishedRecord, publicUrl: string | null, extras: { comments?: string; head?: string } = {}): string {
  const url = publicUrl ? `${publicUrl.replace(/\/$/, '')}/news/${encodeURIComponent(page.slug)}` : null;
  const description = page.dek || page.text.slice(0, 160);
  if (page.killed) {
    return layout({
      title: `Withdrawn — Copydesk News`,
      description: 'This article has been withdrawn.',
      canonical: url,
      body: `<article class="story withdrawn">
        <p class="kicker">${escapeHtml(page.section)}</p>
        <h1>This article has been withdrawn</h1>
        <p class="notice" role="note"><strong>Withdrawn ${escapeHtml(formatDate(page.killed.at))}.</strong> ${escapeHtml(page.killed.reason)}</p>
      </article>`,
    });
  }
  const corrections = page.corrections.length
    ? `<aside class="corrections" aria-label="Corrections"><h2>Corrections</h2><ul>${page.corrections
        .map((c) => `<li><time datetime="${escapeHtml(c.at)}">${escapeHtml(formatDate(c.at))}</time> ${escapeHtml(c.note)}</li>`)
        .join('')}</ul></aside>`
    : '';
  const updated = page.updatedAt !== page.firstPublishedAt ? ` · Updated <time datetime="${escapeHtml(page.updatedAt)}">${escapeHtml(formatDate(page.updatedAt))}</time>` : '';
  return layout({
    title: `${page.headline} — Copydesk News`,
    description,
    canonical: url,
    og: {
      'og:type': 'article',
      'og:title': page.headline,
      'og:description': description,
      ...(url ? { 'og:url': url } : {}),
      'article:published_time': page.firstPublishedAt,
      'article:section': page.section,
    },
    body: `<article class="story" data-article-id="${escapeHtml(page.articleId)}">
      <p class="kicker">${escapeHtml(page.section)}</p>
      <h1>${escapeHtml(page.headline)}</h1>
      ${page.dek ? `<p class="dek">${escapeHtml(page.dek)}</p>` : ''}
      <p class="byline">By ${escapeHtml(joinNames(page.bylineNames))} · <time datetime="${escapeHtml(page.firstPublishedAt)}">${escapeHtml(formatDate(page.firstPublishedAt))}</time>${updated}</p>
      <div class="story-body">${page.html}</div>
      ${corrections}
    </article>
    <section id="comments" class="comments" data-article-id="${escapeHtml(page.articleId)}" aria-label="Comments">${extras.comments ?? ''}</section>`,
    head: extras.head,
  });
}

export function renderIndexPage(pages: PublishedRecord[]): string {
  const items = pages
    .filter((p) => !p.killed)
    .map(
      (p) => `<li><article>
        <p class="kicker">${escapeHtml(p.section)}</p>
        <h2><a href="/news/${encodeURIComponent(p.slug)}">${escapeHtml(p.headline)}</a></h2>
        ${p.dek ? `<p class="dek">${escapeHtml(p.dek)}</p>` : ''}
        <p class="byline">By ${escapeHtml(joinNames(p.bylineNames))} · <time datetime="${escapeHtml(p.firstPublishedAt)}">${escapeHtml(formatDate(p.firstPublishedAt))}</time></p>
      </article></li>`,
    )
    .join('');
  return layout({
    title: 'Latest news — Copydesk News',
    description: 'The latest published stories.',
    canonical: null,
    body: `<h1 class="index-title">Latest news</h1>${items ? `<ol class="story-list">${items}</ol>` : '<p class="empty">Nothing published yet.</p>'}`,
  });
}

export function renderNotFoundPage(): string {
  return layout({ title: 'Not found — Copydesk News', description: 'No such story.', canonical: null, body: '<h1>We could not find that story</h1><p><a href="/news">See the latest news</a></p>' });
}

function joinNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? 'Staff';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
