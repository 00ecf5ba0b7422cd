import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { AckResult, Comment, CommentOrder } from '@copydesk/protocol';
import { getSocket } from '../../../realtime/socket.ts';
import { isApiClientError } from '../../../api/index.ts';
import { commentsApi } from '../api.ts';
import { initialReaderState, readerReducer } from './readerState.ts';

/** A failed action, as a sentence for the reader. */
export function problem(error: unknown): string {
  if (isApiClientError(error)) return error.status === 0 ? 'We cannot reach Copydesk right now. Check your connection and try again.' : error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong. Try again.';
}

function ackError(result: AckResult): Error | null {
  return result.ok ? null : new Error(result.error.message);
}

/** Emits an ack-style comment event, rejecting with the server's message. */
function emitAck<T extends object>(event: 'comment:post' | 'comment:edit' | 'comment:delete' | 'comment:report', payload: unknown): Promise<T> {
  const socket = getSocket();
  return new Promise<T>((resolve, reject) => {
    if (!socket.connected) {
      reject(new Error('You are offline. Your comment was not sent; try again when the connection is back.'));
      return;
    }
    const timer = window.setTimeout(() => reject(new Error('The server did not answer. Try again.')), 10_000);
    (socket.emit as (event: string, payload: unknown, ack: (result: AckResult<T>) => void) => void)(event, payload, (result) => {
      window.clearTimeout(timer);
      const error = ackError(result);
      if (error) reject(error);
      else resolve(result as T);
    });
  });
}

/**
 * The live comments of one article on the reader page: subscribes on every (re)connect and gets a
 * fresh first page, applies live events, loads older pages and replies over REST, and posts,
 * edits, deletes and reports over the socket. `connection` changes when the session does.
 */
export function useReaderComments(articleId: string, userId: string | null, connection: number) {
  const [state, dispatch] = useReducer(readerReducer, undefined, () => initialReaderState());
  const stateRef = useRef(state);
  stateRef.current = state;
  const userRef = useRef(userId);
  userRef.current = userId;

  const loadOrder = useCallback(
    async (order: CommentOrder) => {
      try {
        const [page, count] = [await commentsApi.page(articleId, { order }), stateRef.current.count];
        dispatch({ type: 'snapshot', comments: page.comments, count, mode: stateRef.current.mode, nextCursor: page.nextCursor, order });
      } catch (error) {
        dispatch({ type: 'failed', error: problem(error) });
      }
    },
    [articleId],
  );

  useEffect(() => {
    const socket = getSocket();
    const mine = (id: string) => stateRef.current.byId[id]?.author.id === userRef.current && userRef.current !== null;
    const subscribe = () => {
      socket.emit('comments:subscribe', { articleId }, (result) => {
        if (!result.ok) {
          dispatch({ type: 'failed', error: result.error.message });
          return;
        }
        dispatch({ type: 'live', live: true });
        dispatch({ type: 'snapshot', comments: result.comments, count: result.count, mode: result.mode, nextCursor: result.nextCursor, order: 'newest' });
        if (stateRef.current.order === 'oldest') void loadOrder('oldest');
      });
    };
    const onCreated = (comment: Comment) => comment.articleId === articleId && dispatch({ type: 'upsert', comment, live: true });
    const onUpdated = (comment: Comment) => comment.articleId === articleId && dispatch({ type: 'upsert', comment });
    const onRemoved = (removed: { id: string; articleId: string; reason?: 'deleted' | 'rejected' | 'removed' | 'held' }) => {
      if (removed.articleId !== articleId) return;
      dispatch({ type: 'removed', id: removed.id, reason: removed.reason, mine: mine(removed.id) });
    };
    const onCount = (count: { articleId: string; count: number }) => count.articleId === articleId && dispatch({ type: 'count', count: count.count });
    const onMode = (settings: { articleId: string; mode: 'open' | 'premod' }) => settings.articleId === articleId && dispatch({ type: 'mode', mode: settings.mode });
    const offline = () => dispatch({ type: 'live', live: false });

    socket.on('connect', subscribe);
    socket.on('disconnect', offline);
    socket.on('comment:created', onCreated);
    socket.on('comment:updated', onUpdated);
    socket.on('comment:removed', onRemoved);
    socket.on('comments:count', onCount);
    socket.on('comments:mode', onMode);
    if (socket.connected) subscribe();
    else socket.connect();
    return () => {
      socket.off('connect', subscribe);
      socket.off('disconnect', offline);
      socket.off('comment:created', onCreated);
      socket.off('comment:updated', onUpdated);
      socket.off('comment:removed', onRemoved);
      socket.off('comments:count', onCount);
      socket.off('comments:mode', onMode);
      if (socket.connected) socket.emit('comments:unsubscribe', { articleId });
    };
  }, [articleId, connection, loadOrder]);

  const post = useCallback(
    async (body: string, parentId: string | null) => {
      const { comment } = await emitAck<{ comment: Comment }>('comment:post', { articleId, body, parentId });
      dispatch({ type: 'upsert', comment });
      return comment;
    },
    [articleId],
  );
  const edit = useCallback(async (id: string, body: string) => {
    const { comment } = await emitAck<{ comment: Comment }>('comment:edit', { id, body });
    dispatch({ type: 'upsert', comment });
  }, []);
  const remove = useCallback(async (id: string) => {
    await emitAck('comment:delete', { id });
    dispatch({ type: 'removed', id, reason: 'deleted', mine: false });
  }, []);
  const report = useCallback(async (id: string, reason?: string) => {
    await emitAck('comment:report', reason ? { id, reason } : { id });
  }, []);
  const loadOlder = useCallback(async () => {
    const { nextCursor, order } = stateRef.current;
    if (!nextCursor) return;
    const page = await commentsApi.page(articleId, { order, before: nextCursor });
    dispatch({ type: 'page', comments: page.comments, nextCursor: page.nextCursor });
  }, [articleId]);
  const loadReplies = useCallback(
    async (threadId: string) => {
      let before: string | null = null;
      do {
        const page = await commentsApi.page(articleId, { parentId: threadId, before, limit: 100 });
        dispatch({ type: 'replies', comments: page.comments });
        before = page.nextCursor;
      } while (before);
    },
    [articleId],
  );
  const setOrder = useCallback((order: CommentOrder) => void loadOrder(order), [loadOrder]);
  const dismiss = useCallback((id: string) => dispatch({ type: 'dismiss', id }), []);

  return { state, post, edit, remove, report, loadOlder, loadReplies, setOrder, dismiss };
}
