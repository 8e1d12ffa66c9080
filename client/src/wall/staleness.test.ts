import { describe, expect, it } from 'vitest';
import { nextLinkHistory, STALE_GRACE_MS, staleness, withHubContact, type LinkHistory } from './staleness';

const start: LinkHistory = { status: 'connecting', lostAt: null, everSynced: false };

describe('staleness', () => {
  it('is live while the link is up', () => {
    expect(staleness({ status: 'online', lostAt: null, everSynced: true }, 5_000)).toEqual({ kind: 'live' });
  });

  it('is waiting, not stale, before the wall was ever in sync', () => {
    expect(staleness(start, 60_000)).toEqual({ kind: 'waiting' });
    expect(staleness({ status: 'offline', lostAt: null, everSynced: false }, 60_000)).toEqual({
      kind: 'waiting',
    });
  });

  it('gives a short blip the benefit of the doubt', () => {
    const link: LinkHistory = { status: 'reconnecting', lostAt: 10_000, everSynced: true };
    expect(staleness(link, 10_000 + STALE_GRACE_MS - 1)).toEqual({ kind: 'live' });
  });

  it('counts the age of the data from the moment the link was lost', () => {
    const link: LinkHistory = { status: 'reconnecting', lostAt: 10_000, everSynced: true };
    expect(staleness(link, 10_000 + 125_000)).toEqual({ kind: 'stale', since: 10_000, ageMs: 125_000 });
  });

  it('never reports a negative age when the clock steps back', () => {
    const link: LinkHistory = { status: 'offline', lostAt: 10_000, everSynced: true };
    expect(staleness(link, 5_000, 0)).toEqual({ kind: 'stale', since: 10_000, ageMs: 0 });
  });
});

describe('nextLinkHistory', () => {
  it('stamps the loss once, when the link leaves online', () => {
    const online = nextLinkHistory(start, 'online', 1_000);
    expect(online).toEqual({ status: 'online', lostAt: null, everSynced: true });
    const lost = nextLinkHistory(online, 'reconnecting', 2_000);
    expect(lost.lostAt).toBe(2_000);
    // socket.io flips between reconnecting and offline while it retries: the loss stays put.
    const still = nextLinkHistory(nextLinkHistory(lost, 'offline', 3_000), 'reconnecting', 9_000);
    expect(still).toEqual({ status: 'reconnecting', lostAt: 2_000, everSynced: true });
  });

  it('clears the loss when the link comes back', () => {
    const lost = nextLinkHistory(nextLinkHistory(start, 'online', 1_000), 'offline', 2_000);
    expect(nextLinkHistory(lost, 'online', 8_000)).toEqual({
      status: 'online',
      lostAt: null,
      everSynced: true,
    });
  });

  it('has no loss to stamp before the first connection', () => {
    expect(nextLinkHistory(start, 'reconnecting', 5_000)).toEqual({
      status: 'reconnecting',
      lostAt: null,
      everSynced: false,
    });
  });
});

describe('withHubContact', () => {
  const live = { kind: 'live' } as const;

  it('is stale since the hub’s last contact with its log while the link is up', () => {
    const since = '2025-03-01T07:42:00.000Z';
    const now = Date.parse(since) + 30_000;
    expect(withHubContact(live, since, now)).toEqual({
      kind: 'hubStale',
      since: Date.parse(since),
      ageMs: 30_000,
    });
  });

  it('leaves a live link live when the hub hears its log', () => {
    expect(withHubContact(live, null, 5_000)).toEqual(live);
  });

  it('lets a lost link speak: it is the older and the larger problem', () => {
    const lost = { kind: 'stale', since: 1_000, ageMs: 9_000 } as const;
    expect(withHubContact(lost, '2025-03-01T07:42:00.000Z', 10_000)).toEqual(lost);
    expect(withHubContact({ kind: 'waiting' }, '2025-03-01T07:42:00.000Z', 10_000)).toEqual({
      kind: 'waiting',
    });
  });
});
