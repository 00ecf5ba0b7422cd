import { useEffect, useRef, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import type { Editor } from '@tiptap/core';
import { createAnchor, type BodyRange } from '@copydesk/article-doc';
import type { AckResult, EditorialAnchor, EditorialComment } from '@copydesk/protocol';
import { getSocket, type AppSocket } from '../../../realtime/socket.ts';

export interface EditorialThread {
  comment: EditorialComment;
  replies: EditorialComment[];
  /** Where its anchor is now; null when it has none or its text was deleted. */
  range: BodyRange | null;
  /** Anchored, but every anchored character is gone. */
  textRemoved: boolean;
}

export interface EditorialSnapshot {
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  live: boolean;
  threads: EditorialThread[];
  active: string | null;
  /** A new thread being written: its anchor was taken when "Comment" was pressed. */
  draft: { anchor: EditorialAnchor | null } | null;
  /** The body has a non-empty selection that can be commented on. */
  canComment: boolean;
}

const byTime = (a: EditorialComment, b: EditorialComment) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1);
const sameRange = (a: BodyRange | null | undefined, b: BodyRange | null | undefined) => (a ?? null) === (b ?? null) || (!!a && !!b && a.from === b.from && a.to === b.to);

/**
 * The editorial comments of one article, shared by the highlights in the editor and the
 * Comments panel: live over Socket.IO while anyone uses it (reference counted), with the current
 * position of every anchor (computed by the highlight plugin from the Y.Doc).
 */
export class EditorialStore {
  private comments = new Map<string, EditorialComment>();
  private ranges = new Map<string, BodyRange | null>();
  private listeners = new Set<() => void>();
  private openListeners = new Set<() => void>();
  private users = 0;
  private socket: AppSocket | null = null;
  private detach: (() => void) | null = null;
  private snapshot: EditorialSnapshot;
  private status: EditorialSnapshot['status'] = 'loading';
  private error: string | null = null;
  private live = false;
  private active: string | null = null;
  private draft: EditorialSnapshot['draft'] = null;
  private canComment = false;
  editor: Editor | null = null;
  doc: Y.Doc | null = null;
  isLeaf: (name: string) => boolean = () => false;
  private selection: () => BodyRange | null = () => null;

  constructor(readonly articleId: string) {
    this.snapshot = this.build();
  }

  // ---- subscription -------------------------------------------------------------

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getSnapshot = () => this.snapshot;

  private changed() {
    this.snapshot = this.build();
    for (const listener of [...this.listeners]) listener();
  }

  private build(): EditorialSnapshot {
    const all = [...this.comments.values()];
    const replies = new Map<string, EditorialComment[]>();
    for (const c of all) if (c.parentId) replies.set(c.parentId, [...(replies.get(c.parentId) ?? []), c]);
    const threads = all
      .filter((c) => !c.parentId)
      .map((comment) => {
        const range = this.ranges.get(comment.id) ?? null;
        const known = this.ranges.has(comment.id);
        return { comment, replies: (replies.get(comment.id) ?? []).sort(byTime), range, textRemoved: !!comment.anchor && known && range === null };
      })
      // In reading order: anchored threads by position, then the rest (whole-article, text removed) by time.
      .sort((a, b) => {
        if (a.range && b.range) return a.range.from - b.range.from || byTime(a.comment, b.comment);
        if (a.range) return -1;
        if (b.range) return 1;
        return byTime(a.comment, b.comment);
      });
    return { status: this.status, error: this.error, live: this.live, threads, active: this.active, draft: this.draft, canComment: this.canComment };
  }

