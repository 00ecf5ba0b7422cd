import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { Node as PMNode } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { getBody } from '@copydesk/article-doc';
import { authorResolver, type Author } from './authors.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyType = Y.AbstractType<any>;

interface HighlightState {
  enabled: boolean;
  decorations: DecorationSet;
}

export const authorHighlightKey = new PluginKey<HighlightState>('authorHighlight');

type Meta = { enabled: boolean } | { decorations: DecorationSet };

/** Live children of a Yjs XML type, in order. */
function* children(type: AnyType): Generator<AnyType> {
  for (let item = type._start; item !== null; item = item.right) {
    if (!item.deleted && item.content instanceof Y.ContentType) yield item.content.type;
  }
}

/**
 * Inline decorations colouring each run of body text by the user whose Yjs client id wrote it.
 * Walks the Yjs body and the ProseMirror doc side by side (y-prosemirror keeps them in the same
 * shape); a block whose sizes disagree (mid-sync) is left uncoloured until the next pass.
 */
export function authorDecorations(pmDoc: PMNode, doc: Y.Doc): DecorationSet {
  const resolve = authorResolver(doc);
  const decorations: Decoration[] = [];
  let run: { from: number; to: number; author: Author } | null = null;
  const flush = () => {
    if (run) decorations.push(Decoration.inline(run.from, run.to, { class: 'author-run', style: `--author-color: ${run.author.color}`, title: run.author.name }));
    run = null;
  };
  const add = (from: number, to: number, author: Author | null) => {
    if (run && author && run.author.userId === author.userId && run.to === from) {
      run.to = to;
      return;
    }
    flush();
    if (author) run = { from, to, author };
  };

  const walk = (node: PMNode, type: AnyType, contentStart: number) => {
    if (node.inlineContent) {
      const mark = decorations.length;
      let pos = contentStart;
      for (const child of children(type)) {
        if (child instanceof Y.XmlText) {
          for (let item = child._start; item !== null; item = item.right) {
            if (item.deleted || !item.countable) continue;
            if (item.content instanceof Y.ContentString) add(pos, pos + item.length, resolve(item.id.client, item.id.clock));
            pos += item.length;
          }
        } else {
          flush();
          pos += 1; // an inline node (hard break)
        }
      }
      flush();
      if (pos !== contentStart + node.content.size) decorations.length = mark;
      return;
    }
    let index = 0;
    let childStart = contentStart;
    for (const child of children(type)) {
      const pmChild = node.maybeChild(index++);
      if (!pmChild) break;
      if (child instanceof Y.XmlElement && child.nodeName === pmChild.type.name) walk(pmChild, child, childStart + 1);
      childStart += pmChild.nodeSize;
    }
  };
  walk(pmDoc, getBody(doc), 0);
  return DecorationSet.create(pmDoc, decorations);
}

/**
 * "Colour by author" for the body (Etherpad-style). Off by default; switched with
 * `setAuthorHighlight(view, enabled)`. Recomputed shortly after every change while on.
 */
export const AuthorHighlight = Extension.create<{ doc: Y.Doc | null }>({
  name: 'authorHighlight',
  addOptions() {
    return { doc: null };
  },
  addProseMirrorPlugins() {
    const ydoc = this.options.doc;
    if (!ydoc) return [];
    return [
      new Plugin<HighlightState>({
        key: authorHighlightKey,
        state: {
          init: () => ({ enabled: false, decorations: DecorationSet.empty }),
          apply(tr, value) {
            const meta = tr.getMeta(authorHighlightKey) as Meta | undefined;
            if (meta && 'enabled' in meta) return { enabled: meta.enabled, decorations: meta.enabled ? value.decorations : DecorationSet.empty };
            if (meta && 'decorations' in meta) return value.enabled ? { ...value, decorations: meta.decorations } : value;
            return value.enabled && tr.docChanged ? { ...value, decorations: value.decorations.map(tr.mapping, tr.doc) } : value;
          },
        },
        props: {
          decorations: (state: EditorState) => authorHighlightKey.getState(state)?.decorations,
        },
        view(view) {
          let timer: number | null = null;
          const recompute = () => {
            timer = null;
            if (view.isDestroyed || !authorHighlightKey.getState(view.state)?.enabled) return;
            view.dispatch(view.state.tr.setMeta(authorHighlightKey, { decorations: authorDecorations(view.state.doc, ydoc) } satisfies Meta));
          };
          const schedule = () => {
            if (timer === null && authorHighlightKey.getState(view.state)?.enabled) timer = window.setTimeout(recompute, 120);
          };
          // Text and the authors map both live in the doc: any change may recolour.
          ydoc.on('afterTransaction', schedule);
          return {
            update(_view, prevState) {
              const was = authorHighlightKey.getState(prevState)?.enabled;
              const now = authorHighlightKey.getState(view.state)?.enabled;
              if (now && !was) schedule();
            },
            destroy() {
              ydoc.off('afterTransaction', schedule);
              if (timer !== null) window.clearTimeout(timer);
            },
          };
        },
      }),
    ];
  },
});

/** Turns author colouring on or off in an editor view. */
export function setAuthorHighlight(view: { state: EditorState; dispatch: (tr: EditorState['tr']) => void }, enabled: boolean): void {
  if (authorHighlightKey.getState(view.state)?.enabled === enabled) return;
  view.dispatch(view.state.tr.setMeta(authorHighlightKey, { enabled } satisfies Meta));
}
