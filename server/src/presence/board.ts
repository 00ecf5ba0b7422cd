import {
  colorForUser,
  sectionKey,
  sortPeople,
  type PresenceArticle,
  type PresenceChange,
  type PresenceChangedEvent,
  type PresenceCollision,
  type PresenceFlags,
  type PresencePerson,
  type PresenceSection,
  type PresenceSnapshot,
  type PresenceState,
} from '@copydesk/protocol';
import type { PresenceEntry, PresenceStore, PresenceStoreChange } from './store.ts';

/** What the board needs to know about an article. */
export interface BoardArticleMeta {
  id: string;
  headline: string;
  status: string;
  deadline: string | null;
}

export interface BoardArticleSource {
  list(): Promise<BoardArticleMeta[]>;
  get(id: string): Promise<BoardArticleMeta | null>;
}

export interface PresenceBoardOptions {
  /** At most one batch of changes per this many ms (so at most 1000/throttleMs updates per second per article). */
  throttleMs: number;
  /** An article whose deadline is this close (or past) with nobody active is flagged. */
  deadlineWindowMs?: number;
  /** How often time-driven flags (deadlines) are re-checked. */
  tickMs?: number;
  onError?: (error: unknown) => void;
  now?: () => number;
}

/** Statuses in which a story is still being written: only these can be at risk of missing their deadline. */
const WORKING_STATUSES: ReadonlySet<string> = new Set(['draft', 'filed', 'editing']);
const STATE_RANK: Record<PresenceState, number> = { active: 0, idle: 1, away: 2 };

type ArticleHead = Omit<PresenceArticle, 'people'>;

/**
 * The presence board: merges the PresenceStore's entries (every instance) into one person per
 * user and article, adds article facts and flags, and turns changes into throttled batches of
 * per-person diffs (`presence:changed`). Snapshots are taken from the same state the diffs
 * are computed against, so a snapshot followed by the next batches is always complete.
 */
export class PresenceBoard {
  /** articleId → userId → instanceId → entry. */
  private readonly entries = new Map<string, Map<string, Map<string, PresenceEntry>>>();
  private readonly meta = new Map<string, BoardArticleMeta>();
  private readonly loadingMeta = new Set<string>();
  /** What subscribers have been told: the board as of the last flush. */
  private readonly emitted = new Map<string, { head: ArticleHead; people: Map<string, PresencePerson> }>();
  private readonly dirty = new Set<string>();
  private readonly listeners = new Set<(event: PresenceChangedEvent) => void>();
  private flushTimer: NodeJS.Timeout | null = null;
  private tickTimer: NodeJS.Timeout | null = null;
  private lastFlushAt = 0;
  private unsubscribe: (() => void) | null = null;
  private readonly now: () => number;
  private readonly deadlineWindowMs: number;
  readonly ready: Promise<void>;

  constructor(
    private readonly store: PresenceStore,
    private readonly source: BoardArticleSource,
    private readonly options: PresenceBoardOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.deadlineWindowMs = options.deadlineWindowMs ?? 60 * 60_000;
    this.ready = this.start();
    this.ready.catch((error) => options.onError?.(error));
  }

  private async start(): Promise<void> {
    this.unsubscribe = this.store.subscribe((change) => this.apply(change));
    const [entries, articles] = await Promise.all([this.store.list(), this.source.list()]);
    for (const article of articles) if (!this.meta.has(article.id)) this.meta.set(article.id, article);
    for (const entry of entries) {
      const users = this.entries.get(entry.articleId);
      if (!users?.get(entry.userId)?.has(entry.instanceId)) this.apply({ type: 'upsert', entry });
    }
    for (const article of articles) if (article.deadline) this.markDirty(article.id);
    this.tickTimer = setInterval(() => this.tick(), this.options.tickMs ?? 15_000);
    this.tickTimer.unref();
  }

  /** An article was created or changed (headline, status, deadline). */
  articleChanged(article: BoardArticleMeta): void {
    const before = this.meta.get(article.id);
    this.meta.set(article.id, { id: article.id, headline: article.headline, status: article.status, deadline: article.deadline });
    if (before && before.headline === article.headline && before.status === article.status && before.deadline === article.deadline) return;
    if (this.emitted.has(article.id) || this.entries.has(article.id) || article.deadline) this.markDirty(article.id);
  }

