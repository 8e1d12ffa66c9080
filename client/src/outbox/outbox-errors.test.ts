import 'fake-indexeddb/auto';
import type { Command } from '@lagesbild/shared';
import { buildLogEntryCommand, buildReport, testUuid } from '@lagesbild/shared/test-factories';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLIENT_ERROR_CODES, type ClientError } from '../api/client-result';
import { useOutbox } from '../stores/outbox';
import { createOutbox, defaultRetryDelay, type ExclusiveRunner, type Outbox } from './outbox-engine';
import { parseOutboxItem, shownStatus, type OutboxShownStatus } from './outbox-item';
import { indexedDbStorage } from './outbox-storage';
import { countingHub, type CountingHub, type Reply } from './testing/counting-hub';

/*
 * What the outbox does with each answer the hub can give, stated by hand:
 * - retriesWithBackoff: the hub could not take it now; the outbox sends the same id again
 *   by itself, waiting longer each time, and later commands wait behind it;
 * - waitsForLink: it never left the phone; it goes when the link is back;
 * - waitsForSignIn: the session ended; it waits, queued, for the same person's next sign-in;
 * - waitsForReload: the page is older than the hub; it waits for the reload that updates it;
 * - failsVisibly: the hub judged the command and refused it; the person sees why, may send
 *   it again, and the commands after it go on;
 * - asksThePerson: sending it again as it is can never succeed; it waits for the person's
 *   choice (keep theirs on the newer version, or drop it), never resent by itself.
 *
 * And what the person is shown meanwhile:
 * - queued: it has not reached the log ("Köad"); the person may still drop it;
 * - unconfirmed: the hub may have written it and did not say so (the ack timed out, or the
 *   hub answered log_unavailable): "ej bekräftad – skickas igen", never refused, and it
 *   cannot be dropped, since dropping it would not take it off the picture;
 * - failed: the hub's verdict ("Avvisad") with its reason.
 */
type Behaviour =
  | 'retriesWithBackoff'
  | 'waitsForLink'
  | 'waitsForSignIn'
  | 'waitsForReload'
  | 'failsVisibly'
  | 'asksThePerson';

// prettier-ignore
const ERROR_TABLE: Record<ClientError['code'], [Behaviour, OutboxShownStatus]> = {
  offline:           ['waitsForLink',       'queued'],
  timeout:           ['retriesWithBackoff', 'unconfirmed'],
  log_unavailable:   ['retriesWithBackoff', 'unconfirmed'],
  rate_limited:      ['retriesWithBackoff', 'queued'],
  unauthenticated:   ['waitsForSignIn',     'queued'],
  protocol_mismatch: ['waitsForReload',     'queued'],
  bad_request:       ['failsVisibly',       'failed'],
  unknown_command:   ['failsVisibly',       'failed'],
  payload_too_large: ['failsVisibly',       'failed'],
  forbidden:         ['failsVisibly',       'failed'],
  not_found:         ['failsVisibly',       'failed'],
  conflict:          ['failsVisibly',       'failed'],
  history_truncated: ['failsVisibly',       'failed'],
  internal:          ['failsVisibly',       'failed'],
  stale:             ['asksThePerson',      'failed'],
  id_conflict:       ['asksThePerson',      'failed'],
};

const USER = 'user-nacka';
const HOUR_MS = 3600_000;
/** Retry delays long enough that nothing but an explicit advance of the clock reaches them. */
const delayFor = (attempt: number) => attempt * 60_000;

const first = buildLogEntryCommand({ commandId: testUuid(1), entryId: testUuid(11), text: 'Första' });
const second = buildLogEntryCommand({ commandId: testUuid(2), entryId: testUuid(12), text: 'Andra' });

/** The hub's answer with `code` to one delivery. */
function refusalWith(code: ClientError['code']): Reply {
  if (code === 'offline') return { kind: 'unreachable' };
  if (code === 'stale') {
    const report = buildReport({ id: testUuid(90) });
    return {
      kind: 'refuse',
      code,
      message: 'Your actor has reported since',
      stale: { item: 'report', report },
    };
  }
  return { kind: 'refuse', code, message: `The hub says ${code}` };
}

let boxes: Outbox[] = [];
/**
 * How many sending passes (drains) this test's outboxes started, and how many still run.
 * A fresh object per test: a pass left over from an earlier test counts into its own.
 */
let counts = { passes: 0, running: 0 };
let retryAttempts: number[] = [];

