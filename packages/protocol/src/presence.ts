/**
 * Edit presence: who is in which article, where, doing what. The server computes all of it
 * (identity from the session, state from what it applied and saw); clients only declare which
 * field has their focus and whether their tab is hidden.
 */

/** `active`: typed or moved in the last PRESENCE_IDLE_MS (60 s); `idle`: otherwise; `away`: every tab hidden. */
export type PresenceState = 'active' | 'idle' | 'away';
export const PRESENCE_STATES: readonly PresenceState[] = ['active', 'idle', 'away'];

/** The part of the article a person is in. */
export type PresencePart = 'headline' | 'dek' | 'body';

export interface PresenceSection {
  part: PresencePart;
  /** Body only: 0-based index of the top-level block (paragraph, heading, list…); null when unknown. */
  block: number | null;
  /** Body only: text of the heading the person is in, or of the nearest heading above them. */
  heading: string | null;
  /** What to show beside a name: "Headline", "Dek", "¶ 4", "¶ 4 · Reaction", "Body". */
  label: string;
}

/** One person in one article (several tabs, even on several server instances, are one person). */
export interface PresencePerson {
  userId: string;
  displayName: string;
  /** Caret and avatar colour (colorForUser). */
  color: string;
  state: PresenceState;
  section: PresenceSection | null;
  /** When this person opened the article (this session). */
  since: string;
  /** When they last typed or moved their caret. */
  lastActiveAt: string;
  /** Characters inserted and deleted this session, counted from the updates the server applied for them. */
  inserted: number;
  deleted: number;
  /** Open tabs (connections) of this person on this article. */
  tabs: number;
}

export interface PresenceCollision {
  /** The block (or headline/dek) two or more active people are in. */
  section: PresenceSection;
  userIds: string[];
}

export interface PresenceFlags {
  /** Blocks where two or more people are active at once. */
  collisions: PresenceCollision[];
  /** The deadline is within the next hour (or has passed) and nobody is active in the article. */
  deadlineAtRisk: boolean;
}

export interface PresenceArticle {
  articleId: string;
  headline: string;
  status: string;
  deadline: string | null;
  people: PresencePerson[];
  flags: PresenceFlags;
}

/**
 * `GET /api/presence` (leads) and the `presence:subscribe` snapshot: every article with people
 * in it now, plus articles flagged for their deadline.
 */
export interface PresenceSnapshot {
  articles: PresenceArticle[];
  /** Server time of the snapshot. */
  at: string;
}

/**
 * One article's change in a `presence:changed` batch. Only what changed is sent: people who
 * appeared or changed (whole person records), ids of people who left, and the article's own
 * fields when they changed. `gone` removes the article from the board.
 */
export interface PresenceChange {
  articleId: string;
  /** Present when the article is new on the board or its headline, status, deadline or flags changed. */
  article?: Omit<PresenceArticle, 'people'>;
  upserted?: PresencePerson[];
  removed?: string[];
  gone?: true;
}

export interface PresenceChangedEvent {
  changes: PresenceChange[];
  at: string;
}

/** Applies a `presence:changed` batch to a list of articles (pure; used by the board and the editor). */
export function applyPresenceChanges(articles: readonly PresenceArticle[], changes: readonly PresenceChange[]): PresenceArticle[] {
  const byId = new Map(articles.map((a) => [a.articleId, a]));
  for (const change of changes) {
    if (change.gone) {
      byId.delete(change.articleId);
      continue;
    }
    const current = byId.get(change.articleId);
    const base: PresenceArticle | null = change.article ? { ...change.article, people: current?.people ?? [] } : current ?? null;
    if (!base) continue; // a change to an article we never saw: the next snapshot brings it
    let people = base.people;
    if (change.removed?.length) {
      const removed = new Set(change.removed);
      people = people.filter((p) => !removed.has(p.userId));
    }
    if (change.upserted?.length) {
      const next = new Map(people.map((p) => [p.userId, p]));
      for (const person of change.upserted) next.set(person.userId, person);
      people = [...next.values()];
    }
    byId.set(change.articleId, { ...base, people: sortPeople(people) });
  }
  return [...byId.values()];
}

const STATE_ORDER: Record<PresenceState, number> = { active: 0, idle: 1, away: 2 };

/** Active first, then idle, then away; by name within a state. */
export function sortPeople(people: PresencePerson[]): PresencePerson[] {
  return [...people].sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || a.displayName.localeCompare(b.displayName) || a.userId.localeCompare(b.userId));
}

/** Two people are in the same place when this key is equal (null: nowhere comparable). */
export function sectionKey(section: PresenceSection | null): string | null {
  if (!section) return null;
  if (section.part !== 'body') return section.part;
  return section.block === null ? null : `body:${section.block}`;
}

// ---- Awareness -------------------------------------------------------------------

/** Awareness field a client declares its focus and visibility in: `{section, away}`. */
export const AWARENESS_PRESENCE_FIELD = 'presence';

/** What a client may declare (everything else about presence is computed by the server). */
export interface AwarenessPresence {
  /** The field with the focus; the body block comes from the y-prosemirror `cursor` field. */
  section: PresencePart | null;
  /** The tab is hidden (document.visibilityState). */
  away: boolean;
}

/** The identity the server stamps on every awareness state (`user`), whatever the client wrote. */
export interface AwarenessIdentity {
  id: string;
  name: string;
  color: string;
}

// ---- Authorship ------------------------------------------------------------------

/**
 * Root Y.Map of an article's doc, written only by the server: Yjs client id (as a string) →
 * the author of everything that client id wrote. Client updates that touch it are refused.
 */
export const AUTHORS_MAP = 'authors';

export interface AuthorEntry {
  userId: string;
  name: string;
}

/** The author entry of text the server itself wrote (restores, imports). */
export const SERVER_AUTHOR: AuthorEntry = { userId: '', name: 'Copydesk' };

/**
 * Content one person sent under another Yjs client id than their own (after a server crash,
 * clients hand back edits the store missed). It is accepted, so nothing typed is lost, but it is
 * not credited to whoever owns the id: the server records who handed it back, in the same
 * server-only `authors` map, under `handback:<client>:<clock>` for the clock range it applied.
 */
export interface HandBackEntry extends AuthorEntry {
  handedBack: true;
  client: number;
  clock: number;
  length: number;
}

export const HANDBACK_KEY_PREFIX = 'handback:';

export function handBackKey(client: number, clock: number): string {
  return `${HANDBACK_KEY_PREFIX}${client}:${clock}`;
}

export function isHandBackEntry(value: unknown): value is HandBackEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<HandBackEntry>;
  return entry.handedBack === true && typeof entry.client === 'number' && typeof entry.clock === 'number' && typeof entry.length === 'number' && typeof entry.userId === 'string';
}

// ---- Colours ----------------------------------------------------------------------

/**
 * Ten colours that keep white text readable (contrast ≥ 4.5:1) and stay distinguishable
 * next to each other on carets, selections, avatars and author highlights.
 */
export const USER_PALETTE = [
  '#B42318', // red
  '#B54708', // amber
  '#027A48', // green
  '#026AA2', // blue
  '#6927DA', // violet
  '#C11574', // magenta
  '#0E7090', // teal
  '#3538CD', // indigo
  '#7A5C00', // ochre
  '#475467', // slate
] as const;

/** FNV-1a: a small, stable string hash (the same id gives the same colour everywhere). */
function hash(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function colorForUser(userId: string): string {
  return USER_PALETTE[hash(userId) % USER_PALETTE.length]!;
}
