import type {
  Article,
  ArticleDetail,
  ArticleListResponse,
  ArticleStatus,
  CreateArticleRequest,
  DiffPart,
  LoginRequest,
  LoginResponse,
  PublicUser,
  ScheduleRequest,
  SignupRequest,
  Transition,
  TransitionRequest,
  UpdateArticleMetaRequest,
  VersionDetail,
  VersionSummary,
} from '@copydesk/protocol';
import { http } from './client.ts';

export const api = {
  login: (input: LoginRequest) => http.post<LoginResponse>('/api/auth/login', input),
  /** A reader account, signed in at once (the session cookie comes with the 201). */
  signup: (input: SignupRequest) => http.post<LoginResponse>('/api/auth/signup', input),
  logout: () => http.post<void>('/api/auth/logout'),
  me: async (signal?: AbortSignal): Promise<PublicUser> => (await http.get<{ user: PublicUser }>('/api/me', signal)).user,
  listArticles: async (signal?: AbortSignal): Promise<Article[]> => (await http.get<ArticleListResponse>('/api/articles', signal)).articles,
  createArticle: (input: CreateArticleRequest) => http.post<Article>('/api/articles', input),
  getArticle: (id: string, signal?: AbortSignal) => http.get<ArticleDetail>(`/api/articles/${encodeURIComponent(id)}`, signal),
  updateArticle: (id: string, patch: UpdateArticleMetaRequest) => http.patch<Article>(articlePath(id), patch),
  transition: (id: string, input: TransitionRequest) => http.post<Article>(`${articlePath(id)}/transitions`, input),
  schedule: (id: string, input: ScheduleRequest) => http.post<Article>(`${articlePath(id)}/schedule`, input),
  timeline: (id: string, signal?: AbortSignal) =>
    http.get<{ transitions: Transition[]; available: ArticleStatus[] }>(`${articlePath(id)}/transitions`, signal),
  listVersions: async (id: string, signal?: AbortSignal) => (await http.get<{ versions: VersionSummary[] }>(`${articlePath(id)}/versions`, signal)).versions,
  getVersion: (id: string, versionId: string, signal?: AbortSignal) => http.get<VersionDetail>(`${articlePath(id)}/versions/${versionId}`, signal),
  saveVersion: (id: string, label: string) => http.post<VersionSummary>(`${articlePath(id)}/versions`, { label }),
  diffVersion: async (id: string, versionId: string, against: 'current' | 'published', signal?: AbortSignal) =>
    (await http.get<{ parts: DiffPart[] }>(`${articlePath(id)}/versions/${versionId}/diff?against=${against}`, signal)).parts,
  restoreVersion: (id: string, versionId: string) => http.post<VersionSummary>(`${articlePath(id)}/versions/${versionId}/restore`),
  listStaff: async (signal?: AbortSignal) => (await http.get<{ users: PublicUser[] }>('/api/users', signal)).users,
};

function articlePath(id: string): string {
  return `/api/articles/${encodeURIComponent(id)}`;
}
