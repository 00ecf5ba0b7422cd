import { useEffect, useState } from 'react';
import type { Article } from '@copydesk/protocol';
import { api } from '../../api/index.ts';

/** Statuses that rest on an approval (see `ArticleDetail.approval`). */
const APPROVED = new Set<Article['status']>(['approved', 'scheduled', 'published']);

/**
 * Whether the working copy differs from the approved (for a published story: the live) version.
 * Asked again whenever the article row changes (the server updates it as the doc's headline, dek
 * and word count change), so it follows edits live.
 */
export function useChangedSinceApproval(article: Article | null): boolean {
  const [changed, setChanged] = useState(false);
  const id = article?.id;
  const approved = article ? APPROVED.has(article.status) : false;
  const updatedAt = article?.updatedAt;
  useEffect(() => {
    if (!id || !approved) return setChanged(false);
    const controller = new AbortController();
    api
      .getArticle(id, controller.signal)
      .then((detail) => setChanged(detail.changedSinceApproval))
      .catch(() => undefined);
    return () => controller.abort();
  }, [id, approved, updatedAt]);
  return changed;
}
