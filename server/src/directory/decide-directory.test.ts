import { describe, expect, it } from 'vitest';
import {
  applyDirectory,
  initialDirectory,
  type AppError,
  type DirectoryAccount,
  type Decision,
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

const refusal = (decision: Decision): AppError | null => (decision.ok ? null : decision.error);
/** The events of a decision; null for a refusal. */
const eventsOf = (decision: Decision): EventDraft[] | null => (decision.ok ? decision.data : null);
const accountsSaved = (decision: Decision) =>
  (eventsOf(decision) ?? []).flatMap((e) => (e.type === 'account.saved' ? [e.payload.account] : []));

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
    expect(eventsOf(decision)).toEqual([
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

  it.each([
    ['a Cyrillic а', 'tib.n\u0430cka', 'outside'],
    ['a space', 'tib nacka', 'outside'],
    ['a zero for an o', 'tib.n0cka', 'tib.nocka'],
    ['rn for an m', 'tib.rnalm', 'tib.malm'],
    ['a one for an l', 'tib.1idingo', 'tib.lidingo'],
    ['an i for an l', 'tib.iidingo', 'tib.lidingo'],
    ['another separator', 'tib_nocka', 'tib.nocka'],
  ])('refuses a username with %s, naming the look-alike', (_name, username, existing) => {
    const d = directory();
    for (const name of ['tib.nocka', 'tib.malm', 'tib.lidingo']) {
      applyDirectory(
        d,
        buildEvent({ type: 'account.saved', payload: { account: account(name) } }, { seq: 99 }),
      );
    }
    const error = refusal(decideCreateAccount(d, region, { ...newAccount, username }));
    if (existing === 'outside') {
      expect(error).toMatchObject({
        code: 'bad_request',
        message: expect.stringContaining('may hold only a–z'),
      });
    } else {
      expect(error).toEqual({
        code: 'conflict',
        message: `The username "${username}" looks like the existing "${existing}"; choose another`,
      });
    }
  });

  it('refuses a new username that looks like one made before the character set was enforced', () => {
    const d = directory();
    // In the log from an older version: a Cyrillic о in the middle.
    applyDirectory(
      d,
      buildEvent({ type: 'account.saved', payload: { account: account('tib.n\u043ecka') } }, { seq: 99 }),
    );
    expect(refusal(decideCreateAccount(d, region, { ...newAccount, username: 'tib.nocka' }))?.message).toBe(
      'The username "tib.nocka" looks like the existing "tib.n\u043ecka"; choose another',
    );
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])(
    'treats an account id %s like any other unknown id',
    (id) => {
      const d = directory();
      expect(refusal(decideUpdateAccount(d, region, id, { name: 'X' }))?.code).toBe('not_found');
      expect(refusal(decideGrant(d, region, id, 'viewer', true))?.code).toBe('not_found');
      expect(refusal(decideRevokeDevice(d, id, TEST_NOW))?.code).toBe('not_found');
      expect(refusal(decideDeviceCredential(d, id, 'x'))?.code).toBe('not_found');
      expect(refusal(decideCreateAccount(d, region, { ...newAccount, id }))).toBeNull();
    },
  );

  it('keeps an account whose id is __proto__ as an entry, not as the prototype', () => {
    const d = directory();
    applyDirectory(
      d,
      buildEvent({ type: 'account.saved', payload: { account: account('__proto__') } }, { seq: 99 }),
    );
    expect(Object.keys(d.accounts)).toContain('__proto__');
    expect(refusal(decideUpdateAccount(d, region, '__proto__', { name: 'Renamed' }))).toBeNull();
  });

  it('accepts an actor an administrator added', () => {
    const d = directory();
    d.actors['ny-kommun'] = { ...region.actors[1], id: 'ny-kommun' } as (typeof region.actors)[number];
    expect(
      refusal(decideCreateAccount(d, overlayRegion(region, d), { ...newAccount, actorId: 'ny-kommun' })),
    ).toBeNull();
  });
});

describe('phone numbers on accounts', () => {
  const phoneOf = (decision: Decision) => accountsSaved(decision)[0]?.phone;

  it.each([
    ['a Swedish mobile number', '070-174 06 05', '+46701740605'],
    ['a Stockholm number', '08-123 456 78', '+46812345678'],
    ['E.164 with spaces', '+46 70 174 06 05', '+46701740605'],
    ['the 00 prefix', '0046 70 174 06 05', '+46701740605'],
    ['a foreign number', '+47 22 12 34 56', '+4722123456'],
  ])('stores %s in E.164 form', (_name, typed, stored) => {
    expect(phoneOf(decideCreateAccount(directory(), region, { ...newAccount, phone: typed }))).toBe(stored);
  });

  it.each([
    ['letters', '070-ABC 06 05'],
    ['too few digits', '070-12'],
    ['too many digits', '+46 70 174 06 05 12 34 56'],
    ['the trunk 0 after +46', '+46 070-174 06 05'],
    ['no leading 0 or +', '701740605'],
    ['an empty number', '   '],
  ])('refuses a new account whose phone number has %s, saying which forms work', (_name, typed) => {
    const refused = refusal(decideCreateAccount(directory(), region, { ...newAccount, phone: typed }));
    expect(refused?.code).toBe('bad_request');
    expect(refused?.message).toContain('070-174 06 05');
  });

  it('refuses a bad number on a change and leaves the old one', () => {
    const d = directory();
    const anna = d.accounts.anna;
    if (anna) anna.phone = '+46701740605';
    expect(refusal(decideUpdateAccount(d, region, 'anna', { phone: 'ring mig' }))?.code).toBe('bad_request');
    expect(d.accounts.anna?.phone).toBe('+46701740605');
  });

  it('changes, keeps and removes a number', () => {
    const d = directory();
    const anna = d.accounts.anna;
    if (anna) anna.phone = '+46701740605';
    expect(phoneOf(decideUpdateAccount(d, region, 'anna', { phone: '070-174 06 06' }))).toBe('+46701740606');
    expect(phoneOf(decideUpdateAccount(d, region, 'anna', { name: 'Anna A' }))).toBe('+46701740605');
    const removed = accountsSaved(decideUpdateAccount(d, region, 'anna', { phone: null }))[0];
    expect(removed).toBeDefined();
    expect(removed && 'phone' in removed).toBe(false);
    expect(eventsOf(decideUpdateAccount(d, region, 'anna', { phone: '+46 70 174 06 05' }))).toEqual([]);
  });

  it('keeps the number when the function is handed over', () => {
    const d = directory();
    const anna = d.accounts.anna;
    if (anna) anna.phone = '+46701740605';
    const saved = accountsSaved(
      decideHandover(d, region, {
        functionId: 'dutyOfficer',
        fromAccountId: 'anna',
        toAccountId: 'bo',
        byAccountId: 'anna',
      }),
    );
    expect(saved.find((a) => a.id === 'anna')?.phone).toBe('+46701740605');
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
    expect(eventsOf(decideUpdateAccount(directory(), region, 'anna', { name: 'Person anna' }))).toEqual([]);
    expect(eventsOf(decideUpdateAccount(directory(), region, 'anna', { passwordHash: 'h' }))).toEqual([
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
    ['to another actor', { toAccountId: 'cecilia' }, 'not_found'],
    ['to a disabled account', { toAccountId: 'dan' }, 'conflict'],
    ['to oneself', { toAccountId: 'anna' }, 'bad_request'],
    ['to an unknown account', { toAccountId: 'nobody' }, 'not_found'],
    ['from an unknown account', { fromAccountId: 'nobody', byAccountId: 'admin' }, 'not_found'],
  ])('refuses a hand-over %s', (_name, overrides, code) => {
    expect(refusal(decideHandover(directory(), region, { ...handover, ...overrides }))?.code).toBe(code);
  });

  it('answers an account of another actor exactly like one that does not exist', () => {
    const answer = (toAccountId: string) =>
      refusal(decideHandover(directory(), region, { ...handover, toAccountId: toAccountId }));
    const foreign = answer('cecilia');
    const missing = answer('nobody');
    expect(foreign).toEqual({ ...missing, message: missing?.message.replace('nobody', 'cecilia') });
    expect(foreign?.message).not.toContain('Person cecilia');
    // Also when the caller does not even hold the function it offers.
    const notHeld = { ...handover, functionId: 'coordinator' };
    expect(refusal(decideHandover(directory(), region, { ...notHeld, toAccountId: 'cecilia' }))?.code).toBe(
      refusal(decideHandover(directory(), region, { ...notHeld, toAccountId: 'nobody' }))?.code,
    );
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
    expect(eventsOf(decideCreateActor(region, actor))).toEqual([{ type: 'actor.saved', payload: { actor } }]);
    expect(refusal(decideCreateActor(region, { ...actor, id: 'nacka' }))?.code).toBe('conflict');
  });

  it.each([
    ['looks like an existing actor', 'iidingo', 'conflict', 'looks like the existing "lidingo"'],
    ['looks like an existing actor, with rn for m', 'stockholrns-harnnar', 'conflict', '"stockholms-hamnar"'],
    ['has an upper-case letter', 'toString', 'bad_request', 'may hold only a–z'],
    ['has an underscore', '__proto__', 'bad_request', 'may hold only a–z'],
    ['has a Cyrillic letter', 'n\u0430cka-2', 'bad_request', 'may hold only a–z'],
  ])('refuses an actor id that %s', (_name, id, code, message) => {
    expect(refusal(decideCreateActor(region, { ...actor, id }))).toMatchObject({
      code,
      message: expect.stringContaining(message),
    });
  });

  it('accepts an actor id that is a name on every JavaScript object', () => {
    expect(refusal(decideCreateActor(region, { ...actor, id: 'constructor' }))).toBeNull();
  });

  it.each([
    ['New York', { lat: 40.7, lng: -74 }],
    ['0,0', { lat: 0, lng: 0 }],
  ])('refuses an actor whose home is in %s', (_name, home) => {
    expect(refusal(decideCreateActor(region, { ...actor, home }))?.message).toBe(
      "The actor's home lies outside the region",
    );
    expect(refusal(decideUpdateActor(region, 'nacka', { home }))?.message).toBe(
      "The actor's home lies outside the region",
    );
  });

  it('changes an actor of the region file, keeping its id', () => {
    const decision = decideUpdateActor(region, 'nacka', { shortName: 'Nacka kn' });
    const saved = eventsOf(decision)?.[0];
    expect(saved?.type === 'actor.saved' && saved.payload.actor).toMatchObject({
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
    expect(eventsOf(decision)?.map((e) => e.type)).toEqual(['device.saved', 'device.credentialSet']);
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
    expect(first.ok).toBe(true);
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
    const saved = eventsOf(decision)?.[0];
    expect(saved?.type === 'device.saved' && saved.payload.device.revokedAt).toBe(TEST_NOW);
    expect(eventsOf(decideRevokeDevice(directory(), 'wall-old', TEST_NOW))).toEqual([]);
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
