import type { Logger } from 'pino';
import type { VersionService } from '../../newsroom/versions.ts';
import { ORIGIN_STORE, type CollabExtension, type DocContext, type UpdateOrigin } from '../types.ts';

/** Takes an "Autosave" version every `intervalMs` while an article is being edited. */
export class VersionAutosaveExtension implements CollabExtension {
  readonly name = 'version-autosave';
  private readonly lastTaken = new Map<string, number>();
  private readonly taking = new Set<string>();

  constructor(
    private readonly versions: () => VersionService,
    private readonly log: Logger,
    private readonly intervalMs: number,
  ) {}

  async onLoad({ articleId }: DocContext): Promise<void> {
    this.lastTaken.set(articleId, Date.now());
  }

  onChange({ articleId, origin }: DocContext & { origin: UpdateOrigin }): void {
    if (origin === ORIGIN_STORE || typeof origin === 'symbol' || this.taking.has(articleId)) return;
    const last = this.lastTaken.get(articleId) ?? Date.now();
    if (Date.now() - last < this.intervalMs) return;
    this.taking.add(articleId);
    this.lastTaken.set(articleId, Date.now());
    // After this update is applied: taking a version inside the update handler would nest transactions.
    setImmediate(() => {
      this.versions()
        .take(articleId, { cause: 'autosave', label: 'Autosave', authorId: origin.user.id })
        .catch((err) => this.log.error({ err, articleId }, 'autosave version failed'))
        .finally(() => this.taking.delete(articleId));
    });
  }

  onUnload({ articleId }: { articleId: string }): void {
    this.lastTaken.delete(articleId);
  }
}
