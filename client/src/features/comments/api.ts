import type {
  Comment,
  CommentMode,
  CommentOrder,
  CommentPage,
  EditorialComment,
  ModerationItem,
  NotificationList,
} from '@copydesk/protocol';
import { http } from '../../api/client.ts';

const articlePath = (id: string) => `/api/articles/${encodeURIComponent(id)}`;

/** REST calls of the comments feature (reads and moderation; live updates come over Socket.IO). */
export const commentsApi = {
  page: (articleId: string, options: { order?: CommentOrder; before?: string | null; parentId?: string; limit?: number } = {}, signal?: AbortSignal) => {
    const params = new URLSearchParams();
    if (options.order) params.set('order', options.order);
    if (options.before) params.set('before', options.before);
    if (options.parentId) params.set('parentId', options.parentId);
    if (options.limit) params.set('limit', String(options.limit));
    const query = params.toString();
    return http.get<CommentPage>(`${articlePath(articleId)}/comments${query ? `?${query}` : ''}`, signal);
  },
  post: (articleId: string, body: string, parentId?: string | null) => http.post<Comment>(`${articlePath(articleId)}/comments`, parentId ? { body, parentId } : { body }),
  edit: (comment: Pick<Comment, 'id' | 'articleId'>, body: string) => http.patch<Comment>(`${articlePath(comment.articleId)}/comments/${comment.id}`, { body }),
  remove: (comment: Pick<Comment, 'id' | 'articleId'>) => http.delete<void>(`${articlePath(comment.articleId)}/comments/${comment.id}`),
  report: (comment: Pick<Comment, 'id' | 'articleId'>, reason?: string) =>
    http.post<void>(`${articlePath(comment.articleId)}/comments/${comment.id}/report`, reason ? { reason } : {}),
  mode: async (articleId: string, signal?: AbortSignal) => (await http.get<{ mode: CommentMode }>(`${articlePath(articleId)}/comment-settings`, signal)).mode,
  setMode: async (articleId: string, mode: CommentMode) => (await http.put<{ mode: CommentMode }>(`${articlePath(articleId)}/comment-settings`, { mode })).mode,

  queue: async (signal?: AbortSignal) => (await http.get<{ items: ModerationItem[] }>('/api/moderation/queue', signal)).items,
  approve: (id: string) => http.post<Comment>(`/api/moderation/comments/${id}/approve`),
  reject: (id: string) => http.post<Comment>(`/api/moderation/comments/${id}/reject`),
  toEditorial: (id: string, note?: string) => http.post<EditorialComment>(`/api/moderation/comments/${id}/to-editorial`, note?.trim() ? { note: note.trim() } : {}),
  bannedWords: async (signal?: AbortSignal) => (await http.get<{ words: string[] }>('/api/moderation/banned-words', signal)).words,
  setBannedWords: async (words: string[]) => (await http.put<{ words: string[] }>('/api/moderation/banned-words', { words })).words,

  notifications: (signal?: AbortSignal) => http.get<NotificationList>('/api/notifications', signal),
  markRead: async (ids?: string[]) => (await http.post<{ unread: number }>('/api/notifications/read', ids ? { ids } : {})).unread,
};
