import { colorForUser, type AwarenessIdentity } from '@copydesk/protocol';
import type { PresenceTracker } from '../../presence/tracker.ts';
import type { CollabConnection, CollabExtension, DocContext } from '../types.ts';

/**
 * Presence from the collab connections: who is connected (from the session, per socket), and
 * what their awareness says (focus, visibility, caret). Every awareness state a client sends is
 * stamped with that connection's identity before anyone receives it, so a client that writes
 * another user's name or id into its state is corrected.
 */
export class PresenceAwarenessExtension implements CollabExtension {
  readonly name = 'presence-awareness';

  constructor(private readonly tracker: PresenceTracker) {}

  onConnect({ articleId, doc, connection }: DocContext & { connection: CollabConnection }): void {
    this.tracker.join(articleId, doc, connection);
  }

  onAwareness({ articleId, awareness, connection, added, updated }: DocContext & { connection: CollabConnection | null; added: number[]; updated: number[] }): void {
    if (!connection) return; // removals by the server (closed socket, timed-out state) change nobody's place
    const states = awareness.getStates();
    const identity = identityOf(connection, this.tracker.colors.get(articleId, connection.user.id));
    for (const ids of [added, updated]) {
      for (const id of ids) {
        const state = states.get(id);
        if (state === undefined) continue;
        if (typeof state !== 'object' || state === null || Array.isArray(state)) {
          states.set(id, { user: identity });
          continue;
        }
        state.user = identity;
        this.tracker.awareness(articleId, connection.id, state);
      }
    }
  }

  onDisconnect({ articleId, connection }: DocContext & { connection: CollabConnection }): void {
    this.tracker.leave(articleId, connection.id);
  }

  onUnload({ articleId }: { articleId: string }): void {
    this.tracker.unload(articleId);
  }
}

const identities = new WeakMap<CollabConnection, AwarenessIdentity>();

/** The identity a connection's awareness states carry: always the session's user, in the colour the server gave them in this article. */
export function identityOf(connection: CollabConnection, color: string = colorForUser(connection.user.id)): AwarenessIdentity {
  let identity = identities.get(connection);
  if (!identity) {
    identity = { id: connection.user.id, name: connection.user.displayName, color };
    identities.set(connection, identity);
  }
  return identity;
}
