/** Stylesheet of the server-rendered reader pages (served as a file so the CSP needs no inline styles). */
export const READER_CSS = `
:root { color-scheme: light; --ink: #1b1b1b; --muted: #5f6368; --rule: #e3e3e3; --accent: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fdfcf9; font: 18px/1.65 Georgia, "Source Serif Pro", "Times New Roman", serif; }
a { color: inherit; }
.masthead { border-bottom: 1px solid var(--rule); padding: 14px 24px; background: #fff; }
.brand { font: 700 20px/1 system-ui, -apple-system, "Segoe UI", sans-serif; text-decoration: none; letter-spacing: -0.01em; }
.brand span { color: var(--accent); }
main { max-width: 720px; margin: 0 auto; padding: 40px 24px 64px; }
.kicker { font: 600 13px/1 system-ui, sans-serif; text-transform: uppercase; letter-spacing: .08em; color: var(--accent); margin: 0 0 12px; }
h1 { font-size: 42px; line-height: 1.15; margin: 0 0 16px; letter-spacing: -0.015em; }
.dek { font-size: 21px; color: #3c4043; margin: 0 0 20px; }
.byline { font: 14px/1.4 system-ui, sans-serif; color: var(--muted); border-bottom: 1px solid var(--rule); padding-bottom: 20px; margin-bottom: 28px; }
.story-body blockquote { border-left: 3px solid var(--accent); margin: 24px 0; padding: 4px 0 4px 20px; font-style: italic; }
.story-body h2 { font-size: 26px; margin-top: 36px; }
.corrections { margin-top: 40px; padding: 16px 20px; background: #fff8e1; border: 1px solid #f3e0a6; border-radius: 6px; font: 15px/1.5 system-ui, sans-serif; }
.corrections h2 { font-size: 15px; margin: 0 0 8px; }
.notice { background: #fdecea; border: 1px solid #f5c2bd; padding: 16px 20px; border-radius: 6px; font: 16px/1.5 system-ui, sans-serif; }
.index-title { font-size: 32px; }
.story-list { list-style: none; padding: 0; margin: 0; }
.story-list li { border-bottom: 1px solid var(--rule); padding: 24px 0; }
.story-list h2 { font-size: 26px; margin: 0 0 8px; line-height: 1.2; }
.story-list h2 a { text-decoration: none; }
.story-list h2 a:hover { text-decoration: underline; }
.empty { color: var(--muted); }
.colophon { text-align: center; color: var(--muted); font: 13px system-ui, sans-serif; padding: 24px; border-top: 1px solid var(--rule); }
@media (max-width: 600px) { h1 { font-size: 32px; } body { font-size: 17px; } }
`;