  /** Every article on the board now (flushes pending changes first, so the next batch follows on from it). */
  snapshot(): PresenceSnapshot {
    this.flush();
    return { articles: [...this.emitted.values()].map(({ head, people }) => ({ ...head, people: sortPeople([...people.values()]) })), at: new Date(this.now()).toISOString() };
  }

  /** One article's presence now (empty when nobody is in it). */
  article(articleId: string): PresenceArticle {
    this.flush();
    const emitted = this.emitted.get(articleId);
    if (emitted) return { ...emitted.head, people: sortPeople([...emitted.people.values()]) };
    const meta = this.meta.get(articleId);
    return {
      articleId,
      headline: meta?.headline ?? '',
      status: meta?.status ?? 'draft',
      deadline: meta?.deadline ?? null,
      people: [],
      flags: { collisions: [], deadlineAtRisk: false },
    };
  }

  /** Throttled batches of changes (to the board and, per article, to its watchers). */
  onChange(listener: (event: PresenceChangedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.unsubscribe?.();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.flushTimer = null;
    this.listeners.clear();
  }

  private apply(change: PresenceStoreChange): void {
    if (change.type === 'upsert') {
      const { entry } = change;
      let users = this.entries.get(entry.articleId);
      if (!users) this.entries.set(entry.articleId, (users = new Map()));
      let instances = users.get(entry.userId);
      if (!instances) users.set(entry.userId, (instances = new Map()));
      instances.set(entry.instanceId, entry);
      if (!this.meta.has(entry.articleId)) this.loadMeta(entry.articleId);
      this.markDirty(entry.articleId);
    } else {
      const { instanceId, articleId, userId } = change.key;
      const users = this.entries.get(articleId);
      const instances = users?.get(userId);
      if (!users || !instances?.delete(instanceId)) return;
      if (instances.size === 0) users.delete(userId);
      if (users.size === 0) this.entries.delete(articleId);
      this.markDirty(articleId);
    }
  }

  private loadMeta(articleId: string): void {
    if (this.loadingMeta.has(articleId)) return;
    this.loadingMeta.add(articleId);
    this.source
      .get(articleId)
      .then((meta) => {
        if (meta && !this.meta.has(articleId)) this.meta.set(articleId, meta);
        this.markDirty(articleId);
      })
      .catch((error) => this.options.onError?.(error))
      .finally(() => this.loadingMeta.delete(articleId));
  }

  private markDirty(articleId: string): void {
    this.dirty.add(articleId);
    if (this.flushTimer) return;
    const wait = Math.max(0, this.lastFlushAt + this.options.throttleMs - this.now());
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flush();
    }, wait);
    this.flushTimer.unref();
  }

  /** Deadlines come closer with time alone. */
  private tick(): void {
    for (const [id, meta] of this.meta) if (meta.deadline && WORKING_STATUSES.has(meta.status)) this.markDirty(id);
    for (const id of this.emitted.keys()) this.markDirty(id);
  }

  private flush(): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    if (this.dirty.size === 0) return;
    this.lastFlushAt = this.now();
    const changes: PresenceChange[] = [];
    for (const articleId of this.dirty) {
      const next = this.compute(articleId);
      const prev = this.emitted.get(articleId);
      if (!next) {
        if (prev) {
          this.emitted.delete(articleId);
          changes.push({ articleId, gone: true });
        }
        continue;
      }
      const change: PresenceChange = { articleId };
      if (!prev || !sameHead(prev.head, next.head)) change.article = next.head;
      const upserted = next.people.filter((p) => !samePerson(prev?.people.get(p.userId), p));
      if (upserted.length) change.upserted = upserted;
      const present = new Set(next.people.map((p) => p.userId));
      const removed = prev ? [...prev.people.keys()].filter((id) => !present.has(id)) : [];
      if (removed.length) change.removed = removed;
      this.emitted.set(articleId, { head: next.head, people: new Map(next.people.map((p) => [p.userId, p])) });
      if (change.article || change.upserted || change.removed) changes.push(change);
    }
    this.dirty.clear();
    if (changes.length === 0) return;
    const event: PresenceChangedEvent = { changes, at: new Date(this.lastFlushAt).toISOString() };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.onError?.(error);
      }
    }
  }

  /** The article as the board shows it, or null when it does not belong on the board. */
  private compute(articleId: string): { head: ArticleHead; people: PresencePerson[] } | null {
    const users = this.entries.get(articleId);
    const people = users ? [...users.values()].map((instances) => mergePerson([...instances.values()])) : [];
    const meta = this.meta.get(articleId);
    const flags: PresenceFlags = { collisions: collisionsOf(people), deadlineAtRisk: this.deadlineAtRisk(meta, people) };
    if (people.length === 0 && !flags.deadlineAtRisk) return null;
    return {
      head: { articleId, headline: meta?.headline ?? '', status: meta?.status ?? 'draft', deadline: meta?.deadline ?? null, flags },
      people: sortPeople(people),
    };
  }

  private deadlineAtRisk(meta: BoardArticleMeta | undefined, people: PresencePerson[]): boolean {
    if (!meta?.deadline || !WORKING_STATUSES.has(meta.status)) return false;
    const due = Date.parse(meta.deadline);
    if (Number.isNaN(due) || due - this.now() > this.deadlineWindowMs) return false;
    return !people.some((p) => p.state === 'active');
  }
}

