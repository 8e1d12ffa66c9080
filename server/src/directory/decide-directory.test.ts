import { describe, expect, it } from 'vitest';
import {
  applyDirectory,
  initialDirectory,
  type AppError,
  type DirectoryAccount,
  type DirectoryState,
  type EventDraft,
} from '@lagesbild/shared';
import { TEST_NOW, buildAttribution, buildEvent, stockholmRegion } from '@lagesbild/shared/test-factories';
import {
  decideBootstrapAdmin,
  decideCreateAccount,
  decideCreateActor,
  decideDeviceCredential,
  decideGrant,
  decideHandover,
  decideIssueDevice,
  decidePairDevice,
  decideRevokeDevice,
  decideUpdateAccount,
  decideUpdateActor,
  type Decision,
} from './decide-directory.js';
import { overlayRegion } from './region-view.js';

const region = stockholmRegion();

const account = (id: string, overrides: Partial<DirectoryAccount> = {}): DirectoryAccount => ({
  id,
  username: id,
  name: `Person ${id}`,
  actorId: 'nacka',
  functionIds: ['dutyOfficer'],
  disabled: false,
  externalId: null,
  ...overrides,
});

/** A directory with an admin, two Nacka duty officers (one on shift) and a Polisen one. */
function directory(): DirectoryState {
  const d = initialDirectory();
  let seq = 1;
  const fold = (draft: EventDraft) => applyDirectory(d, buildEvent(draft, { seq: seq++ }));
  for (const a of [
    account('admin', { actorId: 'lansstyrelsen', functionIds: ['admin'] }),
    account('anna'),
    account('bo', { functionIds: ['viewer'] }),
    account('cecilia', { actorId: 'polisen' }),
    account('dan', { disabled: true }),
  ]) {
    fold({ type: 'account.saved', payload: { account: a } });
  }
  fold({
    type: 'device.saved',
    payload: {
      device: { id: 'wall-1', name: 'Wall', views: ['wall'], createdAt: TEST_NOW, revokedAt: null },
    },
  });
  fold({
    type: 'device.credentialSet',
    payload: { deviceId: 'wall-1', secretHash: 'pairing:x:$argon2id$1' },
  });
  fold({
    type: 'device.saved',
    payload: {
      device: { id: 'wall-old', name: 'Old', views: ['wall'], createdAt: TEST_NOW, revokedAt: TEST_NOW },
    },
  });
  return d;
}

const refusal = (decision: Decision): AppError | null => (Array.isArray(decision) ? null : decision);
const accountsSaved = (decision: Decision) =>
  Array.isArray(decision)
    ? decision.flatMap((e) => (e.type === 'account.saved' ? [e.payload.account] : []))
    : [];

const newAccount = {
  id: 'new-1',
  username: 'erik',
  name: 'Erik',
  actorId: 'nacka',
  functionIds: ['dutyOfficer'],
  passwordHash: '$argon2id$hash',
};

describe('creating accounts', () => {
  it('saves the account and its password hash', () => {
    const decision = decideCreateAccount(directory(), region, newAccount);
    expect(decision).toEqual([
      {
        type: 'account.saved',
        payload: { account: { ...account('new-1', { username: 'erik', name: 'Erik' }) } },
      },
      { type: 'account.passwordSet', payload: { accountId: 'new-1', passwordHash: '$argon2id$hash' } },
    ]);
  });

  it.each([
    ['a taken username, in any case', { username: 'ANNA' }, 'conflict'],
    ['an existing id', { id: 'anna' }, 'conflict'],
    ['an unknown actor', { actorId: 'atlantis' }, 'bad_request'],
    ['an unknown function', { functionIds: ['wizard'] }, 'bad_request'],
    ['a function listed twice', { functionIds: ['viewer', 'viewer'] }, 'bad_request'],
  ])('refuses %s', (_name, overrides, code) => {
    expect(refusal(decideCreateAccount(directory(), region, { ...newAccount, ...overrides }))?.code).toBe(
      code,
    );
  });

  it('accepts an actor an administrator added', () => {
    const d = directory();
    d.actors['ny-kommun'] = { ...region.actors[1], id: 'ny-kommun' } as (typeof region.actors)[number];
    expect(
      refusal(decideCreateAccount(d, overlayRegion(region, d), { ...newAccount, actorId: 'ny-kommun' })),
    ).toBeNull();
  });
});

