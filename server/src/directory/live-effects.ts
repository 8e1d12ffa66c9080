import type { DirectoryAccount, StoredEvent } from '@lagesbild/shared';
import type { HubState } from '../hub/hub-state.js';
import { rooms } from '../rooms.js';

/** What the live effects need of the broadcaster (the only module that touches sockets). */
export type Disconnector = { disconnect(room: string): void };

/** The part of an account that decides what its sockets may see and do. */
const rightsOf = (account: DirectoryAccount) =>
  JSON.stringify([account.disabled, account.actorId, [...account.functionIds].sort()]);

/**
 * Makes directory changes take effect on open sockets of this hub. Every hub folds every
 * directory event from the log, so a change made on one hub (or by the command-line tool)
 * acts on all of them within the time it takes to tail the log:
 * - `session.revoked` (sign-out) drops that session's sockets;
 * - an account disabled, or with other functions or another actor, drops its sockets, so
 *   they reconnect with the new rights (or are refused);
 * - a revoked device drops its sockets at once.
 */
export function applyLiveEffects(hub: HubState, sockets: Disconnector): () => void {
  // Directory events carry the new account only; remember enough of the old to compare.
  const known = new Map(Object.values(hub.directory.accounts).map((a) => [a.id, rightsOf(a)]));
  return hub.onEvents((events: readonly StoredEvent[]) => {
    for (const event of events) {
      switch (event.type) {
        case 'session.revoked':
          sockets.disconnect(rooms.session(event.payload.sessionId));
          break;
        case 'account.saved': {
          const { account } = event.payload;
          const before = known.get(account.id);
          const after = rightsOf(account);
          known.set(account.id, after);
          if (before !== undefined && before !== after) sockets.disconnect(rooms.user(account.id));
          break;
        }
        case 'device.saved':
          if (event.payload.device.revokedAt !== null)
            sockets.disconnect(rooms.device(event.payload.device.id));
          break;
        default:
          break;
      }
    }
  });
}