function newOutbox(hub: CountingHub) {
  const mine = counts;
  const exclusive: ExclusiveRunner = async (task) => {
    mine.passes += 1;
    mine.running += 1;
    try {
      await task();
    } finally {
      mine.running -= 1;
    }
  };
  const attempts = retryAttempts;
  const box = createOutbox({
    storage: indexedDbStorage(),
    send: hub.send,
    exclusive,
    retryDelayMs: (attempt) => {
      attempts.push(attempt);
      return delayFor(attempt);
    },
  });
  boxes.push(box);
  return box;
}

/** Waits until no sending pass is running (IndexedDB writes included). */
const idle = () => vi.waitFor(() => expect(counts.running).toBe(0), { timeout: 10_000 });

const statusOf = (id: string) => useOutbox.getState().items[id]?.status;
/** What the person sees of the item: queued, not confirmed, sent or refused. */
const shownOf = (id: string) => {
  const item = useOutbox.getState().items[id];
  return item && shownStatus(item);
};
const errorOf = (id: string) => useOutbox.getState().items[id]?.error;

/** Both commands saved while signed out, then one pass in which the hub answers the first with `reply`. */
async function firstAnsweredWith(hub: CountingHub, reply: Reply) {
  hub.script(first.id, reply);
  const box = newOutbox(hub);
  await box.load();
  await box.enqueue(USER, first);
  await box.enqueue(USER, second);
  await idle();
  box.setUser(USER);
  const before = counts.passes;
  await box.drain();
  expect(counts.passes).toBe(before + 1);
  return box;
}

/** Lets an hour go by and checks that the outbox started no pass by itself. */
async function anHourWithoutSending() {
  const before = counts.passes;
  await vi.advanceTimersByTimeAsync(HOUR_MS);
  expect(counts.passes).toBe(before);
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  globalThis.indexedDB = new IDBFactory();
  useOutbox.getState().replaceAll([]);
  boxes = [];
  counts = { passes: 0, running: 0 };
  retryAttempts = [];
});
afterEach(() => {
  for (const box of boxes) box.dispose();
  vi.useRealTimers();
});

const rows = (Object.entries(ERROR_TABLE) as [ClientError['code'], [Behaviour, OutboxShownStatus]][]).map(
  ([code, [behaviour, shown]]) => ({ code, behaviour, shown }),
);

