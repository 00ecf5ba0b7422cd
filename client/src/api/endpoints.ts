import type { Article, ArticleListResponse, CreateArticleRequest, LoginRequest, LoginResponse, PublicUser } from '@copydesk/protocol';
import { http } from './client.ts';

export const api = {
  login: (input: LoginRequest) => http.post<LoginResponse>('/api/auth/login', input),
  logout: () => http.post<void>('/api/auth/logout'),
  me: async (signal?: AbortSignal): Promise<PublicUser> => (await http.get<{ user: PublicUser }>('/api/me', signal)).user,
  listArticles: async (signal?: AbortSignal): Promise<Article[]> => (await http.get<ArticleListResponse>('/api/articles', signal)).articles,
  createArticle: (input: CreateArticleRequest) => http.post<Article>('/api/articles', input),
  getArticle: (id: string, signal?: AbortSignal) => http.get<Article>(`/api/articles/${encodeURIComponent(id)}`, signal),
};
