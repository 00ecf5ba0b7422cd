import { useEffect, useState, type ReactNode } from 'react';
import { useEditorState, type Editor } from '@tiptap/react';
import { LinkPopover } from './LinkPopover.tsx';

interface ButtonSpec {
  label: string;
  shortcut?: string;
  icon: ReactNode;
  active?: boolean;
  disabled?: boolean;
  run: () => void;
}

function ToolButton({ spec }: { spec: ButtonSpec }) {
  const title = spec.shortcut ? `${spec.label} (${spec.shortcut})` : spec.label;
  return (
    <button
      type="button"
      className="tool"
      aria-label={spec.label}
      title={title}
      aria-pressed={spec.active === undefined ? undefined : spec.active}
      disabled={spec.disabled}
      // Keep the editor's selection: a toolbar click must not steal focus first.
      onMouseDown={(e) => e.preventDefault()}
      onClick={spec.run}
    >
      {spec.icon}
    </button>
  );
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const mod = isMac ? '⌘' : 'Ctrl+';

export function Toolbar({ editor, readOnly }: { editor: Editor; readOnly: boolean }) {
  const [linkOpen, setLinkOpen] = useState(false);
  const s = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      h2: e.isActive('heading', { level: 2 }),
      h3: e.isActive('heading', { level: 3 }),
      bullet: e.isActive('bulletList'),
      ordered: e.isActive('orderedList'),
      quote: e.isActive('blockquote'),
      link: e.isActive('link'),
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
    }),
  });

  // Ctrl/⌘+K opens the link popover, as in every editor.
  useEffect(() => {
    const dom = editor.view.dom;
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'k' && editor.isEditable) {
        e.preventDefault();
        setLinkOpen(true);
      }
    };
    dom.addEventListener('keydown', onKey);
    return () => dom.removeEventListener('keydown', onKey);
  }, [editor]);

  const off = readOnly;
  const groups: ButtonSpec[][] = [
    [
      { label: 'Bold', shortcut: `${mod}B`, icon: <b>B</b>, active: s.bold, disabled: off, run: () => editor.chain().focus().toggleBold().run() },
      { label: 'Italic', shortcut: `${mod}I`, icon: <i>I</i>, active: s.italic, disabled: off, run: () => editor.chain().focus().toggleItalic().run() },
    ],
    [
      { label: 'Heading 2', icon: <span className="tool__text">H2</span>, active: s.h2, disabled: off, run: () => editor.chain().focus().toggleHeading({ level: 2 }).run() },
      { label: 'Heading 3', icon: <span className="tool__text">H3</span>, active: s.h3, disabled: off, run: () => editor.chain().focus().toggleHeading({ level: 3 }).run() },
    ],
    [
      { label: 'Bullet list', icon: <BulletIcon />, active: s.bullet, disabled: off, run: () => editor.chain().focus().toggleBulletList().run() },
      { label: 'Numbered list', icon: <NumberedIcon />, active: s.ordered, disabled: off, run: () => editor.chain().focus().toggleOrderedList().run() },
      { label: 'Quote', icon: <QuoteIcon />, active: s.quote, disabled: off, run: () => editor.chain().focus().toggleBlockquote().run() },
      { label: 'Link', shortcut: `${mod}K`, icon: <LinkIcon />, active: s.link, disabled: off, run: () => setLinkOpen(true) },
    ],
    [
      { label: 'Undo', shortcut: `${mod}Z`, icon: <UndoIcon />, disabled: off || !s.canUndo, run: () => editor.chain().focus().undo().run() },
      { label: 'Redo', shortcut: isMac ? '⇧⌘Z' : 'Ctrl+Shift+Z', icon: <UndoIcon flip />, disabled: off || !s.canRedo, run: () => editor.chain().focus().redo().run() },
    ],
  ];

  return (
    <div className="toolbar-wrap">
      <div className="toolbar" role="toolbar" aria-label="Formatting" aria-controls="article-body">
        {groups.map((group, i) => (
          <div className="toolbar__group" key={i}>
            {group.map((spec) => (
              <ToolButton key={spec.label} spec={spec} />
            ))}
          </div>
        ))}
      </div>
      {linkOpen && !readOnly && <LinkPopover editor={editor} onClose={() => setLinkOpen(false)} />}
    </div>
  );
}

const svg = { width: 18, height: 18, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 2, strokeLinecap: 'round', strokeLinejoin: 'round', 'aria-hidden': true, focusable: false } as const;

function BulletIcon() {
  return (
    <svg {...svg}>
      <line x1="9" y1="6" x2="20" y2="6" />
      <line x1="9" y1="12" x2="20" y2="12" />
      <line x1="9" y1="18" x2="20" y2="18" />
      <circle cx="4.5" cy="6" r="1" fill="currentColor" />
      <circle cx="4.5" cy="12" r="1" fill="currentColor" />
      <circle cx="4.5" cy="18" r="1" fill="currentColor" />
    </svg>
  );
}
function NumberedIcon() {
  return (
    <svg {...svg}>
      <line x1="10" y1="6" x2="20" y2="6" />
      <line x1="10" y1="12" x2="20" y2="12" />
      <line x1="10" y1="18" x2="20" y2="18" />
      <path d="M4 5h1v4M4 9h2" strokeWidth={1.6} />
      <path d="M4 14h2l-2 3h2" strokeWidth={1.6} />
    </svg>
  );
}
function QuoteIcon() {
  return (
    <svg {...svg} fill="currentColor" stroke="none">
      <path d="M9.6 6.2C6.4 7.6 4.5 10.2 4.5 13.6c0 2.4 1.4 4.1 3.4 4.1 1.7 0 3-1.3 3-3 0-1.6-1.1-2.8-2.7-2.8-.3 0-.6 0-.8.1.3-1.7 1.6-3.3 3.2-4.3l-1-1.5Zm8.5 0c-3.2 1.4-5.1 4-5.1 7.4 0 2.4 1.4 4.1 3.4 4.1 1.7 0 3-1.3 3-3 0-1.6-1.1-2.8-2.7-2.8-.3 0-.6 0-.8.1.3-1.7 1.6-3.3 3.2-4.3l-1-1.5Z" />
    </svg>
  );
}
function LinkIcon() {
  return (
    <svg {...svg}>
      <path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1" />
      <path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />
    </svg>
  );
}
function UndoIcon({ flip = false }: { flip?: boolean }) {
  return (
    <svg {...svg} style={flip ? { transform: 'scaleX(-1)' } : undefined}>
      <path d="M9 14 4 9l5-5" />
      <path d="M4 9h10a6 6 0 0 1 0 12h-3" />
    </svg>
  );
}