describe('the outbox’s answer to every error code (stated by hand)', () => {
  it('states every code the hub or the link can give', () => {
    expect(Object.keys(ERROR_TABLE).sort()).toEqual([...CLIENT_ERROR_CODES].sort());
  });

  const retried = rows.filter((r) => r.behaviour === 'retriesWithBackoff');
  it.each(retried)(
    '$code: stays queued, shown $shown, and is sent again by itself, later each time',
    async ({ code, shown }) => {
      const hub = countingHub();
      await firstAnsweredWith(hub, refusalWith(code));
      hub.script(first.id, refusalWith(code)); // the second delivery too; the third is applied

      expect(statusOf(first.id)).toBe('queued');
      expect(shownOf(first.id)).toBe(shown);
      expect(errorOf(first.id)?.code).toBe(code);
      expect(retryAttempts).toEqual([1]);
      // Order holds: the next command waits behind it.
      expect(hub.deliveries).toEqual([first.id]);

      // Not before the delay…
      let before = counts.passes;
      await vi.advanceTimersByTimeAsync(delayFor(1) - 1_000);
      expect(counts.passes).toBe(before);
      // …then once, refused again, and the next wait is longer.
      await vi.advanceTimersByTimeAsync(1_000);
      expect(counts.passes).toBe(before + 1);
      await idle();
      expect(hub.deliveries).toEqual([first.id, first.id]);
      expect(retryAttempts).toEqual([1, 2]);
      expect(statusOf(first.id)).toBe('queued');
      expect(shownOf(first.id)).toBe(shown);

      before = counts.passes;
      await vi.advanceTimersByTimeAsync(delayFor(2));
      expect(counts.passes).toBe(before + 1);
      await idle();

      expect(hub.deliveries).toEqual([first.id, first.id, first.id, second.id]);
      expect(hub.applications).toEqual([first.id, second.id]);
      expect([statusOf(first.id), statusOf(second.id)]).toEqual(['sent', 'sent']);
    },
  );

  it.each(rows.filter((r) => r.behaviour === 'waitsForLink'))(
    '$code: stays queued, never on a timer, and goes when the link is back',
    async ({ code, shown }) => {
      const hub = countingHub();
      const box = await firstAnsweredWith(hub, refusalWith(code));

      expect(statusOf(first.id)).toBe('queued');
      expect(shownOf(first.id)).toBe(shown);
      expect(errorOf(first.id)?.code).toBe(code);
      expect(hub.deliveries).toEqual([]);
      await anHourWithoutSending();

      await box.drain(); // the realtime module's "online again"

      expect(hub.deliveries).toEqual([first.id, second.id]);
      expect(hub.applications).toEqual([first.id, second.id]);
      expect(retryAttempts).toEqual([]);
    },
  );

  it.each(rows.filter((r) => r.behaviour === 'waitsForSignIn'))(
    '$code: stays queued (not failed) until the same person signs in again, then goes once',
    async ({ code, shown }) => {
      const hub = countingHub();
      const box = await firstAnsweredWith(hub, refusalWith(code));

      expect(statusOf(first.id)).toBe('queued');
      expect(statusOf(second.id)).toBe('queued');
      expect([shownOf(first.id), shownOf(second.id)]).toEqual([shown, 'queued']);
      expect(errorOf(first.id)?.code).toBe(code);
      expect((await indexedDbStorage().get(first.id))?.status).toBe('queued');
      expect(hub.deliveries).toEqual([first.id]);
      expect(hub.applications).toEqual([]);
      await anHourWithoutSending();

      // The app leaves the expired session: nothing goes while nobody is signed in.
      box.setUser(null);
      await box.drain();
      expect(hub.deliveries).toEqual([first.id]);

      box.setUser(USER);
      await box.drain();

      expect(hub.deliveries).toEqual([first.id, first.id, second.id]);
      expect(hub.applications).toEqual([first.id, second.id]);
      expect([statusOf(first.id), statusOf(second.id)]).toEqual(['sent', 'sent']);
      expect(retryAttempts).toEqual([]);
    },
  );

  it.each(rows.filter((r) => r.behaviour === 'waitsForReload'))(
    '$code: stays queued until the page is reloaded, then the new page sends it once',
    async ({ code, shown }) => {
      const hub = countingHub();
      const box = await firstAnsweredWith(hub, refusalWith(code));

      expect(statusOf(first.id)).toBe('queued');
      expect(shownOf(first.id)).toBe(shown);
      expect(errorOf(first.id)?.code).toBe(code);
      await anHourWithoutSending();
      box.dispose();

      useOutbox.getState().replaceAll([]);
      const next = newOutbox(hub);
      await next.load();
      next.setUser(USER);
      await next.drain();

      expect(hub.deliveries).toEqual([first.id, first.id, second.id]);
      expect(hub.applications).toEqual([first.id, second.id]);
      expect(retryAttempts).toEqual([]);
    },
  );

  it.each(rows.filter((r) => r.behaviour === 'failsVisibly'))(
    '$code: is shown refused with the hub’s reason, the next command goes, and only the person resends it',
    async ({ code, shown }) => {
      const hub = countingHub();
      const box = await firstAnsweredWith(hub, refusalWith(code));

      expect(statusOf(first.id)).toBe('failed');
      expect(shownOf(first.id)).toBe(shown);
      expect(errorOf(first.id)).toEqual({ code, message: `The hub says ${code}`, fromHub: true });
      expect((await indexedDbStorage().get(first.id))?.status).toBe('failed');
      expect(statusOf(second.id)).toBe('sent');
      await anHourWithoutSending();
      expect(hub.deliveries).toEqual([first.id, second.id]);

      await box.retry(first.id);

      expect(hub.deliveries).toEqual([first.id, second.id, first.id]);
      expect(hub.applications).toEqual([second.id, first.id]);
      expect(statusOf(first.id)).toBe('sent');
      expect(retryAttempts).toEqual([]);
    },
  );

  it.each(rows.filter((r) => r.behaviour === 'asksThePerson'))(
    '$code: is shown refused, never resent as it is, and waits for the person’s choice',
    async ({ code, shown }) => {
      const hub = countingHub();
      const box = await firstAnsweredWith(hub, refusalWith(code));

      expect(statusOf(first.id)).toBe('failed');
      expect(shownOf(first.id)).toBe(shown);
      expect(errorOf(first.id)?.code).toBe(code);
      expect(statusOf(second.id)).toBe('sent');
      await anHourWithoutSending();

      await box.retry(first.id);
      await box.drain();

      expect(statusOf(first.id)).toBe('failed');
      expect(hub.deliveries).toEqual([first.id, second.id]);
      expect(hub.applications).toEqual([second.id]);
      // Dropping it is the choice that is always there.
      expect(await box.discard(first.id)).toBe(true);
      expect(await indexedDbStorage().get(first.id)).toBeNull();
    },
  );
});

