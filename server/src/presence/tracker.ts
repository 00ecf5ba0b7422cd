import type * as Y from 'yjs';
import { ArticleColors } from './colors.ts';
import { AWARENESS_PRESENCE_FIELD, type PresencePart, type PresenceSection, type PresenceState } from '@copydesk/protocol';
import { resolveSection } from './sections.ts';
import type { PresenceEntry, PresenceStore } from './store.ts';

export interface PresenceTrackerOptions {
  /** This instance's name in the PresenceStore. */
  instanceId: string;
  /** Without typing or moving for this long, a person turns from `active` to `idle`. */
  idleMs: number;
  /** Changes of one article are gathered for this long, then published together. */
  publishDelayMs?: number;
  /** A person who comes back within this long after their last tab closed resumes their session (since, counts). */
  resumeMs?: number;
  onError?: (error: unknown) => void;
  now?: () => number;
}

/** Who is connected, as the tracker needs it (a CollabConnection fits). */
export interface TrackedConnection {
  id: string;
  user: { id: string; displayName: string };
}

/** One /collab connection: a tab. */
interface Tab {
  userId: string;
  lastActiveAt: number;
  away: boolean;
  declared: PresencePart | null;
  cursorHead: unknown;
  /** What the last awareness state said (focus, visibility, caret), to tell a move from a renewal. */
  fingerprint: string | null;
}

/** One person in one article, across their tabs on this instance. */
interface Session {
  displayName: string;
  since: number;
  lastActiveAt: number;
  inserted: number;
  deleted: number;
}

interface TrackedArticle {
  doc: Y.Doc;
  tabs: Map<string, Tab>;
  sessions: Map<string, Session>;
  /** What this instance last published for each person. */
  published: Map<string, PresenceEntry>;
}

const PARTS: ReadonlySet<string> = new Set(['headline', 'dek', 'body']);

/**
 * This instance's presence: which connection is whose, where each tab is (from its awareness
 * state), when each person last typed or moved, and what they typed (from the updates the
 * server applied). Publishes one PresenceEntry per person and article to the PresenceStore,
 * only when it changed, gathered per article.
 */
export class PresenceTracker {
  private readonly articles = new Map<string, TrackedArticle>();
  /** Distinct caret/avatar colours per article, given when a person joins. */
  readonly colors = new ArticleColors();
  /** Sessions of people whose last tab closed recently: `articleId \0 userId` → session and when they left. */
  private readonly recent = new Map<string, { session: Session; leftAt: number }>();
  private readonly dirty = new Set<string>();
  private publishTimer: NodeJS.Timeout | null = null;
  private readonly sweepTimer: NodeJS.Timeout;
  private readonly now: () => number;
  private readonly publishDelayMs: number;
  private readonly resumeMs: number;
  private closed = false;

  constructor(
    private readonly store: PresenceStore,
    private readonly options: PresenceTrackerOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.publishDelayMs = options.publishDelayMs ?? 50;
    this.resumeMs = options.resumeMs ?? 2 * 60_000;
    // Active turns idle with time alone: look often enough to be late by at most a quarter of the idle time (≤ 1 s).
    this.sweepTimer = setInterval(() => this.sweep(), Math.max(50, Math.min(1000, Math.floor(options.idleMs / 4))));
    this.sweepTimer.unref();
  }

  join(articleId: string, doc: Y.Doc, connection: TrackedConnection): void {
    const now = this.now();
    let article = this.articles.get(articleId);
    if (!article) {
      article = { doc, tabs: new Map(), sessions: new Map(), published: new Map() };
      this.articles.set(articleId, article);
    }
    article.doc = doc;
    const userId = connection.user.id;
    this.colors.assign(articleId, userId, [...article.tabs.values()].map((t) => t.userId));
    article.tabs.set(connection.id, { userId, lastActiveAt: now, away: false, declared: null, cursorHead: null, fingerprint: null });
    let session = article.sessions.get(userId);
    if (!session) {
      const key = recentKey(articleId, userId);
      const resumed = this.recent.get(key);
      this.recent.delete(key);
      session =
        resumed && now - resumed.leftAt <= this.resumeMs
          ? resumed.session
          : { displayName: connection.user.displayName, since: now, lastActiveAt: now, inserted: 0, deleted: 0 };
      article.sessions.set(userId, session);
    }
    session.displayName = connection.user.displayName;
    session.lastActiveAt = now;
    this.markDirty(articleId);
  }

  leave(articleId: string, connectionId: string): void {
    const article = this.articles.get(articleId);
    const tab = article?.tabs.get(connectionId);
    if (!article || !tab) return;
    article.tabs.delete(connectionId);
    if (![...article.tabs.values()].some((t) => t.userId === tab.userId)) {
      const session = article.sessions.get(tab.userId);
      article.sessions.delete(tab.userId);
      if (session) this.recent.set(recentKey(articleId, tab.userId), { session, leftAt: this.now() });
    }
    this.markDirty(articleId);
  }

  /** A tab's awareness state (already stamped with its identity by the server). */
  awareness(articleId: string, connectionId: string, state: unknown): void {
    const tab = this.articles.get(articleId)?.tabs.get(connectionId);
    if (!tab || typeof state !== 'object' || state === null) return;
    const record = state as Record<string, unknown>;
    const presence = record[AWARENESS_PRESENCE_FIELD] as Record<string, unknown> | null | undefined;
    const declared = typeof presence?.section === 'string' && PARTS.has(presence.section) ? (presence.section as PresencePart) : null;
    const away = presence?.away === true;
    const cursor = record.cursor as { head?: unknown } | null | undefined;
    const head = typeof cursor === 'object' && cursor !== null ? (cursor.head ?? null) : null;
    let fingerprint: string;
    try {
      fingerprint = `${declared}|${away}|${JSON.stringify(cursor ?? null)}`;
    } catch {
      return;
    }
    if (fingerprint === tab.fingerprint) return; // a renewal: nothing moved
    const first = tab.fingerprint === null;
    tab.fingerprint = fingerprint;
    tab.away = away;
    tab.declared = declared;
    // Leaving the body clears the y-prosemirror caret; remember the block until they go elsewhere.
    if (head !== null || declared !== 'body') tab.cursorHead = head;
    if (!first && !away) this.touch(articleId, tab);
    this.markDirty(articleId);
  }

