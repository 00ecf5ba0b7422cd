import { z } from 'zod';

/** `scheduled`: approved and due to be published by the server at `scheduledFor`. */
export const ArticleStatus = z.enum(['draft', 'filed', 'editing', 'approved', 'scheduled', 'published', 'spiked', 'killed']);
export type ArticleStatus = z.infer<typeof ArticleStatus>;

export const SECTIONS = ['News', 'Politics', 'Business', 'Culture', 'Sport', 'Opinion'] as const;
export const Section = z.enum(SECTIONS);
export type Section = z.infer<typeof Section>;

export const Headline = z
  .string({ error: 'headline is required' })
  .trim()
  .min(1, 'headline is required')
  .max(300, 'headline is at most 300 characters');

export const CreateArticleRequest = z.object({ headline: Headline, section: Section.optional() });
export type CreateArticleRequest = z.infer<typeof CreateArticleRequest>;

/** A person named on an article (byline, assignee). */
export const ArticlePerson = z.object({ id: z.string(), displayName: z.string() });
export type ArticlePerson = z.infer<typeof ArticlePerson>;

export const Article = z.object({
  id: z.string(),
  headline: z.string(),
  dek: z.string(),
  status: ArticleStatus,
  /** URL slug of the reader page: follows the headline until the first publish, then stays. */
  slug: z.string(),
  section: Section,
  tags: z.array(z.string()),
  byline: z.array(ArticlePerson),
  assignees: z.array(ArticlePerson),
  deadline: z.string().nullable(),
  wordCount: z.number().int(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
  /** When a `scheduled` article will be published (absent otherwise). */
  scheduledFor: z.string().optional(),
});
export type Article = z.infer<typeof Article>;

/** `POST /api/articles` → 201 and `GET /api/articles/:id` → 200 answer with the bare Article. */
export const ArticleListResponse = z.object({ articles: z.array(Article) });
export type ArticleListResponse = z.infer<typeof ArticleListResponse>;

/** Article ids are URL- and key-safe; anything else is refused before it reaches a store. */
export const ArticleId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a valid article id');

const Tag = z.string().trim().min(1, 'tags cannot be empty').max(40, 'a tag is at most 40 characters');

/** `PATCH /api/articles/:id`: desk metadata (headline and dek live in the doc). */
export const UpdateArticleMetaRequest = z
  .object({
    section: Section,
    tags: z.array(Tag).max(20, 'at most 20 tags'),
    byline: z.array(z.string().min(1)).min(1, 'byline needs at least one person').max(10),
    /** Reassigning is a lead's job; writers may not change assignees. */
    assignees: z.array(z.string().min(1)).max(10),
    deadline: z.iso.datetime({ offset: true, error: 'deadline must be an ISO date-time' }).nullable(),
  })
  .partial()
  .strict();
export type UpdateArticleMetaRequest = z.infer<typeof UpdateArticleMetaRequest>;

// ---- Workflow ----------------------------------------------------------------

export const TransitionRequest = z
  .object({
    to: ArticleStatus,
    note: z.string().trim().max(2000, 'note is at most 2,000 characters').optional(),
    /**
     * Publishing: the lead approves the current text in the same step. Without it, publishing text
     * that changed since the approval is refused with `409 changed_since_approval`.
     */
    reapprove: z.boolean().optional(),
  })
  .strict();
export type TransitionRequest = z.infer<typeof TransitionRequest>;

/**
 * `POST /api/articles/:id/schedule` (leads): an approved article becomes `scheduled`, and the
 * server publishes its approved version at `publishAt` exactly once. `DELETE` on the same path
 * moves it back to `approved`.
 */
export const ScheduleRequest = z
  .object({
    publishAt: z.iso.datetime({ offset: true, error: 'publishAt must be an ISO date-time' }),
    /** As on a transition: approve the current text in the same step if it changed since approval. */
    reapprove: z.boolean().optional(),
  })
  .strict();
export type ScheduleRequest = z.infer<typeof ScheduleRequest>;

export const Transition = z.object({
  id: z.string(),
  articleId: z.string(),
  from: ArticleStatus,
  to: ArticleStatus,
  note: z.string().nullable(),
  by: ArticlePerson,
  at: z.string(),
});
export type Transition = z.infer<typeof Transition>;

/** A public correction shown on the reader page (a published → published transition). */
export const Correction = z.object({ note: z.string(), at: z.string() });
export type Correction = z.infer<typeof Correction>;

// ---- Versions ----------------------------------------------------------------

export const VersionCause = z.enum(['transition', 'approval', 'publish', 'autosave', 'manual', 'restore']);
export type VersionCause = z.infer<typeof VersionCause>;

export const VersionSummary = z.object({
  id: z.string(),
  articleId: z.string(),
  label: z.string(),
  cause: VersionCause,
  author: ArticlePerson.nullable(),
  createdAt: z.string(),
  wordCount: z.number().int(),
});
export type VersionSummary = z.infer<typeof VersionSummary>;

export const VersionDetail = VersionSummary.extend({
  headline: z.string(),
  dek: z.string(),
  text: z.string(),
  html: z.string(),
});
export type VersionDetail = z.infer<typeof VersionDetail>;

export const SaveVersionRequest = z.object({ label: z.string().trim().min(1, 'label is required').max(120, 'label is at most 120 characters') }).strict();
export type SaveVersionRequest = z.infer<typeof SaveVersionRequest>;

/** Word-level diff: runs of unchanged, inserted and deleted text. */
export const DiffPart = z.object({ value: z.string(), added: z.boolean(), removed: z.boolean() });
export type DiffPart = z.infer<typeof DiffPart>;
export const VersionDiffResponse = z.object({
  /** `current`, `published`, or the id of the version compared with. */
  against: z.string(),
  parts: z.array(DiffPart),
});
export type VersionDiffResponse = z.infer<typeof VersionDiffResponse>;

/**
 * The approval an article's current status rests on: the exact version the desk approved (a
 * version of cause `approval`, taken when the article moved to `approved`, or at publish with
 * `reapprove`). Null while the article is not approved or published.
 */
export const ArticleApproval = z.object({ versionId: z.string(), by: ArticlePerson.nullable(), at: z.string() });
export type ArticleApproval = z.infer<typeof ArticleApproval>;

/** `GET /api/articles/:id`: the article, its approval and whether its text changed since. */
export const ArticleDetail = Article.extend({
  approval: ArticleApproval.nullable(),
  /** The headline, dek or body differs from the approved version. */
  changedSinceApproval: z.boolean(),
});
export type ArticleDetail = z.infer<typeof ArticleDetail>;
