import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import type * as Y from 'yjs';
import { bodySize, getBody, resolveAnchors, type BodyRange } from '@copydesk/article-doc';
import { editorialStore, type EditorialStore } from './store.ts';

export interface EditorialHighlightsOptions {
  /** The article's Y.Doc (the one Collaboration edits). */
  doc: Y.Doc | null;
  articleId: string;
}

const key = new PluginKey<DecorationSet>('editorialHighlights');

/**
 * Editorial comments in the body: highlights every open thread's anchored text (resolved from its
 * Yjs relative positions, so it follows the words through everyone's edits), shows a "Comment"
 * button on a selection (and Mod-Alt-M), and opens a thread when its highlight is clicked.
 */
export const EditorialHighlights = Extension.create<EditorialHighlightsOptions>({
  name: 'editorialHighlights',

  addOptions() {
    return { doc: null, articleId: '' };
  },

  addKeyboardShortcuts() {
    return {
      'Mod-Alt-m': () => (this.options.articleId ? editorialStore(this.options.articleId).startDraft() : false),
    };
  },

  addProseMirrorPlugins() {
    const { doc, articleId } = this.options;
    const editor = this.editor;
    if (!doc || !articleId) return [];
    return [
      new Plugin<DecorationSet>({
        key,
        state: {
          init: () => DecorationSet.empty,
          apply(tr, set) {
            const next = tr.getMeta(key) as DecorationSet | undefined;
            return next ?? set.map(tr.mapping, tr.doc);
          },
        },
        props: {
          decorations: (state) => key.getState(state),
          handleClick(view, pos) {
            const hit = key.getState(view.state)?.find(pos, pos)[0];
            const id = (hit?.spec as { id?: string } | undefined)?.id;
            if (id) {
              const store = editorialStore(articleId);
              store.setActive(id);
              store.requestOpen();
            }
            return false;
          },
        },
        view(view) {
          const store = editorialStore(articleId);
          const release = store.retain();
          const isLeaf = (name: string) => view.state.schema.nodes[name]?.isLeaf ?? false;
          const button = new CommentButton(view, store);
          const detach = store.attachEditor(editor, doc, isLeaf, button.selection);
          let frame = 0;
          let misses = 0;

          const recompute = () => {
            frame = 0;
            if ((view as EditorView & { isDestroyed?: boolean }).isDestroyed) return;
            // Local edits reach the Y.Doc in the same tick and remote ones reach ProseMirror in the
            // same transaction, so the two agree by now; if not (yet), try again next frame.
            if (bodySize(doc, { isLeaf }) !== view.state.doc.content.size && misses++ < 5) {
              schedule();
              return;
            }
            misses = 0;
            const threads = store.anchored();
            const ranges = resolveAnchors(
              doc,
              threads.map((t) => t.anchor),
              { isLeaf },
            );
            const byId = new Map<string, BodyRange | null>();
            const active = store.activeId();
            const size = view.state.doc.content.size;
            const decorations: Decoration[] = [];
            threads.forEach((thread, i) => {
              const range = ranges[i] ?? null;
              byId.set(thread.id, range);
              if (!range || thread.resolved || range.to > size) return;
              decorations.push(
                Decoration.inline(
                  range.from,
                  range.to,
                  { class: `editorial-highlight${thread.id === active ? ' editorial-highlight--active' : ''}`, 'data-comment-id': thread.id },
                  { id: thread.id, inclusiveStart: false, inclusiveEnd: false },
                ),
              );
            });
            store.setRanges(byId);
            view.dispatch(view.state.tr.setMeta(key, DecorationSet.create(view.state.doc, decorations)).setMeta('addToHistory', false));
          };
          const schedule = () => {
            if (!frame) frame = requestAnimationFrame(recompute);
          };

          const body = getBody(doc);
          body.observeDeep(schedule);
          const unsubscribe = store.subscribe(schedule);
          schedule();
          return {
            update(view: EditorView, previous: EditorState) {
              if (!view.state.selection.eq(previous.selection) || !view.state.doc.eq(previous.doc)) button.update();
            },
            destroy() {
              if (frame) cancelAnimationFrame(frame);
              body.unobserveDeep(schedule);
              unsubscribe();
              button.destroy();
              detach();
              release();
            },
          };
        },
      }),
    ];
  },
});

/**
 * A small "Comment" button beside a non-empty selection (its mousedown is cancelled, so the
 * selection stays). It follows the DOM selection, so it also works in a read-only editor: writers
 * comment on approved and published stories they can no longer edit.
 */
class CommentButton {
  private readonly element: HTMLButtonElement;

  constructor(
    private readonly view: EditorView,
    private readonly store: EditorialStore,
  ) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'editorial-add';
    button.textContent = 'Comment';
    button.title = 'Comment on the selected text (Ctrl+Alt+M)';
    button.setAttribute('aria-label', 'Comment on the selected text');
    button.hidden = true;
    button.addEventListener('mousedown', (event) => event.preventDefault());
    button.addEventListener('click', () => {
      this.store.startDraft();
      this.hide();
    });
    document.body.appendChild(button);
    this.element = button;
    document.addEventListener('selectionchange', this.update);
  }

  /** The selected body range: the editor's own selection, or (read-only editors) the page's. */
  selection = (): BodyRange | null => {
    const { selection } = this.view.state;
    if (!selection.empty && this.view.hasFocus()) return { from: selection.from, to: selection.to };
    const dom = this.domRange();
    if (!dom) return null;
    try {
      const from = this.view.posAtDOM(dom.startContainer, dom.startOffset);
      const to = this.view.posAtDOM(dom.endContainer, dom.endOffset);
      return from < to ? { from, to } : null;
    } catch {
      return null;
    }
  };

  private domRange(): Range | null {
    const selection = this.view.dom.ownerDocument.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    return this.view.dom.contains(range.startContainer) && this.view.dom.contains(range.endContainer) ? range : null;
  }

  update = () => {
    const range = this.selection();
    this.store.setCanComment(range !== null);
    const dom = this.domRange();
    if (!range || !dom) return this.hide();
    const rects = dom.getClientRects();
    const last = rects[rects.length - 1] ?? dom.getBoundingClientRect();
    const first = rects[0] ?? last;
    const box = this.view.dom.getBoundingClientRect();
    this.element.hidden = false;
    this.element.style.top = `${first.top + window.scrollY - 40}px`;
    this.element.style.left = `${Math.min(Math.max(last.right - 40, box.left), box.right - 90) + window.scrollX}px`;
  };

  hide() {
    this.element.hidden = true;
  }

  destroy() {
    document.removeEventListener('selectionchange', this.update);
    this.element.remove();
  }
}