  /** Starts following the article's comments (first user) and returns the release function. */
  retain(): () => void {
    if (this.users++ === 0) this.connect();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.users === 0) {
        this.detach?.();
        this.detach = null;
        stores.delete(this.articleId);
      }
    };
  }

  private connect() {
    const socket = getSocket();
    this.socket = socket;
    const subscribe = () =>
      socket.emit('editorial:subscribe', { articleId: this.articleId }, (result) => {
        if (!result.ok) {
          this.status = 'error';
          this.error = result.error.message;
        } else {
          this.status = 'ready';
          this.error = null;
          this.live = true;
          this.comments = new Map(result.comments.map((c) => [c.id, c]));
        }
        this.changed();
      });
    const upsert = (comment: EditorialComment) => {
      if (comment.articleId !== this.articleId) return;
      this.comments.set(comment.id, comment);
      this.changed();
    };
    const removed = (deleted: { id: string; articleId: string }) => {
      if (deleted.articleId !== this.articleId || !this.comments.delete(deleted.id)) return;
      for (const c of [...this.comments.values()]) if (c.parentId === deleted.id) this.comments.delete(c.id);
      if (this.active === deleted.id) this.active = null;
      this.changed();
    };
    const offline = () => {
      this.live = false;
      this.changed();
    };
    socket.on('connect', subscribe);
    socket.on('disconnect', offline);
    socket.on('editorial:created', upsert);
    socket.on('editorial:updated', upsert);
    socket.on('editorial:deleted', removed);
    if (socket.connected) subscribe();
    this.detach = () => {
      socket.off('connect', subscribe);
      socket.off('disconnect', offline);
      socket.off('editorial:created', upsert);
      socket.off('editorial:updated', upsert);
      socket.off('editorial:deleted', removed);
      if (socket.connected) socket.emit('editorial:unsubscribe', { articleId: this.articleId });
    };
  }

  // ---- actions -------------------------------------------------------------------

  private call<T extends object>(event: 'editorial:post' | 'editorial:resolve' | 'editorial:delete', payload: unknown): Promise<T> {
    const socket = this.socket ?? getSocket();
    return new Promise((resolve, reject) => {
      if (!socket.connected) return reject(new Error('You are offline; try again when the connection is back.'));
      const timer = window.setTimeout(() => reject(new Error('The server did not answer. Try again.')), 10_000);
      (socket.emit as (event: string, payload: unknown, ack: (result: AckResult<T>) => void) => void)(event, payload, (result) => {
        window.clearTimeout(timer);
        if (result.ok) resolve(result);
        else reject(new Error(result.error.message));
      });
    });
  }

  async post(input: { body: string; parentId?: string; anchor?: EditorialAnchor | null }): Promise<EditorialComment> {
    const { comment } = await this.call<{ comment: EditorialComment }>('editorial:post', { articleId: this.articleId, ...input });
    this.comments.set(comment.id, comment);
    if (!input.parentId) {
      this.draft = null;
      this.active = comment.id;
    }
    this.changed();
    return comment;
  }

  async resolve(id: string, resolved: boolean): Promise<void> {
    const { comment } = await this.call<{ comment: EditorialComment }>('editorial:resolve', { id, resolved });
    this.comments.set(comment.id, comment);
    this.changed();
  }

  async delete(id: string): Promise<void> {
    await this.call('editorial:delete', { id });
  }

  // ---- editor link ----------------------------------------------------------------

  attachEditor(editor: Editor, doc: Y.Doc, isLeaf: (name: string) => boolean, selection: () => BodyRange | null): () => void {
    this.editor = editor;
    this.doc = doc;
    this.isLeaf = isLeaf;
    this.selection = selection;
    return () => {
      if (this.editor === editor) {
        this.editor = null;
        this.doc = null;
      }
    };
  }

  /** Anchored threads (for the highlight plugin). */
  anchored(): Array<{ id: string; anchor: EditorialAnchor; resolved: boolean }> {
    return [...this.comments.values()].filter((c) => !c.parentId && c.anchor).map((c) => ({ id: c.id, anchor: c.anchor!, resolved: c.resolved }));
  }

  activeId(): string | null {
    return this.active;
  }

  rangeOf(id: string): BodyRange | null {
    return this.ranges.get(id) ?? null;
  }

  /** Called by the highlight plugin after it resolved every anchor; re-renders the panel only when something visible changed. */
  setRanges(ranges: Map<string, BodyRange | null>): void {
    let differs = ranges.size !== this.ranges.size;
    let reorder = differs;
    if (!differs) {
      for (const [id, range] of ranges) {
        const before = this.ranges.get(id);
        if (!this.ranges.has(id) || (before === null) !== (range === null)) reorder = true;
        if (!sameRange(before, range)) differs = true;
      }
    }
    if (!differs) return;
    const orderBefore = this.snapshot.threads.map((t) => t.comment.id).join();
    this.ranges = ranges;
    const next = this.build();
    if (reorder || next.threads.map((t) => t.comment.id).join() !== orderBefore) {
      this.snapshot = next;
      for (const listener of [...this.listeners]) listener();
    } else {
      // Positions moved but nothing the panel shows did: keep the snapshot (and React) still.
      this.snapshot = { ...this.snapshot, threads: this.snapshot.threads.map((t) => ({ ...t, range: ranges.get(t.comment.id) ?? null })) };
    }
  }

  setCanComment(can: boolean): void {
    if (can === this.canComment) return;
    this.canComment = can;
    this.changed();
  }

  setActive(id: string | null, options: { reveal?: boolean } = {}): void {
    if (this.active !== id) {
      this.active = id;
      this.changed();
    }
    if (id && options.reveal) this.reveal(id);
  }

  /** Selects a thread's text in the editor and scrolls it into view. */
  reveal(id: string): void {
    const range = this.ranges.get(id);
    const editor = this.editor;
    if (!range || !editor || editor.isDestroyed) return;
    editor.chain().setTextSelection(range).scrollIntoView().run();
  }

  /** Begins a new thread on the editor's selection (or on the whole article); asks the panel to open. */
  startDraft(options: { wholeArticle?: boolean } = {}): boolean {
    if (options.wholeArticle) {
      this.draft = { anchor: null };
    } else {
      const anchor = this.selectionAnchor();
      if (!anchor) return false;
      this.draft = { anchor };
    }
    this.active = null;
    this.changed();
    this.requestOpen();
    return true;
  }

  cancelDraft(): void {
    this.draft = null;
    this.changed();
  }

  private selectionAnchor(): EditorialAnchor | null {
    const editor = this.editor;
    const doc = this.doc;
    if (!editor || editor.isDestroyed || !doc) return null;
    const range = this.selection();
    if (!range) return null;
    const { from, to } = range;
    const anchor = createAnchor(doc, { from, to }, { isLeaf: this.isLeaf });
    if (!anchor) return null;
    return { ...anchor, quote: editor.state.doc.textBetween(from, to, ' ').slice(0, 1000) };
  }

  /** The Comments panel listens, to switch its tab on. */
  onOpenRequest(listener: () => void): () => void {
    this.openListeners.add(listener);
    return () => this.openListeners.delete(listener);
  }

  requestOpen(): void {
    for (const listener of [...this.openListeners]) listener();
  }
}

