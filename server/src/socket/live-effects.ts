import type { DirectoryAccount, StoredEvent } from '@lagesbild/shared';
import type { SessionStore } from '../auth/sessions.js';
import type { HubState } from '../hub/hub-state.js';
import type { Logger } from '../base/logger.js';
import { rooms } from './rooms.js';

/** What the live effects need of the broadcaster (the only module that touches sockets). */
export type Disconnector = { disconnect(room: string): void };

/** What the live effects need of the session store. */
export type SessionRevoker = Pick<SessionStore, 'revokeAccount' | 'revokeWithoutRights'>;

type Rights = Pick<DirectoryAccount, 'disabled' | 'actorId' | 'functionIds'>;

const rightsOf = (account: DirectoryAccount): Rights => ({
  disabled: account.disabled,
  actorId: account.actorId,
  functionIds: [...account.functionIds].sort(),
});

const sameRights = (a: Rights, b: Rights) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Whether a change takes something away: then the account's sessions end for good and
 * its people sign in again. A function gained (the receiving side of a handover) keeps
 * the sessions, so a phone on duty is not signed out at the start of a shift.
 */
const losesRights = (before: Rights, after: Rights) =>
  after.disabled ||
  before.actorId !== after.actorId ||
  before.functionIds.some((functionId) => !after.functionIds.includes(functionId));

/**
 * Makes directory changes take effect on open sockets and sessions of this hub. Every hub
 * folds every directory event from the log, so a change made on one hub (or by the
 * command-line tool) acts on all of them within the time it takes to tail the log:
 * - `session.revoked` (sign-out) drops that session's sockets;
 * - an account disabled, moved to another actor or losing a function has its sessions
 *   deleted (each hub does it; deleting twice changes nothing) and its sockets dropped,
 *   so they reconnect and are refused; an account gaining a function only has its
 *   sockets dropped, so they reconnect with the new rights;
 * - a revoked device drops its sockets at once.
 * At start it deletes any session left for a disabled account, and any opened with rights
 * its account has since lost. `now` is the log's clock (hub/log-clock.ts), which sessions
 * are opened by.
 */
export function applyLiveEffects(
  hub: HubState,
  sockets: Disconnector,
  sessions: SessionRevoker,
  logger: Logger,
  now: () => number = Date.now,
): () => void {
  // Directory events carry the new account only; remember enough of the old to compare.
  const known = new Map(Object.values(hub.directory.accounts).map((a) => [a.id, rightsOf(a)]));

  const revokeSessions = (accountId: string, openedBefore: number) => {
    const room = rooms.user(accountId);
    sessions
      .revokeAccount(accountId, openedBefore)
      .then(
        (revoked) => {
          if (revoked > 0) logger.info({ accountId, revoked }, 'account sessions revoked');
        },
        (error: unknown) =>
          logger.error({ accountId, err: (error as Error).message }, 'account sessions not revoked'),
      )
      // Again once the sessions are gone: a socket that reconnected in between is refused now.
      .finally(() => sockets.disconnect(room));
  };

  // A hub killed after storing a disable but before deleting the sessions would keep them,
  // and enabling the account again would bring them back: a disabled account has none.
  // A change made with the admin tool while no hub ran left no event to act on: sessions
  // opened with an actor or a function the account has since lost go too.
  // The log's time, as the sessions' opening times are: this process's clock may be off.
  const startedAt = now();
  for (const account of Object.values(hub.directory.accounts)) {
    if (account.disabled) revokeSessions(account.id, startedAt);
    else
      sessions.revokeWithoutRights(account).then(
        (revoked) => {
          if (revoked > 0) logger.info({ accountId: account.id, revoked }, 'sessions without rights revoked');
        },
        (error: unknown) =>
          logger.error({ accountId: account.id, err: (error as Error).message }, 'sessions not revoked'),
      );
  }

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
          if (before === undefined || sameRights(before, after)) break;
          sockets.disconnect(rooms.user(account.id));
          // Only sessions opened before the change: a hub that folds it late must not end
          // the session of a sign-in made since (an OpenID Connect sign-in saves the account
          // and then opens one). Both times are the log's clock: the log stamps events, and
          // sessions are opened at the log's time (hub/log-clock.ts).
          if (losesRights(before, after)) revokeSessions(account.id, Date.parse(event.at));
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
