import { describe, expect, it } from 'vitest';
import { initialDirectory, type DirectoryAccount, type DirectoryState } from '@lagesbild/shared';
import { stockholmRegion } from '@lagesbild/shared/test-factories';
import { accountForIdentity, identityFromClaims, oidcAccountId, type OidcIdentity } from './oidc-accounts.js';

const names = { actorClaim: 'lagesbild_actor', functionsClaim: 'lagesbild_functions' };
const region = stockholmRegion();
const claims = (overrides: Record<string, unknown> = {}) => ({
  iss: 'https://idp.example',
  sub: 'anna-123',
  name: 'Anna Berg',
  preferred_username: 'anna.berg',
  lagesbild_actor: 'nacka',
  lagesbild_functions: ['dutyOfficer'],
  ...overrides,
});

const directoryWith = (...accounts: DirectoryAccount[]): DirectoryState => ({
  ...initialDirectory(),
  accounts: Object.fromEntries(accounts.map((a) => [a.id, a])),
});

describe('mapping provider claims to the region', () => {
  it('maps actor, functions, username and name, and keys the person by issuer and subject', () => {
    expect(identityFromClaims(claims(), names, region, initialDirectory())).toEqual({
      ok: true,
      identity: {
        externalId: 'https://idp.example#anna-123',
        actorId: 'nacka',
        functionIds: ['dutyOfficer'],
        preferredUsername: 'anna.berg',
        name: 'Anna Berg',
      },
    });
  });

  it('accepts functions as a space- or comma-separated string, and drops duplicates', () => {
    const mapped = identityFromClaims(
      claims({ lagesbild_functions: 'dutyOfficer, coordinator dutyOfficer' }),
      names,
      region,
      initialDirectory(),
    );
    expect(mapped.ok && mapped.identity.functionIds).toEqual(['dutyOfficer', 'coordinator']);
  });

  it('accepts an actor added by an administrator after start', () => {
    const template = region.actors[1];
    if (!template) throw new Error('the region has actors');
    const directory: DirectoryState = {
      ...initialDirectory(),
      actors: { 'ny-kommun': { ...template, id: 'ny-kommun' } },
    };
    expect(identityFromClaims(claims({ lagesbild_actor: 'ny-kommun' }), names, region, directory).ok).toBe(
      true,
    );
  });

  it.each([
    ['no actor claim', { lagesbild_actor: undefined }, 'missing_claims'],
    ['no functions claim', { lagesbild_functions: undefined }, 'missing_claims'],
    ['an empty functions list', { lagesbild_functions: [] }, 'missing_claims'],
    ['functions of the wrong type', { lagesbild_functions: 7 }, 'missing_claims'],
    ['no subject', { sub: '' }, 'missing_claims'],
    ['an actor outside the region', { lagesbild_actor: 'atlantis' }, 'unknown_actor'],
    ['a function the region lacks', { lagesbild_functions: ['dutyOfficer', 'wizard'] }, 'unknown_function'],
    ['an absurdly long subject', { sub: 'x'.repeat(400) }, 'missing_claims'],
  ])('refuses %s', (_case, overrides, error) => {
    expect(identityFromClaims(claims(overrides), names, region, initialDirectory())).toEqual({
      ok: false,
      error,
    });
  });

  it('reads the claim names the region configured', () => {
    const custom = { actorClaim: 'org', functionsClaim: 'roles' };
    const mapped = identityFromClaims(
      claims({ org: 'polisen', roles: ['viewer'] }),
      custom,
      region,
      initialDirectory(),
    );
    expect(mapped.ok && [mapped.identity.actorId, mapped.identity.functionIds]).toEqual([
      'polisen',
      ['viewer'],
    ]);
  });
});

describe('the account for a signed-in person', () => {
  const identity: OidcIdentity = {
    externalId: 'https://idp.example#anna-123',
    actorId: 'nacka',
    functionIds: ['dutyOfficer'],
    preferredUsername: 'anna.berg',
    name: 'Anna Berg',
  };

  it('is created on first sign-in with an id derived from the external identity', () => {
    const result = accountForIdentity(initialDirectory(), identity);
    expect(result).toMatchObject({
      ok: true,
      account: { id: oidcAccountId(identity.externalId), username: 'anna.berg' },
    });
    expect(result.ok && result.events).toHaveLength(1);
  });

  it('is found again and left alone when nothing changed', () => {
    const first = accountForIdentity(initialDirectory(), identity);
    if (!first.ok) throw new Error('expected an account');
    const again = accountForIdentity(directoryWith(first.account), identity);
    expect(again).toEqual({ ok: true, account: first.account, events: [] });
  });

  it('keeps the phone number an administrator set when the provider changes the functions', () => {
    const first = accountForIdentity(initialDirectory(), identity);
    if (!first.ok) throw new Error('expected an account');
    const withPhone = { ...first.account, phone: '+46701740605' };
    const again = accountForIdentity(directoryWith(withPhone), { ...identity, functionIds: ['coordinator'] });
    expect(again.ok && again.account.phone).toBe('+46701740605');
  });

  it('takes actor, functions and name from the provider at every sign-in, keeping the username', () => {
    const first = accountForIdentity(initialDirectory(), identity);
    if (!first.ok) throw new Error('expected an account');
    const handedOver = {
      ...identity,
      actorId: 'lansstyrelsen',
      functionIds: ['coordinator'],
      preferredUsername: 'renamed',
    };
    const again = accountForIdentity(directoryWith(first.account), handedOver);
    expect(again).toMatchObject({
      ok: true,
      account: {
        id: first.account.id,
        username: 'anna.berg',
        actorId: 'lansstyrelsen',
        functionIds: ['coordinator'],
      },
    });
    expect(again.ok && again.events).toHaveLength(1);
  });

  it('links to an account an administrator prepared with the external id', () => {
    const prepared: DirectoryAccount = {
      id: 'anna',
      username: 'anna',
      name: 'Anna',
      actorId: 'nacka',
      functionIds: ['viewer'],
      disabled: false,
      externalId: identity.externalId,
    };
    expect(accountForIdentity(directoryWith(prepared), identity)).toMatchObject({
      ok: true,
      account: { id: 'anna', username: 'anna' },
    });
  });

  it('refuses a disabled account', () => {
    const first = accountForIdentity(initialDirectory(), identity);
    if (!first.ok) throw new Error('expected an account');
    expect(accountForIdentity(directoryWith({ ...first.account, disabled: true }), identity)).toEqual({
      ok: false,
      error: 'account_disabled',
    });
  });

  it('never takes the username of a local account', () => {
    const local: DirectoryAccount = {
      id: 'dutyOfficer.lansstyrelsen',
      username: 'tib.lansstyrelsen',
      name: 'TiB',
      actorId: 'lansstyrelsen',
      functionIds: ['dutyOfficer'],
      disabled: false,
      externalId: null,
    };
    const result = accountForIdentity(directoryWith(local), {
      ...identity,
      preferredUsername: 'TIB.Lansstyrelsen',
    });
    expect(result.ok && result.account.id).not.toBe(local.id);
    expect(result.ok && result.account.username).toBe(oidcAccountId(identity.externalId));
    // Nor one that passes for it: a Cyrillic а, a one for an l.
    for (const preferredUsername of ['tib.l\u0430nsstyrelsen', 'tib.lansstyre1sen']) {
      const lookAlike = accountForIdentity(directoryWith(local), { ...identity, preferredUsername });
      expect(lookAlike.ok && lookAlike.account.username).toBe(oidcAccountId(identity.externalId));
    }
  });
});