describe('bootstrapping the first admin', () => {
  it('creates an admin in an empty directory', () => {
    const decision = decideBootstrapAdmin(initialDirectory(), region, { ...newAccount });
    expect(accountsSaved(decision)[0]?.functionIds).toEqual(['admin']);
  });

  it('refuses once an enabled admin exists', () => {
    expect(refusal(decideBootstrapAdmin(directory(), region, newAccount))?.code).toBe('conflict');
  });
});

describe('changing accounts', () => {
  it.each([
    ['an unknown account', 'nobody', { name: 'X' }, 'not_found'],
    ['an unknown actor', 'anna', { actorId: 'atlantis' }, 'bad_request'],
    ['an unknown function', 'anna', { functionIds: ['wizard'] }, 'bad_request'],
    ['disabling the last admin', 'admin', { disabled: true }, 'conflict'],
    ['taking admin from the last admin', 'admin', { functionIds: ['viewer'] }, 'conflict'],
  ])('refuses %s', (_name, id, change, code) => {
    expect(refusal(decideUpdateAccount(directory(), region, id, change))?.code).toBe(code);
  });

  it('disables an account', () => {
    expect(
      accountsSaved(decideUpdateAccount(directory(), region, 'anna', { disabled: true }))[0]?.disabled,
    ).toBe(true);
  });

  it('lets the last admin go once another account is admin', () => {
    const d = directory();
    const anna = d.accounts.anna;
    if (anna) anna.functionIds = ['dutyOfficer', 'admin'];
    expect(refusal(decideUpdateAccount(d, region, 'admin', { disabled: true }))).toBeNull();
  });

  it('adds nothing when nothing changes, except a new password', () => {
    expect(decideUpdateAccount(directory(), region, 'anna', { name: 'Person anna' })).toEqual([]);
    expect(decideUpdateAccount(directory(), region, 'anna', { passwordHash: 'h' })).toEqual([
      { type: 'account.passwordSet', payload: { accountId: 'anna', passwordHash: 'h' } },
    ]);
  });

  it('grants and revokes one function', () => {
    expect(
      accountsSaved(decideGrant(directory(), region, 'anna', 'communicator', true))[0]?.functionIds,
    ).toEqual(['dutyOfficer', 'communicator']);
    expect(
      accountsSaved(decideGrant(directory(), region, 'anna', 'dutyOfficer', false))[0]?.functionIds,
    ).toEqual([]);
    expect(refusal(decideGrant(directory(), region, 'anna', 'wizard', true))?.code).toBe('bad_request');
  });
});

describe('handing a function over', () => {
  const handover = {
    functionId: 'dutyOfficer',
    fromAccountId: 'anna',
    toAccountId: 'bo',
    byAccountId: 'anna',
  };

  it('moves the function from the giver to the receiver', () => {
    const saved = accountsSaved(decideHandover(directory(), region, handover));
    expect(saved.map((a) => [a.id, a.functionIds])).toEqual([
      ['anna', []],
      ['bo', ['viewer', 'dutyOfficer']],
    ]);
  });

  it('lets an admin hand over anybody’s function', () => {
    expect(refusal(decideHandover(directory(), region, { ...handover, byAccountId: 'admin' }))).toBeNull();
  });

  it.each([
    ['somebody else’s function, by a non-admin', { byAccountId: 'bo' }, 'forbidden'],
    ['a function the giver does not hold', { functionId: 'coordinator' }, 'conflict'],
    ['to another actor', { toAccountId: 'cecilia' }, 'bad_request'],
    ['to a disabled account', { toAccountId: 'dan' }, 'conflict'],
    ['to oneself', { toAccountId: 'anna' }, 'bad_request'],
    ['to an unknown account', { toAccountId: 'nobody' }, 'not_found'],
    ['from an unknown account', { fromAccountId: 'nobody', byAccountId: 'admin' }, 'not_found'],
  ])('refuses a hand-over %s', (_name, overrides, code) => {
    expect(refusal(decideHandover(directory(), region, { ...handover, ...overrides }))?.code).toBe(code);
  });
});

