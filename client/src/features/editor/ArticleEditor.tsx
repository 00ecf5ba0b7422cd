import { useEffect, useState } from 'react';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import Link from '@tiptap/extension-link';
import { BODY, DEK, HEADLINE, getMetaText, wordCount } from '@copydesk/article-doc';
import { useYText } from '../../collab/useYText.ts';
import { useAutoGrow } from '../../lib/autoGrow.ts';
import type { AwarenessUser } from '../../collab/awarenessUser.ts';
import { Toolbar } from './Toolbar.tsx';
import { isSafeLink } from './links.ts';
import { AuthorHighlight, setAuthorHighlight } from '../presence/authorHighlight.ts';
import { EditorialHighlights } from '../comments/editorial/EditorialHighlights.ts';

const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ');

interface Props {
  doc: Y.Doc;
  provider: WebsocketProvider;
  me: AwarenessUser;
  readOnly: boolean;
  onHeadline?: (headline: string) => void;
  /** Colour the body by author. */
  showAuthors?: boolean;
}

/** Body word count, recomputed at most once per frame as the shared body changes. */
function useWordCount(doc: Y.Doc): number {
  const [count, setCount] = useState(() => wordCount(doc));
  useEffect(() => {
    let frame = 0;
    const onUpdate = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setCount(wordCount(doc));
      });
    };
    setCount(wordCount(doc));
    doc.on('update', onUpdate);
    return () => {
      doc.off('update', onUpdate);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [doc]);
  return count;
}

/** Headline, dek and body of one article, bound to its Y.Doc. Mounted only once the doc holds the article. */
export function ArticleEditor({ doc, provider, me, readOnly, onHeadline, showAuthors = false }: Props) {
  // The server creates these Y.Texts with the article; the page mounts us only once they exist.
  const headlineText = getMetaText(doc, HEADLINE);
  const dekText = getMetaText(doc, DEK);
  const headline = useYText<HTMLTextAreaElement>(headlineText, {
    normalize: oneLine,
    onText: (value) => {
      growHeadline();
      onHeadline?.(value);
    },
  });
  const dek = useYText<HTMLTextAreaElement>(dekText, { onText: () => growDek() });
  const growHeadline = useAutoGrow(headline.ref);
  const growDek = useAutoGrow(dek.ref);
  const words = useWordCount(doc);

  const editor = useEditor(
    {
      extensions: [
        StarterKit.configure({
          // Collaboration brings Yjs undo (each writer undoes only their own changes).
          undoRedo: false,
          // A trailing empty paragraph that every client appends on its own duplicates under Yjs.
          trailingNode: false,
          heading: { levels: [2, 3] },
          link: false,
        }),
        // Tiptap makes the link mark inclusive when autolink is on: text typed right after a link
        // would join it. Links end where they end, as in every word processor.
        Link.extend({ inclusive: () => false }).configure({
          openOnClick: false,
          autolink: true,
          defaultProtocol: 'https',
          isAllowedUri: (url) => isSafeLink(url),
          HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: null },
        }),
        Collaboration.configure({ document: doc, field: BODY }),
        CollaborationCaret.configure({ provider, user: me }),
        EditorialHighlights.configure({ doc, articleId: provider.roomname }),
        AuthorHighlight.configure({ doc }),
      ],
      editable: !readOnly,
      shouldRerenderOnTransaction: false,
      editorProps: {
        // Keep the caret clear of the sticky top bar and the fixed word-count footer when typing scrolls the page.
        scrollThreshold: { top: 80, bottom: 72, left: 0, right: 0 },
        scrollMargin: { top: 96, bottom: 88, left: 0, right: 0 },
        attributes: {
          id: 'article-body',
          class: 'body-editor',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': 'Article body',
          'data-presence-section': 'body',
          spellcheck: 'true',
        },
      },
    },
    [doc, provider],
  );

  useEffect(() => {
    if (editor && !editor.isDestroyed && editor.isEditable === readOnly) editor.setEditable(!readOnly);
    // The pointer says so too: a "not allowed" cursor with a tooltip over a read-only body.
    if (editor && !editor.isDestroyed) editor.view.dom.title = readOnly ? 'Read-only: this story cannot be changed right now' : '';
  }, [editor, readOnly]);

  // Keep our awareness identity in sync if the display name changes.
  useEffect(() => {
    if (editor && !editor.isDestroyed) editor.commands.updateUser(me);
  }, [editor, me]);

  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    const apply = () => setAuthorHighlight(editor.view, showAuthors);
    if (editor.isInitialized) return apply();
    editor.on('create', apply);
    return () => void editor.off('create', apply);
  }, [editor, showAuthors]);

  return (
    <div className="article-editor">
      <div className="article-editor__toolbar">{editor && <Toolbar editor={editor} readOnly={readOnly} />}</div>
      <article className="column">
        <textarea
          ref={headline.ref}
          className="headline-input"
          aria-label="Headline"
          data-presence-section="headline"
          placeholder="Headline"
          rows={1}
          spellCheck
          readOnly={readOnly}
          onChange={headline.onChange}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              (document.getElementById('article-dek') as HTMLTextAreaElement | null)?.focus();
              return;
            }
            headline.onKeyDown(e);
          }}
        />
        <textarea
          ref={dek.ref}
          id="article-dek"
          className="dek-input"
          aria-label="Dek"
          data-presence-section="dek"
          placeholder="Dek — one or two sentences that sell the story"
          rows={1}
          spellCheck
          readOnly={readOnly}
          onChange={dek.onChange}
          onKeyDown={dek.onKeyDown}
        />
        <hr className="rule" aria-hidden="true" />
        <EditorContent editor={editor} className="body-editor-wrap" />
      </article>
      <footer className="editor-footer">
        <div className="editor-footer__inner">
          <span data-testid="word-count">
            {words} {words === 1 ? 'word' : 'words'}
          </span>
          {readOnly && <span className="muted">Read-only</span>}
        </div>
      </footer>
    </div>
  );
}