const stores = new Map<string, EditorialStore>();

/** The one store of an article (created on first use, dropped when its last user releases it). */
export function editorialStore(articleId: string): EditorialStore {
  let store = stores.get(articleId);
  if (!store) {
    store = new EditorialStore(articleId);
    stores.set(articleId, store);
  }
  return store;
}

/** Follows an article's editorial comments for the life of a component. */
export function useEditorialComments(articleId: string): { store: EditorialStore; state: EditorialSnapshot } {
  const store = editorialStore(articleId);
  useEffect(() => store.retain(), [store]);
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  return { store, state };
}

/** Calls `open` whenever someone asks for the Comments panel (the "Comment" button, a click on a highlight). */
export function useOpenCommentsTab(articleId: string, open: () => void): void {
  const store = editorialStore(articleId);
  const latest = useRef(open);
  latest.current = open;
  useEffect(() => store.retain(), [store]);
  useEffect(() => store.onOpenRequest(() => latest.current()), [store]);
  // `?comment=<id>` (from a notification): open the tab on that thread once the comments are in.
  useEffect(() => {
    const wanted = new URLSearchParams(window.location.search).get('comment');
    if (!wanted) return;
    const tryOpen = () => {
      const state = store.getSnapshot();
      if (state.status !== 'ready') return false;
      const thread = state.threads.find((t) => t.comment.id === wanted || t.replies.some((r) => r.id === wanted));
      if (thread) {
        store.setActive(thread.comment.id);
        latest.current();
      }
      return true;
    };
    if (tryOpen()) return;
    const unsubscribe = store.subscribe(() => {
      if (tryOpen()) unsubscribe();
    });
    return () => void unsubscribe();
  }, [store]);
}
