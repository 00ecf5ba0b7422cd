import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { countWords, escapeHtml, renderBodyHtml, renderBodyText, safeHref, wordCount } from './render.ts';
import { getBody } from './shape.ts';

/*
 * Bodies are built the way y-prosemirror (Tiptap's Collaboration extension) stores them:
 * nodes are Y.XmlElements named after the node type, node attributes are element attributes
 * (e.g. heading `level`, a number), text is Y.XmlText, and marks are text format attributes
 * (`{ bold: {} }`, `{ link: { href } }`), passed explicitly with every insert.
 */
type Marks = Record<string, unknown>;
type Run = string | { text: string; marks: Marks };
type Spec = { el: string; attrs?: Record<string, unknown>; children?: Spec[] } | { runs: Run[] };

const el = (name: string, attrs: Record<string, unknown>, ...children: Spec[]): Spec => ({ el: name, attrs, children });
const txt = (...runs: Run[]): Spec => ({ runs });
const p = (...runs: Run[]): Spec => el('paragraph', {}, txt(...runs));
const h = (level: unknown, ...runs: Run[]): Spec => el('heading', { level }, txt(...runs));
const quote = (...children: Spec[]): Spec => el('blockquote', {}, ...children);
const ul = (...items: Spec[]): Spec => el('bulletList', {}, ...items);
const ol = (...items: Spec[]): Spec => el('orderedList', { start: 1 }, ...items);
const li = (...children: Spec[]): Spec => el('listItem', {}, ...children);
const br: Spec = el('hardBreak', {});
const hr: Spec = el('horizontalRule', {});
const marked = (text: string, marks: Marks): Run => ({ text, marks });
const bold = (text: string) => marked(text, { bold: {} });
const italic = (text: string) => marked(text, { italic: {} });
const link = (href: unknown, text: string) => marked(text, { link: { href, target: '_blank' } });

function insert(parent: Y.XmlFragment | Y.XmlElement, spec: Spec): void {
  if ('runs' in spec) {
    const text = new Y.XmlText();
    parent.insert(parent.length, [text]);
    for (const run of spec.runs) {
      // Like y-prosemirror, always pass the attributes: without them Yjs continues the preceding run's marks.
      if (typeof run === 'string') text.insert(text.length, run, {});
      else text.insert(text.length, run.text, { ...run.marks });
    }
    return;
  }
  const element = new Y.XmlElement(spec.el);
  parent.insert(parent.length, [element]);
  for (const [key, value] of Object.entries(spec.attrs ?? {})) element.setAttribute(key, value as string);
  for (const child of spec.children ?? []) insert(element, child);
}

function docWith(...blocks: Spec[]): Y.Doc {
  const doc = new Y.Doc();
  for (const block of blocks) insert(getBody(doc), block);
  return doc;
}

const html = (...blocks: Spec[]) => renderBodyHtml(docWith(...blocks));
const text = (...blocks: Spec[]) => renderBodyText(docWith(...blocks));

const REL = 'rel="noopener noreferrer nofollow"';

