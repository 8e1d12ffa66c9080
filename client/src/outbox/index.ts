import type { Command } from '@lagesbild/shared';
import { localFailure } from '../api/client-result';
import { sendCommand } from '../realtime';
import { useConnection } from '../stores/connection';
import { createOutbox, type CommandSender, type Outbox } from './outbox-engine';
import type { OutboxItem } from './outbox-item';
import { indexedDbStorage, memoryStorage, type OutboxStorage } from './outbox-storage';

export {
  isFinalRefusal,
  isPending,
  isUnsent,
  shownStatus,
  waitingNote,
  type OutboxItem,
  type OutboxShownStatus,
  type OutboxStatus,
  type OutboxWaitingNote,
} from './outbox-item';

let outbox: Outbox | null = null;
let loaded: Promise<void> | null = null;
let unsubscribe: (() => void) | null = null;

function chooseStorage(): OutboxStorage {
  if (typeof indexedDB === 'undefined') {
    console.warn('IndexedDB is not available: unsent commands will not survive a reload');
    return memoryStorage();
  }
  return indexedDbStorage();
}

/**
 * Sends through the realtime link, but not while the browser says the network is gone: the
 * socket can look connected for a while after that, and a command written into it then gets
 * no ack and can only be shown as not confirmed, when in truth it never left. It waits as
 * queued instead, and goes when the link says it is back (see `startOutbox`).
 */
const send: CommandSender = (command) =>
  useConnection.getState().status === 'offline'
    ? Promise.resolve(localFailure('offline', `${command.type}: the browser is offline`))
    : sendCommand(command);

function instance(): Outbox {
  outbox ??= createOutbox({ storage: chooseStorage(), send });
  return outbox;
}

/** Reads the commands earlier pages left unsent, once per page. */
export function loadOutbox(): Promise<void> {
  loaded ??= instance()
    .load()
    .catch((error: unknown) => console.error('Could not read the outbox', error));
  return loaded;
}

/**
 * Starts sending the user's commands: now, every time the link comes back, and when the
 * hub says it can store again. The hub says hello before anything else, so "online" means
 * commands can be acked.
 */
export function startOutbox(userId: string): void {
  stopOutbox();
  const box = instance();
  box.setUser(userId);
  unsubscribe = useConnection.subscribe((state, previous) => {
    if (state.status === 'online' && previous.status !== 'online') void box.drain();
    // The hub's log is back: send now rather than after the retry backoff.
    else if (state.canStore && !previous.canStore) void box.drain();
  });
  void loadOutbox().then(() => box.drain());
}

/** Stops sending (sign-out); queued commands stay for the same user's next session. */
export function stopOutbox(): void {
  unsubscribe?.();
  unsubscribe = null;
  outbox?.setUser(null);
}

/** Every command of the UI goes here: saved first, then sent, exactly once. */
export async function submitCommand(userId: string, command: Command): Promise<OutboxItem> {
  await loadOutbox();
  return instance().enqueue(userId, command);
}

/** Sends a refused command again with the same id. */
export const retryItem = (id: string): Promise<void> => instance().retry(id);

/** Sends the person's own change, refused as stale, again on the current version (a new command). */
export const keepMineItem = (id: string): Promise<OutboxItem | null> => instance().keepMine(id);

/** Drops a queued or refused command. */
export const discardItem = (id: string): Promise<boolean> => instance().discard(id);

/** Forgets the user's sent commands. */
export const clearSentItems = (userId: string): Promise<void> => instance().clearSent(userId);
