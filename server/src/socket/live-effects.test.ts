import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DirectoryAccount, EventDraft } from '@lagesbild/shared';
import { TEST_NOW, buildEvent } from '@lagesbild/shared/test-factories';
import { FileSessionStore } from '../auth/file-session-store.js';
import { HubState } from '../hub/hub-state.js';
import { createLogger } from '../base/logger.js';
import { rooms } from './rooms.js';
import { applyLiveEffects } from './live-effects.js';

const anna: DirectoryAccount = {
  id: 'anna',
  username: 'anna',
  name: 'Anna',
  actorId: 'nacka',
  functionIds: ['dutyOfficer', 'viewer'],
  disabled: false,
  externalId: null,
};
const wall = { id: 'wall-1', name: 'Wall', views: ['wall' as const], createdAt: TEST_NOW, revokedAt: null };
const life = { ttlMs: 3600_000 * 24 * 365 * 100, idleMs: 3600_000 * 24 * 365 * 100 };
const logger = createLogger('silent', 'test');
/** The time every event in these tests is stamped with. */
const eventTime = Date.parse(TEST_NOW);
const annasRights = { actorId: anna.actorId, functionIds: anna.functionIds };

let dir: string;
let sessions: FileSessionStore;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lagesbild-live-effects-'));
  sessions = await FileSessionStore.open(dir, life, logger);
});
afterEach(async () => {
  await sessions.close();
  await rm(dir, { recursive: true, force: true });
});

/** A hub that has folded `before`, with live effects on, and a session of Anna's from a minute earlier. */
async function hubWithAnnaSignedIn(before: EventDraft[]) {
  const hub = new HubState('epoch', 100, null);
  let seq = 0;
  const fold = (drafts: EventDraft[]) => hub.ingest(drafts.map((d) => buildEvent(d, { seq: ++seq })));
  fold(before);
  const annasSession = await sessions.create('anna', eventTime - 60_000, annasRights);
  const dropped: string[] = [];
  applyLiveEffects(hub, { disconnect: (room) => dropped.push(room) }, sessions, logger);
  return { fold, dropped, annasSession };
}

const saved = (account: DirectoryAccount): EventDraft => ({ type: 'account.saved', payload: { account } });