describe('actors', () => {
  const actor = {
    id: 'ny-kommun',
    name: 'Ny kommun',
    shortName: 'Ny',
    kind: 'municipality' as const,
    home: { lat: 59, lng: 18 },
  };

  it('adds a new actor and refuses an existing id', () => {
    expect(decideCreateActor(region, actor)).toEqual([{ type: 'actor.saved', payload: { actor } }]);
    expect(refusal(decideCreateActor(region, { ...actor, id: 'nacka' }))?.code).toBe('conflict');
  });

  it('changes an actor of the region file, keeping its id', () => {
    const decision = decideUpdateActor(region, 'nacka', { shortName: 'Nacka kn' });
    expect(
      Array.isArray(decision) && decision[0]?.type === 'actor.saved' && decision[0].payload.actor,
    ).toMatchObject({
      id: 'nacka',
      shortName: 'Nacka kn',
    });
    expect(refusal(decideUpdateActor(region, 'atlantis', { shortName: 'A' }))?.code).toBe('not_found');
  });
});

describe('devices', () => {
  it('issues a device with its pairing credential', () => {
    const decision = decideIssueDevice(directory(), {
      id: 'wall-2',
      name: 'Wall 2',
      views: ['wall'],
      createdAt: TEST_NOW,
      credential: 'pairing:c',
    });
    expect(Array.isArray(decision) && decision.map((e) => e.type)).toEqual([
      'device.saved',
      'device.credentialSet',
    ]);
    expect(
      refusal(
        decideIssueDevice(directory(), {
          id: 'wall-1',
          name: 'W',
          views: ['wall'],
          createdAt: TEST_NOW,
          credential: 'c',
        }),
      )?.code,
    ).toBe('conflict');
  });

  it('consumes a pairing code once: a changed credential refuses the second pairing', () => {
    const d = directory();
    const first = decidePairDevice(d, 'wall-1', 'pairing:x:$argon2id$1', 'secret:s');
    expect(Array.isArray(first)).toBe(true);
    d.deviceSecretHashes['wall-1'] = 'secret:s';
    expect(refusal(decidePairDevice(d, 'wall-1', 'pairing:x:$argon2id$1', 'secret:t'))?.code).toBe(
      'unauthenticated',
    );
  });

  it.each([
    [
      'pairing a revoked device',
      (d: DirectoryState) => decidePairDevice(d, 'wall-old', 'x', 'y'),
      'unauthenticated',
    ],
    [
      'a new code for a revoked device',
      (d: DirectoryState) => decideDeviceCredential(d, 'wall-old', 'c'),
      'conflict',
    ],
    [
      'a new code for an unknown device',
      (d: DirectoryState) => decideDeviceCredential(d, 'nope', 'c'),
      'not_found',
    ],
    [
      'revoking an unknown device',
      (d: DirectoryState) => decideRevokeDevice(d, 'nope', TEST_NOW),
      'not_found',
    ],
  ])('refuses %s', (_name, decide, code) => {
    expect(refusal(decide(directory()))?.code).toBe(code);
  });

  it('revokes a device once; revoking again adds nothing', () => {
    const decision = decideRevokeDevice(directory(), 'wall-1', TEST_NOW);
    expect(
      Array.isArray(decision) && decision[0]?.type === 'device.saved' && decision[0].payload.device.revokedAt,
    ).toBe(TEST_NOW);
    expect(decideRevokeDevice(directory(), 'wall-old', TEST_NOW)).toEqual([]);
  });
});

describe('the region overlay', () => {
  it('replaces a file actor and appends a new one', () => {
    const d = initialDirectory();
    const nacka = region.actors.find((a) => a.id === 'nacka');
    if (!nacka) throw new Error('test region lacks nacka');
    applyDirectory(d, buildEvent({ type: 'actor.saved', payload: { actor: { ...nacka, shortName: 'N' } } }));
    applyDirectory(
      d,
      buildEvent(
        { type: 'actor.saved', payload: { actor: { ...nacka, id: 'ny', shortName: 'Ny' } } },
        { seq: 2, by: buildAttribution() },
      ),
    );
    const overlaid = overlayRegion(region, d);
    expect(overlaid.actors).toHaveLength(region.actors.length + 1);
    expect(overlaid.actors.find((a) => a.id === 'nacka')?.shortName).toBe('N');
    expect(overlaid.actors.at(-1)?.id).toBe('ny');
    expect(overlayRegion(region, initialDirectory())).toBe(region);
  });
});
