import { USER_PALETTE, colorForUser } from '@copydesk/protocol';

/**
 * Caret and avatar colours per article, assigned by the server when someone joins: a person's
 * colour is not used by anyone else who has been in that article (while the palette lasts), and
 * once given it stays theirs in that article, whoever comes and goes. A person's first choice is
 * their usual colour (colorForUser), so someone alone in a story keeps the colour they see
 * elsewhere; a clash moves the newcomer to the first free colour. Past 10 people in one article
 * the least used colour among those present is shared.
 *
 * Assignments live in this process (one instance; in a cluster each instance assigns its own).
 */
export class ArticleColors {
  private readonly articles = new Map<string, Map<string, string>>();

  /** The colour of `userId` in `articleId`, assigning one on first sight. `present` are the user ids in the article now. */
  assign(articleId: string, userId: string, present: Iterable<string> = []): string {
    let assigned = this.articles.get(articleId);
    if (!assigned) {
      assigned = new Map();
      this.articles.set(articleId, assigned);
    }
    const known = assigned.get(userId);
    if (known) return known;
    const taken = new Set(assigned.values());
    const preferred = colorForUser(userId);
    let color: string | undefined = taken.has(preferred) ? USER_PALETTE.find((c) => !taken.has(c)) : preferred;
    if (!color) {
      // Everyone has a colour already: share the one fewest present people wear.
      const uses = new Map<string, number>(USER_PALETTE.map((c) => [c, 0]));
      for (const id of present) {
        const c = assigned.get(id);
        if (c && id !== userId) uses.set(c, (uses.get(c) ?? 0) + 1);
      }
      color = preferred;
      for (const [c, n] of uses) if (n < uses.get(color)!) color = c;
    }
    assigned.set(userId, color);
    return color;
  }

  /** The colour already given, or the usual one if none was (someone seen only on another instance). */
  get(articleId: string, userId: string): string {
    return this.articles.get(articleId)?.get(userId) ?? colorForUser(userId);
  }
}