describe('“not confirmed” is said as such', () => {
  const unknown = rows.filter((r) => r.shown === 'unconfirmed');

  it('states the answers that leave the outcome unknown', () => {
    expect(unknown.map((r) => r.code).sort()).toEqual(['log_unavailable', 'timeout']);
  });

  it.each(unknown)(
    '$code after the hub did write it: not confirmed (never refused) through a lost link and an expired session, then confirmed once',
    async ({ code }) => {
      if (code !== 'timeout' && code !== 'log_unavailable')
        throw new Error(`not an unknown outcome: ${code}`);
      const hub = countingHub();
      const box = await firstAnsweredWith(hub, { kind: 'applyLoseAck', as: code });
      const seen = new Set<string | undefined>([shownOf(first.id)]);
      hub.script(
        first.id,
        { kind: 'unreachable' },
        { kind: 'refuse', code: 'unauthenticated', message: 'Sign in first' },
        { kind: 'original' },
      );

      expect(shownOf(first.id)).toBe('unconfirmed');
      expect(shownOf(second.id)).toBe('queued');
      expect(hub.applications).toEqual([first.id]);
      // It may already be on the picture: dropping it here would not take it off there.
      expect(await box.discard(first.id)).toBe(false);
      await box.retry(first.id); // not refused, so nothing for the person to resend
      expect(hub.deliveries).toEqual([first.id]);

      // The backoff's resend finds the link gone: still not confirmed, never "queued".
      await vi.advanceTimersByTimeAsync(delayFor(1));
      await idle();
      seen.add(shownOf(first.id));
      expect(errorOf(first.id)?.code).toBe('offline');
      expect(shownOf(first.id)).toBe('unconfirmed');

      // The link is back, the session is not: it waits for sign-in, still not confirmed.
      await box.drain();
      seen.add(shownOf(first.id));
      expect(errorOf(first.id)?.code).toBe('unauthenticated');
      expect(shownOf(first.id)).toBe('unconfirmed');
      expect((await indexedDbStorage().get(first.id))?.unconfirmed).toBe(true);
      await anHourWithoutSending();

      box.setUser(null);
      box.setUser(USER);
      await box.drain();

      expect(hub.deliveries).toEqual([first.id, first.id, first.id, second.id]);
      expect(hub.timesApplied(first.id)).toBe(1);
      expect(hub.timesApplied(second.id)).toBe(1);
      expect(shownOf(first.id)).toBe('sent');
      expect(useOutbox.getState().items[first.id]?.seq).toBe(hub.seqOf(first.id));
      expect(useOutbox.getState().items[first.id]?.unconfirmed).toBe(false);
      expect([...seen]).toEqual(['unconfirmed']);
    },
  );

  it('a command caught on the wire by a reload is not confirmed on the next page, until the hub’s original seq', async () => {
    const hub = countingHub();
    hub.script(first.id, { kind: 'applyLoseAck', as: 'hang' }, { kind: 'original' });
    const box = newOutbox(hub);
    await box.load();
    box.setUser(USER);
    await box.enqueue(USER, first);
    await vi.waitFor(() => expect(hub.deliveries).toEqual([first.id]));
    box.dispose();

    useOutbox.getState().replaceAll([]);
    const next = newOutbox(hub);
    await next.load();
    expect(shownOf(first.id)).toBe('unconfirmed');
    expect(await next.discard(first.id)).toBe(false);

    next.setUser(USER);
    await next.drain();

    expect(hub.deliveries).toEqual([first.id, first.id]);
    expect(hub.timesApplied(first.id)).toBe(1);
    expect(shownOf(first.id)).toBe('sent');
  });

  it('the hub’s true answer to a resend ends “not confirmed”: a refusal is then shown as one', async () => {
    const hub = countingHub();
    const box = await firstAnsweredWith(hub, refusalWith('log_unavailable'));
    hub.script(first.id, { kind: 'refuse', code: 'forbidden', message: 'Your function may not' });
    expect(shownOf(first.id)).toBe('unconfirmed');

    await vi.advanceTimersByTimeAsync(delayFor(1));
    await idle();

    expect(shownOf(first.id)).toBe('failed');
    expect(errorOf(first.id)?.code).toBe('forbidden');
    expect(useOutbox.getState().items[first.id]?.unconfirmed).toBe(false);
    expect(hub.applications).toEqual([second.id]);
    expect(await box.discard(first.id)).toBe(true);
  });

  it('commands that never left the phone are queued, not “not confirmed”, and may be dropped', async () => {
    const hub = countingHub();
    hub.setOnline(false);
    const box = newOutbox(hub);
    await box.load();
    box.setUser(USER);
    await box.enqueue(USER, first);
    await box.drain();

    expect(shownOf(first.id)).toBe('queued');
    expect(await box.discard(first.id)).toBe(true);
    expect(hub.deliveries).toEqual([]);
  });

  it('reads an item saved before the mark existed as never sent', () => {
    const saved = {
      id: first.id,
      userId: USER,
      command: first,
      status: 'queued',
      order: 1,
      createdAt: 1,
      updatedAt: 1,
      attempts: 0,
      seq: null,
      error: { code: 'offline', message: 'not connected', fromHub: false },
    };
    const item = parseOutboxItem(saved);
    expect(item?.unconfirmed).toBe(false);
    expect(item && shownStatus(item)).toBe('queued');
  });
});

