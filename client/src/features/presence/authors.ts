import * as Y from 'yjs';
import { AUTHORS_MAP, colorForUser, HANDBACK_KEY_PREFIX, isHandBackEntry, SERVER_AUTHOR, type AuthorEntry, type HandBackEntry } from '@copydesk/protocol';
import { getBody } from '@copydesk/article-doc';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyType = Y.AbstractType<any>;

export interface Author {
  userId: string;
  name: string;
  color: string;
}

/** Text the server wrote (restores) is shown in a neutral grey. */
const SERVER_COLOR = '#667085';
/** Text handed back for someone else: a neutral brown, unlike any person's colour. */
const HANDED_BACK_COLOR = '#8a6d3b';

/**
 * Resolves Yjs items to authors through the doc's server-written `authors` map (clientID → user).
 * Text someone handed back under another person's id (after a server crash) is shown as "handed
 * back by" the person who sent it, never as the id owner's typing. Unknown ids (text from before
 * authorship was recorded) resolve to null.
 */
export function authorResolver(doc: Y.Doc): (client: number, clock: number) => Author | null {
  const authors = doc.getMap<AuthorEntry>(AUTHORS_MAP);
  const handBacks = new Map<number, HandBackEntry[]>();
  authors.forEach((entry, key) => {
    if (!key.startsWith(HANDBACK_KEY_PREFIX) || !isHandBackEntry(entry)) return;
    const list = handBacks.get(entry.client) ?? [];
    list.push(entry);
    handBacks.set(entry.client, list);
  });
  const cache = new Map<number, Author | null>();
  const byClient = (client: number): Author | null => {
    if (cache.has(client)) return cache.get(client)!;
    const entry = authors.get(String(client));
    let author: Author | null = null;
    if (entry && typeof entry === 'object' && typeof entry.userId === 'string') {
      author =
        entry.userId === SERVER_AUTHOR.userId
          ? { userId: '', name: SERVER_AUTHOR.name, color: SERVER_COLOR }
          : { userId: entry.userId, name: typeof entry.name === 'string' ? entry.name : 'Someone', color: colorForUser(entry.userId) };
    }
    cache.set(client, author);
    return author;
  };
  return (client, clock) => {
    const handBack = handBacks.get(client)?.find((entry) => clock >= entry.clock && clock < entry.clock + entry.length);
    if (handBack) return { userId: `${HANDBACK_KEY_PREFIX}${handBack.userId}`, name: `Handed back by ${handBack.name}`, color: HANDED_BACK_COLOR };
    return byClient(client);
  };
}

export interface AuthorShare extends Author {
  /** Characters of the body this author wrote (still there). */
  chars: number;
}

/** Who wrote how much of the body now, largest share first. */
export function authorsInBody(doc: Y.Doc): AuthorShare[] {
  const resolve = authorResolver(doc);
  const byUser = new Map<string, AuthorShare>();
  const visit = (type: AnyType) => {
    for (let item = type._start; item !== null; item = item.right) {
      if (item.deleted) continue;
      if (item.content instanceof Y.ContentString) {
        const author = resolve(item.id.client, item.id.clock);
        if (!author) continue;
        const share = byUser.get(author.userId) ?? { ...author, chars: 0 };
        share.chars += item.length;
        byUser.set(author.userId, share);
      } else if (item.content instanceof Y.ContentType) {
        visit(item.content.type);
      }
    }
  };
  visit(getBody(doc));
  return [...byUser.values()].sort((a, b) => b.chars - a.chars || a.name.localeCompare(b.name));
}
