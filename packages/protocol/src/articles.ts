import { z } from 'zod';

export const ArticleStatus = z.enum(['draft', 'filed', 'editing', 'approved', 'published', 'spiked', 'killed']);
export type ArticleStatus = z.infer<typeof ArticleStatus>;

export const Headline = z.string().trim().min(1, 'headline is required').max(300, 'headline is at most 300 characters');

export const CreateArticleRequest = z.object({ headline: Headline });
export type CreateArticleRequest = z.infer<typeof CreateArticleRequest>;

export const Article = z.object({
  id: z.string(),
  headline: z.string(),
  status: ArticleStatus,
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Article = z.infer<typeof Article>;

/** `POST /api/articles` → 201 and `GET /api/articles/:id` → 200 answer with the bare Article. */
export const ArticleListResponse = z.object({ articles: z.array(Article) });
export type ArticleListResponse = z.infer<typeof ArticleListResponse>;

/** Article ids are URL- and key-safe; anything else is refused before it reaches a store. */
export const ArticleId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a valid article id');
