import type { ArticlePerson } from '@copydesk/protocol';
import type { Store } from '../storage/store.ts';

/** Resolves user ids to {id, displayName} for bylines, assignees and timelines. */
export class People {
  private cache = new Map<string, ArticlePerson>();
  constructor(private readonly store: Store) {}

  async person(id: string): Promise<ArticlePerson> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const user = await this.store.users.findById(id);
    const person = { id, displayName: user?.displayName ?? 'Former staff' };
    if (user) this.cache.set(id, person);
    return person;
  }

  people(ids: string[]): Promise<ArticlePerson[]> {
    return Promise.all(ids.map((id) => this.person(id)));
  }

  async exists(id: string): Promise<boolean> {
    return (await this.store.users.findById(id)) !== null;
  }
}
