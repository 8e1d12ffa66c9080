import type { Command } from '@lagesbild/shared';
import { isRetryable, localFailure, type ClientError, type ClientResult } from '../api/client-result';
import { useOutbox } from '../stores/outbox';
import { newId as randomId } from '../domain/ids';
import { isFinalRefusal, isPending, leavesOutcomeUnknown, type OutboxItem } from './outbox-item';
import type { OutboxStorage } from './outbox-storage';
import { changeOnCurrent } from './stale-choice';

/** How the outbox reaches the hub: the realtime module's `sendCommand` in the app. */
export type CommandSender = (command: Command) => Promise<ClientResult<{ seq: number }>>;

/** Runs `task` while no other tab of this origin drains the outbox. */
export type ExclusiveRunner = (task: () => Promise<void>) => Promise<void>;

export type OutboxDeps = {
  storage: OutboxStorage;
  send: CommandSender;
  now?: () => number;
  exclusive?: ExclusiveRunner;
  /** Delay before retrying after a timeout or a busy hub; `attempt` counts from 1. */
  retryDelayMs?: (attempt: number) => number;
  /** Sent items older than this are forgotten when the outbox loads. */
  keepSentMs?: number;
  /** Ids for commands the outbox makes itself (a change resent on the current version). */
  newId?: () => string;
};

export type Outbox = {
  /**
   * Reads what earlier pages left behind; an item caught mid-send is queued again, not
   * confirmed, as the hub may have it.
   */
  load: () => Promise<void>;
  /** Whose commands may be sent now; null stops sending (signed out). */
  setUser: (userId: string | null) => void;
  /** Saves the command durably, then tries to send it. */
  enqueue: (userId: string, command: Command) => Promise<OutboxItem>;
  /** Sends the current user's queued commands in order, one at a time. */
  drain: () => Promise<void>;
  /**
   * Sends a refused command again, with the same id; not one whose id can never succeed
   * (see isFinalRefusal).
   */
  retry: (id: string) => Promise<void>;
  /**
   * For a change refused as `stale`, when the person keeps theirs: the same change made on
   * the current version, as a new command in place of the refused one. Resolves to the new
   * item, or null when the item is not such a refusal.
   */
  keepMine: (id: string) => Promise<OutboxItem | null>;
  /**
   * Drops a queued or refused command. One on the wire cannot be called back, nor one the
   * hub may already have (unconfirmed): dropping it would not take it off the picture.
   */
  discard: (id: string) => Promise<boolean>;
  /** Forgets the user's sent commands. */
  clearSent: (userId: string) => Promise<void>;
  dispose: () => void;
};

const DAY_MS = 24 * 3600_000;

/**
 * The wait before the outbox sends again by itself: 2 s after the first failure, doubling to
 * at most a minute, with jitter so many phones coming back at once do not resend in step.
 */
export const defaultRetryDelay = (attempt: number): number =>
  Math.min(60_000, 2_000 * 2 ** Math.min(attempt - 1, 5)) * (0.5 + Math.random());

// Web Locks serialise draining across tabs of the same user; without them each tab drains
// alone, and the hub's idempotency check still keeps every command to one application.
const webLocks: ExclusiveRunner = async (task) => {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return task();
  await locks.request('lagesbild-outbox-drain', task);
};

/**
 * Refusals that say nothing against the command, only that this page cannot send it yet:
 * the session ended (`unauthenticated`: it waits for the same user's next sign-in) or the
 * page is older than the hub (`protocol_mismatch`: it waits for the reload that updates
 * it). Resending on a timer would only be refused again.
 */
const waitsForThePage = (error: ClientError): boolean =>
  error.code === 'unauthenticated' || error.code === 'protocol_mismatch';

const keepsQueued = (error: ClientError): boolean => isRetryable(error) || waitsForThePage(error);

/**
 * The outbox: every command the UI sends goes through it. An item is written to storage
 * before it is sent, and it is sent with its own id as the idempotency key, so a command is
 * never lost by a reload or a dropped link and never applied twice, however often it is
 * sent again.
 */