/** One person from their entries on every instance: best state, where they were last active, summed counts. */
export function mergePerson(entries: PresenceEntry[]): PresencePerson {
  let latest = entries[0]!;
  let state: PresenceState = latest.state;
  let since = latest.since;
  let inserted = 0;
  let deleted = 0;
  let tabs = 0;
  for (const entry of entries) {
    if (entry.lastActiveAt > latest.lastActiveAt) latest = entry;
    if (STATE_RANK[entry.state] < STATE_RANK[state]) state = entry.state;
    if (entry.since < since) since = entry.since;
    inserted += entry.inserted;
    deleted += entry.deleted;
    tabs += entry.tabs;
  }
  return {
    userId: latest.userId,
    displayName: latest.displayName,
    color: latest.color ?? colorForUser(latest.userId),
    state,
    section: latest.section,
    since,
    lastActiveAt: latest.lastActiveAt,
    inserted,
    deleted,
    tabs,
  };
}

/** Blocks (or headline, dek) with two or more active people. */
export function collisionsOf(people: PresencePerson[]): PresenceCollision[] {
  const groups = new Map<string, { section: PresenceSection; userIds: string[] }>();
  for (const person of people) {
    if (person.state !== 'active') continue;
    const key = sectionKey(person.section);
    if (key === null) continue;
    const group = groups.get(key);
    if (group) group.userIds.push(person.userId);
    else groups.set(key, { section: person.section!, userIds: [person.userId] });
  }
  return [...groups.values()].filter((g) => g.userIds.length >= 2).map((g) => ({ section: g.section, userIds: g.userIds.sort() }));
}

function sameHead(a: ArticleHead, b: ArticleHead): boolean {
  return (
    a.headline === b.headline &&
    a.status === b.status &&
    a.deadline === b.deadline &&
    a.flags.deadlineAtRisk === b.flags.deadlineAtRisk &&
    JSON.stringify(a.flags.collisions) === JSON.stringify(b.flags.collisions)
  );
}

function samePerson(a: PresencePerson | undefined, b: PresencePerson): boolean {
  if (!a) return false;
  return (
    a.displayName === b.displayName &&
    a.state === b.state &&
    a.since === b.since &&
    a.lastActiveAt === b.lastActiveAt &&
    a.inserted === b.inserted &&
    a.deleted === b.deleted &&
    a.tabs === b.tabs &&
    a.color === b.color &&
    (a.section === b.section || (a.section !== null && b.section !== null && a.section.label === b.section.label && a.section.block === b.section.block && a.section.part === b.section.part))
  );
}