/** Inverse of escapeHtml (`&amp;` last, so `&amp;lt;` stays `&lt;`). */
function unescapeHtml(value: string): string {
  return value
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('renderBodyText', () => {
  it('is empty for an empty body', () => {
    expect(renderBodyText(new Y.Doc())).toBe('');
  });

  it('separates top-level blocks with a blank line', () => {
    expect(text(p('First.'), p('Second.'), p('Third.'))).toBe('First.\n\nSecond.\n\nThird.');
  });

  it('ignores marks and keeps the text of every run', () => {
    expect(text(p('Plain ', bold('bold'), ' and ', italic('italic'), ' and ', link('https://example.com', 'a link'), '.'))).toBe(
      'Plain bold and italic and a link.',
    );
  });

  it('renders headings as their text', () => {
    expect(text(h(2, 'Subhead'), p('Body.'))).toBe('Subhead\n\nBody.');
  });

  it('puts each paragraph of a blockquote on its own line', () => {
    expect(text(quote(p('Line one.'), p('Line two.')), p('After.'))).toBe('Line one.\nLine two.\n\nAfter.');
  });

  it('puts each list item on its own line, nested lists included', () => {
    const list = ul(li(p('Apples')), li(p('Pears'), ul(li(p('Conference')), li(p('Williams')))), li(p('Plums')));
    expect(text(list)).toBe('Apples\nPears\nConference\nWilliams\nPlums');
    expect(text(ol(li(p('One')), li(p('Two'))))).toBe('One\nTwo');
  });

  it('turns a hard break into a newline', () => {
    expect(text(el('paragraph', {}, txt('Line'), br, txt('break')))).toBe('Line\nbreak');
  });

  it('skips empty blocks and trims whitespace around blocks', () => {
    expect(text(p(''), p('  Padded  '), el('paragraph', {}), hr, p('End'))).toBe('Padded\n\nEnd');
  });

  it('keeps the text of unknown elements', () => {
    expect(text(el('callout', {}, p('Inside a callout.')))).toBe('Inside a callout.');
  });
});

describe('countWords', () => {
  it.each([
    ['', 0],
    ['   \n\t  ', 0],
    ['... !!! ?? — – - \'', 0],
    ['Hello', 1],
    ['Hello, world!', 2],
    ['  spaced   out\nover\tlines ', 4],
    ['End.Start', 2],
    ['yes—no', 2],
    ['rock - roll', 2],
  ])('counts punctuation and whitespace as separators: %j → %i', (input, expected) => {
    expect(countWords(input)).toBe(expected);
  });

  it.each([
    ["don't", 1],
    ['it’s', 1],
    ["the writers' room", 3],
    ["'quoted'", 1],
    ['well-known', 1],
    ['state-of-the-art design', 2],
    ['double--hyphen', 2],
  ])('keeps inner apostrophes and hyphens inside a word: %j → %i', (input, expected) => {
    expect(countWords(input)).toBe(expected);
  });

  it.each([
    ['In 2024 there were 42 votes', 6],
    ['COVID-19', 1],
    ['7 of 10', 3],
  ])('counts numbers as words: %j → %i', (input, expected) => {
    expect(countWords(input)).toBe(expected);
  });

  it.each([
    ['Zürich', 1],
    ['Zu\u0308rich', 1], // decomposed (NFD): u + combining diaeresis
    ['Zürich, Genève und Kraków', 4],
    ['Москва и Киев', 3],
    ['Ελλάδα', 1],
    ['हिन्दी भाषा', 2], // Devanagari vowel signs and virama are combining marks
    ['naïve café', 2],
  ])('counts words in any script: %j → %i', (input, expected) => {
    expect(countWords(input)).toBe(expected);
  });
});

describe('wordCount', () => {
  it('is 0 for an empty body', () => {
    expect(wordCount(new Y.Doc())).toBe(0);
  });

  it('counts the words of all blocks without gluing words across block boundaries', () => {
    const doc = docWith(h(2, 'Big news'), p('The council ', bold('voted'), '.'), ul(li(p('one')), li(p('two'))), p('End'));
    expect(wordCount(doc)).toBe(2 + 3 + 2 + 1);
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('round-trips through a simple unescape and leaves no special character behind (property)', () => {
    const tricky = fc.constantFrom('<', '>', '&', '"', "'", '&amp;', '&lt;', '&#39;', '<script>', '\u0000', '😀');
    const input = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.array(fc.oneof(tricky, fc.string()), { maxLength: 10 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(input, (value) => {
        const escaped = escapeHtml(value);
        expect(unescapeHtml(escaped)).toBe(value);
        expect(escaped).not.toMatch(/[<>"']/);
        expect(escaped).not.toMatch(/&(?!(?:amp|lt|gt|quot|#39);)/);
      }),
    );
  });
});

describe('safeHref', () => {
  it.each(['https://example.com/a', 'http://example.com', 'HTTPS://EXAMPLE.COM', 'mailto:desk@example.com', '/articles/1', '#section'])(
    'keeps %j',
    (href) => {
      expect(safeHref(href)).toBe(href);
    },
  );

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    '\tjavascript:alert(1)',
    'java\tscript:alert(1)',
    '\u0001javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    '//evil.example/path',
    '/\\evil.example/path',
    '/\t/evil.example/path',
    'evil.example',
    '',
  ])('drops %j', (href) => {
    expect(safeHref(href)).toBeNull();
  });

  it('drops hrefs that are not strings', () => {
    expect(safeHref(undefined)).toBeNull();
    expect(safeHref(null)).toBeNull();
    expect(safeHref(42)).toBeNull();
    expect(safeHref({ toString: () => 'https://example.com' })).toBeNull();
  });

  it('trims surrounding whitespace', () => {
    expect(safeHref('  https://example.com  ')).toBe('https://example.com');
  });
});

describe('renderBodyHtml', () => {
  it('is empty for an empty body', () => {
    expect(renderBodyHtml(new Y.Doc())).toBe('');
  });

  it('renders paragraphs, blockquotes and lists', () => {
    expect(html(p('One.'), p('Two.'))).toBe('<p>One.</p><p>Two.</p>');
    expect(html(quote(p('Said.')))).toBe('<blockquote><p>Said.</p></blockquote>');
    expect(html(ul(li(p('A')), li(p('B'))))).toBe('<ul><li><p>A</p></li><li><p>B</p></li></ul>');
    expect(html(ol(li(p('A'))))).toBe('<ol><li><p>A</p></li></ol>');
    expect(html(el('codeBlock', { language: 'js' }, txt('x < y')))).toBe('<pre>x &lt; y</pre>');
  });

  it('renders hard breaks and horizontal rules', () => {
    expect(html(el('paragraph', {}, txt('a'), br, txt('b')), hr)).toBe('<p>a<br>b</p><hr>');
  });

  it('escapes markup typed as text, so no tag is injected', () => {
    const out = html(p('<script>alert(1)</script>'), p('<img src=x onerror=alert(1)>'));
    expect(out).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><p>&lt;img src=x onerror=alert(1)&gt;</p>');
    expect(out).not.toMatch(/<script/i);
    expect(out).not.toMatch(/<img/i);
  });

  it('escapes ampersands and quotes in text', () => {
    expect(html(p(`Fish & "chips" 'n' peas`))).toBe('<p>Fish &amp; &quot;chips&quot; &#39;n&#39; peas</p>');
  });

  it('renders bold and italic marks, nested in a fixed order', () => {
    expect(html(p('a ', bold('b'), ' ', italic('c'), ' ', marked('d', { italic: {}, bold: {} })))).toBe(
      '<p>a <strong>b</strong> <em>c</em> <strong><em>d</em></strong></p>',
    );
  });

  it('renders strike, underline and code marks', () => {
    expect(html(p(marked('s', { strike: {} }), marked('u', { underline: {} }), marked('c', { code: {} })))).toBe(
      '<p><s>s</s><u>u</u><code>c</code></p>',
    );
  });

  it('ignores unknown marks and their attributes', () => {
    expect(html(p(marked('hi', { highlight: { color: '"><script>alert(1)</script>' } })))).toBe('<p>hi</p>');
  });

  it('escapes text inside marks', () => {
    expect(html(p(bold('<b>&</b>')))).toBe('<p><strong>&lt;b&gt;&amp;&lt;/b&gt;</strong></p>');
  });

  it('renders https and mailto links with a rel attribute', () => {
    expect(html(p('See ', link('https://example.com/story', 'the story'), '.'))).toBe(
      `<p>See <a href="https://example.com/story" ${REL}>the story</a>.</p>`,
    );
    expect(html(p(link('mailto:desk@example.com', 'Email the desk')))).toBe(
      `<p><a href="mailto:desk@example.com" ${REL}>Email the desk</a></p>`,
    );
  });

  it('wraps marked text inside the link', () => {
    expect(html(p(marked('bold link', { bold: {}, link: { href: 'https://example.com' } })))).toBe(
      `<p><a href="https://example.com" ${REL}><strong>bold link</strong></a></p>`,
    );
  });

  it('escapes ampersands and quotes in hrefs so they cannot break out of the attribute', () => {
    const out = html(p(link('https://example.com/?a=1&b="x" onmouseover="alert(1)', 'x')));
    expect(out).toBe(`<p><a href="https://example.com/?a=1&amp;b=&quot;x&quot; onmouseover=&quot;alert(1)" ${REL}>x</a></p>`);
    expect(out).not.toMatch(/" onmouseover=/);
    expect(html(p(link("https://example.com/'><script>", 'y')))).toBe(
      `<p><a href="https://example.com/&#39;&gt;&lt;script&gt;" ${REL}>y</a></p>`,
    );
  });

  it.each(['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'data:text/html;base64,PHNjcmlwdD4=', 'vbscript:msgbox(1)'])(
    'drops a %j link but keeps its text',
    (href) => {
      const out = html(p('Click ', link(href, 'here'), '!'));
      expect(out).toBe('<p>Click here!</p>');
      expect(out).not.toMatch(/<a/);
    },
  );

  it('keeps the text of a link mark without a usable href', () => {
    expect(html(p(marked('no href', { link: {} })))).toBe('<p>no href</p>');
    expect(html(p(marked('null link', { link: null })))).toBe('<p>null link</p>');
    expect(html(p(marked('string link', { link: 'https://example.com' })))).toBe('<p>string link</p>');
  });

  it('unwraps unknown elements, keeping their children', () => {
    expect(html(el('callout', { kind: 'warning' }, p('Careful.')))).toBe('<p>Careful.</p>');
    expect(html(el('paragraph', {}, el('mention', { id: 'u1' }, txt('@alice')), txt(' said')))).toBe('<p>@alice said</p>');
  });

  it('never emits dangerous element names from the doc as tags', () => {
    const out = html(
      el('script', {}, txt('alert(1)')),
      el('img', { src: 'x', onerror: 'alert(1)' }),
      el('iframe', { src: 'javascript:alert(1)' }, p('framed')),
      el('paragraph', { onclick: 'alert(1)', style: 'color:red' }, txt('attrs dropped')),
    );
    expect(out).toBe('alert(1)<p>framed</p><p>attrs dropped</p>');
  });

  it.each([
    [2, 'h2'],
    [3, 'h3'],
    [4, 'h4'],
    [1, 'h2'],
    [0, 'h2'],
    [-1, 'h2'],
    [5, 'h4'],
    [6, 'h4'],
    ['3', 'h3'],
    [2.5, 'h2'],
    [3.9, 'h3'],
    [undefined, 'h2'],
    ['x', 'h2'],
    ['3 onclick=alert(1)', 'h2'],
  ])('renders a heading of level %j as <%s>', (level, tag) => {
    const spec = level === undefined ? el('heading', {}, txt('Title')) : h(level, 'Title');
    expect(html(spec)).toBe(`<${tag}>Title</${tag}>`);
  });

  it('never emits a "<" that does not start an allowed tag, whatever the text (property)', () => {
    const tricky = fc.constantFrom('<', '>', '&', '"', "'", '</p>', '<script>', '<a href="x">', '&lt;', 'javascript:', '\u0000', '😀');
    const anyText = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.array(fc.oneof(tricky, fc.string()), { maxLength: 8 }).map((parts) => parts.join('')),
    );
    const href = fc.oneof(
      anyText,
      fc.constantFrom('https://example.com', 'mailto:a@b.c', '/path', '#frag', 'javascript:alert(1)', ' data:x', '//evil'),
      anyText.map((s) => `https://example.com/${s}`),
    );
    const marks = fc.record(
      { bold: fc.constant({}), italic: fc.constant({}), strike: fc.constant({}), link: href.map((value) => ({ href: value })) },
      { requiredKeys: [] },
    );
    const run = fc.record({ text: anyText.filter((s) => s.length > 0), marks });
    const allowedTag = new RegExp(`</?(?:p|strong|em|s|u|code)>|<a href="[^"<>]*" ${REL}>|</a>`, 'g');

    fc.assert(
      fc.property(fc.array(run, { minLength: 1, maxLength: 4 }), (runs) => {
        const out = html(el('paragraph', {}, txt(...runs)));
        const withoutTags = out.replace(allowedTag, '');
        expect(withoutTags).not.toMatch(/[<>"]/);
        expect(out.startsWith('<p>') && out.endsWith('</p>')).toBe(true);
        expect(unescapeHtml(withoutTags)).toBe(runs.map((r) => r.text).join(''));
      }),
    );
  });
});