export function createOutbox(deps: OutboxDeps): Outbox {
  const { storage, send } = deps;
  const now = deps.now ?? Date.now;
  const exclusive = deps.exclusive ?? webLocks;
  const retryDelay = deps.retryDelayMs ?? defaultRetryDelay;
  const keepSentMs = deps.keepSentMs ?? DAY_MS;
  const newId = deps.newId ?? randomId;
  const store = () => useOutbox.getState();

  let userId: string | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let backingOff = false;
  let lastOrder = 0;
  const inFlight = new Set<string>();

  const save = async (item: OutboxItem) => {
    await storage.put(item);
    store().upsert(item);
  };

  const nextQueued = (user: string): OutboxItem | undefined =>
    Object.values(store().items)
      .filter((item) => item.userId === user && isPending(item))
      .sort((a, b) => a.order - b.order)[0];

  const scheduleRetry = (attempt: number) => {
    clearTimeout(retryTimer);
    backingOff = true;
    retryTimer = setTimeout(() => {
      backingOff = false;
      void drain();
    }, retryDelay(attempt));
  };

  const enqueue = async (user: string, command: Command): Promise<OutboxItem> => {
    const at = now();
    lastOrder = Math.max(at, lastOrder + 1);
    const item: OutboxItem = {
      id: command.id,
      userId: user,
      command,
      status: 'queued',
      order: lastOrder,
      createdAt: at,
      updatedAt: at,
      attempts: 0,
      seq: null,
      error: null,
      unconfirmed: false,
    };
    await save(item);
    void drain();
    return item;
  };

  const discard = async (id: string): Promise<boolean> => {
    const item = store().items[id];
    if (!item || item.status === 'sent' || item.unconfirmed || inFlight.has(id)) return false;
    await storage.delete(id);
    store().remove(id);
    return true;
  };

  async function sendQueued(): Promise<void> {
    for (;;) {
      const user = userId;
      if (user === null) return;
      const next = nextQueued(user);
      if (!next) return;
      // Another tab may have sent it since this one loaded.
      const stored = await storage.get(next.id);
      if (stored && !isPending(stored)) {
        store().upsert(stored);
        continue;
      }
      const sending: OutboxItem = {
        ...next,
        status: 'sending',
        attempts: next.attempts + 1,
        updatedAt: now(),
      };
      await save(sending);
      inFlight.add(sending.id);
      const result = await send(sending.command)
        .catch((error: unknown) => localFailure('internal', `${sending.command.type}: ${String(error)}`))
        .finally(() => inFlight.delete(sending.id));
      if (result.ok) {
        await save({
          ...sending,
          status: 'sent',
          seq: result.data.seq,
          error: null,
          unconfirmed: false,
          updatedAt: now(),
        });
        continue;
      }
      if (keepsQueued(result.error)) {
        // Once the hub may have it, it stays unconfirmed through answers that do not tell
        // (offline, signed out) until a resend gets the hub's true answer.
        const unconfirmed = sending.unconfirmed || leavesOutcomeUnknown(result.error);
        await save({ ...sending, status: 'queued', error: result.error, unconfirmed, updatedAt: now() });
        // Offline waits for the link to come back; the others are worth another try soon.
        if (result.error.code !== 'offline' && !waitsForThePage(result.error)) {
          scheduleRetry(sending.attempts);
        }
        return;
      }
      // The hub judged it (a resend of an id it has is answered with the original seq instead).
      await save({ ...sending, status: 'failed', error: result.error, unconfirmed: false, updatedAt: now() });
    }
  }

  function drain(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    // A fresh call (the link came back, the user acted) does not wait out a backoff.
    clearTimeout(retryTimer);
    backingOff = false;
    running = (async () => {
      try {
        do {
          again = false;
          await exclusive(sendQueued);
          // Calls that came in meanwhile are served by this pass, unless it just backed off.
        } while (again && !backingOff);
      } finally {
        // Cleared in the same step as the last check of `again`: a call that came in after
        // it (cleared later, by a `.finally` on the promise) joined a pass that had ended
        // and was lost, leaving a command queued until something else drained.
        running = null;
      }
    })();
    return running;
  }

  return {
    load: async () => {
      const stored = await storage.all();
      const cutoff = now() - keepSentMs;
      const kept: OutboxItem[] = [];
      for (const item of stored) {
        if (item.status === 'sent' && item.updatedAt < cutoff) {
          await storage.delete(item.id);
          continue;
        }
        // Caught on the wire by a reload: the hub may or may not have it, so it is not
        // confirmed. Sending it again with the same id is safe either way.
        kept.push(item.status === 'sending' ? { ...item, status: 'queued', unconfirmed: true } : item);
        lastOrder = Math.max(lastOrder, item.order);
      }
      store().replaceAll(kept);
    },
    setUser: (user) => {
      userId = user;
      if (user === null) clearTimeout(retryTimer);
    },
    enqueue,
    drain,
    retry: async (id) => {
      const item = store().items[id];
      if (item?.status !== 'failed' || isFinalRefusal(item)) return;
      await save({ ...item, status: 'queued', error: null, updatedAt: now() });
      await drain();
    },
    keepMine: async (id) => {
      const item = store().items[id];
      const stale = item?.status === 'failed' && item.error?.code === 'stale' ? item.error.stale : undefined;
      if (!item || !stale) return null;
      const command = changeOnCurrent(item.command, stale, newId());
      if (!command || !(await discard(id))) return null;
      return enqueue(item.userId, command);
    },
    discard,
    clearSent: async (user) => {
      const sent = Object.values(store().items).filter((i) => i.userId === user && i.status === 'sent');
      for (const item of sent) {
        await storage.delete(item.id);
        store().remove(item.id);
      }
    },
    dispose: () => {
      clearTimeout(retryTimer);
      userId = null;
    },
  };
}
