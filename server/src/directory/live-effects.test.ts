import { describe, expect, it } from 'vitest';
import type { DirectoryAccount, EventDraft } from '@lagesbild/shared';
import { TEST_NOW, buildEvent } from '@lagesbild/shared/test-factories';
import { HubState } from '../hub/hub-state.js';
import { rooms } from '../rooms.js';
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

/** Folds drafts into a hub with live effects and returns the rooms that were disconnected. */
function disconnectsFor(before: EventDraft[], after: EventDraft[]): string[] {
  const hub = new HubState('epoch', 100, null);
  let seq = 0;
  const fold = (drafts: EventDraft[]) => hub.ingest(drafts.map((d) => buildEvent(d, { seq: ++seq })));
  fold(before);
  const dropped: string[] = [];
  applyLiveEffects(hub, { disconnect: (room) => dropped.push(room) });
  fold(after);
  return dropped;
}

const saved = (account: DirectoryAccount): EventDraft => ({ type: 'account.saved', payload: { account } });

describe('live effects of directory changes', () => {
  it.each<[string, EventDraft[], string[]]>([
    [
      'a sign-out drops that session',
      [{ type: 'session.revoked', payload: { sessionId: 's1' } }],
      [rooms.session('s1')],
    ],
    ['disabling drops the user', [saved({ ...anna, disabled: true })], [rooms.user('anna')]],
    ['a lost function drops the user', [saved({ ...anna, functionIds: ['viewer'] })], [rooms.user('anna')]],
    ['a new actor drops the user', [saved({ ...anna, actorId: 'polisen' })], [rooms.user('anna')]],
    ['a rename keeps the user', [saved({ ...anna, name: 'Anna A' })], []],
    [
      'the same functions in another order keep the user',
      [saved({ ...anna, functionIds: ['viewer', 'dutyOfficer'] })],
      [],
    ],
    ['a new account drops nobody', [saved({ ...anna, id: 'bo', username: 'bo' })], []],
    [
      'revoking a device drops it',
      [{ type: 'device.saved', payload: { device: { ...wall, revokedAt: TEST_NOW } } }],
      [rooms.device('wall-1')],
    ],
    [
      'renaming a device keeps it',
      [{ type: 'device.saved', payload: { device: { ...wall, name: 'Lobby' } } }],
      [],
    ],
  ])('%s', (_name, after, expected) => {
    expect(disconnectsFor([saved(anna), { type: 'device.saved', payload: { device: wall } }], after)).toEqual(
      expected,
    );
  });
});