describe('live effects of directory changes', () => {
  it.each<[string, EventDraft[], string[], 'kept' | 'ended']>([
    [
      'a sign-out drops that session',
      [{ type: 'session.revoked', payload: { sessionId: 's1' } }],
      [rooms.session('s1')],
      'kept',
    ],
    [
      'disabling drops the user and ends her sessions',
      [saved({ ...anna, disabled: true })],
      [rooms.user('anna')],
      'ended',
    ],
    [
      'a lost function drops the user and ends her sessions',
      [saved({ ...anna, functionIds: ['viewer'] })],
      [rooms.user('anna')],
      'ended',
    ],
    [
      'a new actor drops the user and ends her sessions',
      [saved({ ...anna, actorId: 'polisen' })],
      [rooms.user('anna')],
      'ended',
    ],
    [
      'a gained function (taking over a shift) drops the sockets but keeps the sessions',
      [saved({ ...anna, functionIds: ['dutyOfficer', 'viewer', 'admin'] })],
      [rooms.user('anna')],
      'kept',
    ],
    ['a rename keeps the user', [saved({ ...anna, name: 'Anna A' })], [], 'kept'],
    [
      'the same functions in another order keep the user',
      [saved({ ...anna, functionIds: ['viewer', 'dutyOfficer'] })],
      [],
      'kept',
    ],
    ['a new account drops nobody', [saved({ ...anna, id: 'bo', username: 'bo' })], [], 'kept'],
    [
      'revoking a device drops it',
      [{ type: 'device.saved', payload: { device: { ...wall, revokedAt: TEST_NOW } } }],
      [rooms.device('wall-1')],
      'kept',
    ],
    [
      'renaming a device keeps it',
      [{ type: 'device.saved', payload: { device: { ...wall, name: 'Lobby' } } }],
      [],
      'kept',
    ],
  ])('%s', async (_name, after, expected, annasSessions) => {
    const { fold, dropped, annasSession } = await hubWithAnnaSignedIn([
      saved(anna),
      { type: 'device.saved', payload: { device: wall } },
    ]);
    fold(after);
    // The sockets go at once, before the sessions are deleted.
    expect([...dropped]).toEqual(expected);
    const found = await sessions.get(annasSession.token, eventTime);
    expect(found === null ? 'ended' : 'kept').toBe(annasSessions);
  });

  it('does not bring back the sessions when a disabled account is enabled again', async () => {
    const { fold, annasSession } = await hubWithAnnaSignedIn([saved(anna)]);
    fold([saved({ ...anna, disabled: true }), saved(anna)]);
    expect(await sessions.get(annasSession.token, eventTime)).toBeNull();
  });

  it('drops the sockets again once the sessions are gone, so one that reconnected in between is refused', async () => {
    const { fold, dropped } = await hubWithAnnaSignedIn([saved(anna)]);
    fold([saved({ ...anna, functionIds: ['viewer'] })]);
    await vi.waitFor(() => expect(dropped).toEqual([rooms.user('anna'), rooms.user('anna')]), {
      timeout: 10_000,
    });
  });

  it('spares a session opened after the change, on a hub that folds the change late', async () => {
    // An OpenID Connect sign-in saves the account with the provider's functions, then opens
    // a session: a hub that folds the save afterwards must not end that session.
    const { fold } = await hubWithAnnaSignedIn([saved(anna)]);
    const later = await sessions.create('anna', eventTime, annasRights);
    fold([saved({ ...anna, functionIds: ['viewer'] })]);
    expect(await sessions.get(later.token, eventTime)).not.toBeNull();
  });

  it('ends at start any session left for an account that is disabled', async () => {
    const left = await sessions.create('anna', Date.now() - 60_000, annasRights);
    const hub = new HubState('epoch', 100, null);
    hub.ingest([buildEvent(saved({ ...anna, disabled: true }), { seq: 1 })]);
    applyLiveEffects(hub, { disconnect: () => undefined }, sessions, logger);
    expect(await sessions.get(left.token, Date.now())).toBeNull();
  });

  it('ends at start, after a restart, the sessions of an account changed while the hub was stopped', async () => {
    const moved = await sessions.create('anna', Date.now() - 60_000, annasRights);
    const kept = await sessions.create('anna', Date.now() - 60_000, {
      actorId: 'nacka',
      functionIds: ['viewer'],
    });
    await sessions.close();
    // The admin tool took the duty officer function away while the hub was stopped.
    sessions = await FileSessionStore.open(dir, life, logger);
    const hub = new HubState('epoch', 100, null);
    hub.ingest([buildEvent(saved({ ...anna, functionIds: ['viewer'] }), { seq: 1 })]);
    applyLiveEffects(hub, { disconnect: () => undefined }, sessions, logger);
    await vi.waitFor(async () => expect(await sessions.get(moved.token, Date.now())).toBeNull(), {
      timeout: 10_000,
    });
    expect(await sessions.get(kept.token, Date.now())).not.toBeNull();
    await sessions.close();
    sessions = await FileSessionStore.open(dir, life, logger);
    expect(await sessions.get(moved.token, Date.now())).toBeNull();
  });

  it('ends at start a disabled account’s session opened just now by the log’s clock, though this hub’s clock is behind', async () => {
    // The log (and every session) is ten minutes ahead of this process's clock.
    const logNow = Date.now() + 10 * 60_000;
    const left = await sessions.create('anna', logNow - 60_000, annasRights);
    const hub = new HubState('epoch', 100, null);
    hub.ingest([buildEvent(saved({ ...anna, disabled: true }), { seq: 1 })]);
    applyLiveEffects(hub, { disconnect: () => undefined }, sessions, logger, () => logNow);
    await vi.waitFor(async () => expect(await sessions.get(left.token, logNow)).toBeNull(), {
      timeout: 10_000,
    });
  });
});
