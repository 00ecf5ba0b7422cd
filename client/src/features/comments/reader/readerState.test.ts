import { describe, expect, it } from 'vitest';
import type { Comment } from '@copydesk/protocol';
import { initialReaderState, readerReducer, threadsOf, type ReaderState } from './readerState.ts';

const at = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
const comment = (id: string, n: number, extra: Partial<Comment> = {}): Comment => ({
  id,
  articleId: 'a',
  parentId: null,
  author: { id: 'u', displayName: 'U' },
  body: id,
  status: 'published',
  createdAt: at(n),
  editedAt: null,
  ...extra,
});

function loaded(comments: Comment[], order: 'newest' | 'oldest' = 'newest'): ReaderState {
  return readerReducer(initialReaderState(order), { type: 'snapshot', comments, count: comments.length, mode: 'open', nextCursor: 'more', order });
}

describe('readerReducer', () => {
  it('orders threads newest or oldest first, replies oldest first under their thread', () => {
    const comments = [comment('t1', 1), comment('t2', 2), comment('r2', 5, { parentId: 't1' }), comment('r1', 4, { parentId: 't1' })];
    const newest = threadsOf(loaded(comments));
    expect(newest.map((t) => t.comment.id)).toEqual(['t2', 't1']);
    expect(newest[1]!.replies.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(threadsOf(loaded(comments, 'oldest')).map((t) => t.comment.id)).toEqual(['t1', 't2']);
  });

  it('adds a live comment once, even when the ack and the broadcast both bring it', () => {
    let state = loaded([comment('t1', 1)]);
    state = readerReducer(state, { type: 'upsert', comment: comment('t2', 2), live: true });
    state = readerReducer(state, { type: 'upsert', comment: comment('t2', 2), live: true });
    expect(threadsOf(state).map((t) => t.comment.id)).toEqual(['t2', 't1']);
    expect(state.fresh).toEqual({ t2: true });
  });

  it('slots older pages in by time, whatever arrived live meanwhile', () => {
    let state = loaded([comment('t5', 5), comment('t4', 4)]);
    state = readerReducer(state, { type: 'upsert', comment: comment('t9', 9), live: true });
    state = readerReducer(state, { type: 'page', comments: [comment('t3', 3), comment('t2', 2)], nextCursor: null });
    expect(threadsOf(state).map((t) => t.comment.id)).toEqual(['t9', 't5', 't4', 't3', 't2']);
    expect(state.nextCursor).toBeNull();
  });

  it('replaces a pending comment with its approved version', () => {
    let state = loaded([]);
    state = readerReducer(state, { type: 'upsert', comment: comment('p', 1, { status: 'pending' }) });
    state = readerReducer(state, { type: 'upsert', comment: comment('p', 1, { status: 'published' }), live: true });
    expect(threadsOf(state)[0]!.comment.status).toBe('published');
  });

  it('removes a thread with its replies, and leaves a note when it was ours and turned down', () => {
    let state = loaded([comment('t1', 1), comment('r1', 2, { parentId: 't1' }), comment('t2', 3)]);
    state = readerReducer(state, { type: 'removed', id: 't1', reason: 'removed', mine: false });
    expect(Object.keys(state.byId)).toEqual(['t2']);
    expect(state.notices).toEqual([]);
    state = readerReducer(state, { type: 'upsert', comment: comment('mine', 4, { status: 'pending' }) });
    state = readerReducer(state, { type: 'removed', id: 'mine', reason: 'rejected', mine: true });
    expect(state.byId.mine).toBeUndefined();
    expect(state.notices).toEqual([{ id: 'mine', parentId: null, text: 'Your comment was not published: the moderators turned it down.' }]);
    state = readerReducer(state, { type: 'dismiss', id: 'mine' });
    expect(state.notices).toEqual([]);
  });

  it('ignores removals of comments it never had, and rejected comments', () => {
    const state = loaded([comment('t1', 1)]);
    expect(readerReducer(state, { type: 'removed', id: 'unknown', mine: false })).toBe(state);
    expect(readerReducer(state, { type: 'upsert', comment: comment('x', 2, { status: 'rejected' }) })).toBe(state);
  });
});