describe('outbox against a hub that does not de-duplicate', () => {
  it('resends after a lost ack with the same id; the hub answers with the original seq and it is applied once', async () => {
    const hub = countingHub();
    await firstAnsweredWith(hub, { kind: 'applyLoseAck', as: 'timeout' });
    hub.script(first.id, { kind: 'original' });

    expect(statusOf(first.id)).toBe('queued');
    expect(errorOf(first.id)?.code).toBe('timeout');
    expect(hub.applications).toEqual([first.id]);

    await vi.advanceTimersByTimeAsync(delayFor(1));
    await idle();

    expect(hub.deliveries).toEqual([first.id, first.id, second.id]);
    expect(hub.timesApplied(first.id)).toBe(1);
    expect(hub.timesApplied(second.id)).toBe(1);
    expect(useOutbox.getState().items[first.id]?.seq).toBe(hub.seqOf(first.id));
    expect(useOutbox.getState().items[second.id]?.seq).toBe(2);
  });

  it('a session that expires with three commands queued: after signing in again each is applied once, in order', async () => {
    const hub = countingHub();
    hub.setOnline(false);
    const commands: Command[] = [1, 2, 3].map((n) =>
      buildLogEntryCommand({ commandId: testUuid(20 + n), entryId: testUuid(30 + n), text: `Rad ${n}` }),
    );
    const box = newOutbox(hub);
    await box.load();
    box.setUser(USER);
    for (const command of commands) await box.enqueue(USER, command);
    await idle();
    expect(hub.deliveries).toEqual([]);

    // The link comes back, but the session expired meanwhile.
    hub.setOnline(true);
    const [head] = commands;
    if (!head) throw new Error('no commands');
    hub.script(head.id, { kind: 'refuse', code: 'unauthenticated', message: 'Sign in first' });
    await box.drain();
    expect(commands.map((c) => statusOf(c.id))).toEqual(['queued', 'queued', 'queued']);
    await anHourWithoutSending();

    box.setUser(null);
    box.setUser(USER);
    await box.drain();

    const ids = commands.map((c) => c.id);
    expect(hub.applications).toEqual(ids);
    expect(hub.deliveries).toEqual([head.id, ...ids]);
    expect(commands.map((c) => statusOf(c.id))).toEqual(['sent', 'sent', 'sent']);
  });

  it('sends each command once when a reload, overlapping drains and a retry timer all meet', async () => {
    const hub = countingHub();
    const box = await firstAnsweredWith(hub, { kind: 'refuse', code: 'log_unavailable' });
    await Promise.all([box.drain(), box.drain(), vi.advanceTimersByTimeAsync(delayFor(1))]);
    await idle();
    box.dispose();
    useOutbox.getState().replaceAll([]);
    const next = newOutbox(hub);
    await next.load();
    next.setUser(USER);
    await Promise.all([next.drain(), next.drain()]);
    await idle();

    expect(hub.timesApplied(first.id)).toBe(1);
    expect(hub.timesApplied(second.id)).toBe(1);
    expect(hub.applications).toHaveLength(2);
  });
});

describe('draining', () => {
  it('sends at once when the person signs in just after a pass has ended: no call to drain is lost', async () => {
    const hub = countingHub();
    const box = newOutbox(hub);
    await box.load();
    await box.enqueue(USER, first);
    await idle();

    box.setUser(USER);
    await box.drain();

    expect(hub.deliveries).toEqual([first.id]);
    expect(statusOf(first.id)).toBe('sent');
  });
});

describe('the outbox’s own backoff', () => {
  it('waits 2 s after the first failure, doubling up to a minute', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    expect([1, 2, 3, 4, 5, 6, 7, 12].map(defaultRetryDelay)).toEqual([
      2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000,
    ]);
    vi.restoreAllMocks();
  });

  it('spreads the wait between half and one and a half times, so phones do not resend in step', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(defaultRetryDelay(1)).toBe(1_000);
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    expect(defaultRetryDelay(6)).toBeCloseTo(89_940);
    vi.restoreAllMocks();
  });
});
