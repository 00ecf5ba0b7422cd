import type { Comment, CommentMode, CommentOrder, CommentRemovalReason } from '@copydesk/protocol';

/** What the reader page's comments section shows; kept by a reducer fed by the socket and REST. */
export interface ReaderState {
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  /** Every comment we hold, by id: published ones, plus our own pending ones. */
  byId: Record<string, Comment>;
  count: number;
  mode: CommentMode;
  order: CommentOrder;
  /** Cursor of the next (older) page of threads; null when everything is loaded. */
  nextCursor: string | null;
  live: boolean;
  /** Notes about our own comments that moderators turned down, shown where they were. */
  notices: Array<{ id: string; parentId: string | null; text: string }>;
  /** Ids that arrived live since the page loaded (briefly highlighted). */
  fresh: Record<string, true>;
}

export type ReaderAction =
  | { type: 'snapshot'; comments: Comment[]; count: number; mode: CommentMode; nextCursor: string | null; order: CommentOrder }
  | { type: 'page'; comments: Comment[]; nextCursor: string | null }
  | { type: 'replies'; comments: Comment[] }
  | { type: 'upsert'; comment: Comment; live?: boolean }
  | { type: 'removed'; id: string; reason?: CommentRemovalReason; mine: boolean }
  | { type: 'count'; count: number }
  | { type: 'mode'; mode: CommentMode }
  | { type: 'live'; live: boolean }
  | { type: 'failed'; error: string }
  | { type: 'dismiss'; id: string };

export const initialReaderState = (order: CommentOrder = 'newest'): ReaderState => ({
  status: 'loading',
  error: null,
  byId: {},
  count: 0,
  mode: 'open',
  order,
  nextCursor: null,
  live: false,
  notices: [],
  fresh: {},
});

const byKey = (a: Comment, b: Comment) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function withComments(byId: Record<string, Comment>, comments: Comment[]): Record<string, Comment> {
  const next = { ...byId };
  for (const c of comments) if (c.status !== 'rejected') next[c.id] = c;
  return next;
}

const REMOVAL_NOTES: Partial<Record<CommentRemovalReason, string>> = {
  rejected: 'Your comment was not published: the moderators turned it down.',
  removed: 'Your comment was removed by the moderators.',
};

export function readerReducer(state: ReaderState, action: ReaderAction): ReaderState {
  switch (action.type) {
    case 'snapshot':
      return {
        ...state,
        status: 'ready',
        error: null,
        byId: withComments({}, action.comments),
        count: action.count,
        mode: action.mode,
        nextCursor: action.nextCursor,
        order: action.order,
        fresh: {},
      };
    case 'page':
      return { ...state, byId: withComments(state.byId, action.comments), nextCursor: action.nextCursor };
    case 'replies':
      return { ...state, byId: withComments(state.byId, action.comments) };
    case 'upsert': {
      if (action.comment.status === 'rejected') return state;
      const known = action.comment.id in state.byId;
      return {
        ...state,
        byId: { ...state.byId, [action.comment.id]: action.comment },
        fresh: action.live && !known ? { ...state.fresh, [action.comment.id]: true } : state.fresh,
      };
    }
    case 'removed': {
      const target = state.byId[action.id];
      if (!target) return state;
      const byId = { ...state.byId };
      delete byId[action.id];
      // A thread's replies go with it.
      if (target.parentId === null) for (const c of Object.values(byId)) if (c.parentId === action.id) delete byId[c.id];
      const note = action.mine ? REMOVAL_NOTES[action.reason ?? 'removed'] : undefined;
      return { ...state, byId, notices: note ? [...state.notices, { id: action.id, parentId: target.parentId, text: note }] : state.notices };
    }
    case 'count':
      return { ...state, count: action.count };
    case 'mode':
      return { ...state, mode: action.mode };
    case 'live':
      return { ...state, live: action.live };
    case 'failed':
      return { ...state, status: state.status === 'ready' ? 'ready' : 'error', error: action.error };
    case 'dismiss':
      return { ...state, notices: state.notices.filter((n) => n.id !== action.id) };
  }
}

export interface Thread {
  comment: Comment;
  replies: Comment[];
}

/** Threads in the chosen order (replies oldest first under each); replies whose thread we do not hold are left out. */
export function threadsOf(state: ReaderState): Thread[] {
  const all = Object.values(state.byId);
  const replies = new Map<string, Comment[]>();
  for (const c of all) {
    if (c.parentId === null) continue;
    const list = replies.get(c.parentId) ?? [];
    list.push(c);
    replies.set(c.parentId, list);
  }
  const top = all.filter((c) => c.parentId === null).sort(byKey);
  if (state.order === 'newest') top.reverse();
  return top.map((comment) => ({ comment, replies: (replies.get(comment.id) ?? []).sort(byKey) }));
}