  /** The server applied an update from this connection: characters it inserted and deleted. */
  edited(articleId: string, connectionId: string, inserted: number, deleted: number): void {
    const article = this.articles.get(articleId);
    const tab = article?.tabs.get(connectionId);
    if (!article || !tab) return;
    const session = article.sessions.get(tab.userId);
    if (session) {
      session.inserted += inserted;
      session.deleted += deleted;
    }
    this.touch(articleId, tab);
    this.markDirty(articleId);
  }

  /** The doc unloaded (its last connection is long gone). */
  unload(articleId: string): void {
    if (this.articles.get(articleId)?.tabs.size === 0) this.markDirty(articleId);
  }

  /** Publishes every entry again (after the store lost them, e.g. a Redis reconnect). */
  async republish(): Promise<void> {
    for (const article of this.articles.values()) for (const entry of article.published.values()) await this.store.upsert(entry);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweepTimer);
    if (this.publishTimer) clearTimeout(this.publishTimer);
    this.publishTimer = null;
    await this.store.removeInstance(this.options.instanceId);
  }

  private touch(articleId: string, tab: Tab): void {
    const now = this.now();
    tab.lastActiveAt = now;
    const session = this.articles.get(articleId)?.sessions.get(tab.userId);
    if (session) session.lastActiveAt = now;
  }

  private markDirty(articleId: string): void {
    if (this.closed) return;
    this.dirty.add(articleId);
    if (this.publishTimer) return;
    this.publishTimer = setTimeout(() => {
      this.publishTimer = null;
      this.publish();
    }, this.publishDelayMs);
    this.publishTimer.unref();
  }

  private publish(): void {
    const dirty = [...this.dirty];
    this.dirty.clear();
    const now = this.now();
    for (const articleId of dirty) {
      const article = this.articles.get(articleId);
      if (!article) continue;
      const next = new Map<string, PresenceEntry>();
      for (const [userId, session] of article.sessions) next.set(userId, this.entryOf(articleId, article, userId, session, now));
      for (const [userId, entry] of next) {
        if (sameEntry(article.published.get(userId), entry)) continue;
        article.published.set(userId, entry);
        this.store.upsert(entry).catch((error) => this.options.onError?.(error));
      }
      for (const userId of [...article.published.keys()]) {
        if (next.has(userId)) continue;
        article.published.delete(userId);
        this.store.remove({ instanceId: this.options.instanceId, articleId, userId }).catch((error) => this.options.onError?.(error));
      }
      // Nobody left: forget the article (and its doc).
      if (article.tabs.size === 0 && article.published.size === 0) this.articles.delete(articleId);
    }
  }

  private entryOf(articleId: string, article: TrackedArticle, userId: string, session: Session, now: number): PresenceEntry {
    const tabs = [...article.tabs.values()].filter((t) => t.userId === userId);
    // Where they are: the tab they used last.
    let latest: Tab | null = null;
    for (const tab of tabs) if (!latest || tab.lastActiveAt >= latest.lastActiveAt) latest = tab;
    let section: PresenceSection | null = null;
    if (latest) {
      try {
        section = resolveSection(article.doc, latest.declared, latest.cursorHead);
      } catch {
        section = null;
      }
    }
    return {
      instanceId: this.options.instanceId,
      articleId,
      userId,
      displayName: session.displayName,
      color: this.colors.get(articleId, userId),
      tabs: tabs.length,
      state: this.stateOf(tabs, session, now),
      section,
      since: new Date(session.since).toISOString(),
      lastActiveAt: new Date(session.lastActiveAt).toISOString(),
      inserted: session.inserted,
      deleted: session.deleted,
    };
  }

  private stateOf(tabs: Tab[], session: Session, now: number): PresenceState {
    if (tabs.length > 0 && tabs.every((t) => t.away)) return 'away';
    return now - session.lastActiveAt < this.options.idleMs ? 'active' : 'idle';
  }

  /** Time alone turns active into idle; old resumable sessions are forgotten. */
  private sweep(): void {
    const now = this.now();
    for (const [articleId, article] of this.articles) {
      for (const [userId, entry] of article.published) {
        const session = article.sessions.get(userId);
        if (!session || entry.state !== 'active') continue;
        if (now - session.lastActiveAt >= this.options.idleMs) this.markDirty(articleId);
      }
    }
    for (const [key, { leftAt }] of this.recent) if (now - leftAt > this.resumeMs) this.recent.delete(key);
  }
}

const recentKey = (articleId: string, userId: string) => `${articleId}\u0000${userId}`;

function sameSection(a: PresenceSection | null, b: PresenceSection | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.part === b.part && a.block === b.block && a.label === b.label && a.heading === b.heading;
}

function sameEntry(a: PresenceEntry | undefined, b: PresenceEntry): boolean {
  return (
    a !== undefined &&
    a.displayName === b.displayName &&
    a.color === b.color &&
    a.tabs === b.tabs &&
    a.state === b.state &&
    sameSection(a.section, b.section) &&
    a.since === b.since &&
    a.lastActiveAt === b.lastActiveAt &&
    a.inserted === b.inserted &&
    a.deleted === b.deleted
  );
}
