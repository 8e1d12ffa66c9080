import { describe, expect, it } from 'vitest';
import { initialDirectory, type DirectoryAccount, type DirectoryState, type Sender } from '@lagesbild/shared';
import {
  buildAttribution,
  buildIncident,
  buildState,
  stockholmRegion,
} from '@lagesbild/shared/test-factories';
import { contactsFor } from './contacts.js';

const region = stockholmRegion();

const account = (id: string, actorId: string, functionIds: string[], phone?: string): DirectoryAccount => ({
  id,
  username: id,
  name: `Person ${id}`,
  actorId,
  functionIds,
  disabled: false,
  externalId: null,
  ...(phone ? { phone } : {}),
});

function directory(): DirectoryState {
  const d = initialDirectory();
  for (const a of [
    account('lst-tib', 'lansstyrelsen', ['dutyOfficer'], '+46701740605'),
    account('lst-coordinator', 'lansstyrelsen', ['coordinator']),
    account('nacka-tib', 'nacka', ['dutyOfficer'], '+46701740606'),
    account('nacka-field', 'nacka', ['field'], '+46701740607'),
    account('solna-tib', 'solna', ['dutyOfficer'], '+46701740608'),
    account('polisen-tib', 'polisen', ['dutyOfficer'], '+46701740609'),
  ]) {
    d.accounts[a.id] = a;
  }
  return d;
}

const sender = (actorId: string, functionIds: string[]): Sender => ({
  userId: `${actorId}-person`,
  userName: 'Someone',
  actorId,
  functionIds,
});

const activation = buildIncident({ summonedActorIds: ['lansstyrelsen', 'nacka', 'solna'] });
const request = buildIncident({
  status: 'requested',
  summonedActorIds: [],
  activatedAt: null,
  activatedBy: null,
  requestedAt: activation.activatedAt,
  requestedBy: buildAttribution({ userId: 'nacka-tib', userName: 'Person nacka-tib', actorId: 'nacka' }),
});
const state = buildState({ incidents: [activation, request] });

describe('who sees which phone numbers', () => {
  it('gives a summoned actor the duty officers of every summoned actor, and nobody else', () => {
    const seen = contactsFor(sender('solna', ['dutyOfficer']), state, directory(), region);
    expect(seen.incidents[activation.id]?.map((c) => [c.actorId, c.phone])).toEqual([
      ['lansstyrelsen', '+46701740605'],
      ['nacka', '+46701740606'],
      ['solna', '+46701740608'],
    ]);
  });

  it('gives a read-only viewer or a field worker of a summoned actor no numbers', () => {
    for (const functionIds of [['viewer'], ['field']])
      expect(contactsFor(sender('nacka', functionIds), state, directory(), region)).toEqual({
        incidents: {},
        requests: {},
      });
  });

  it('finds no requester behind an inherited name such as "constructor"', () => {
    const odd = { ...request, requestedBy: buildAttribution({ userId: 'constructor', actorId: 'nacka' }) };
    const seen = contactsFor(
      sender('lansstyrelsen', ['coordinator']),
      buildState({ incidents: [odd] }),
      directory(),
      region,
    );
    expect(seen.requests).toEqual({});
  });

  it('gives an actor that is not summoned no numbers at all', () => {
    expect(contactsFor(sender('polisen', ['dutyOfficer']), state, directory(), region)).toEqual({
      incidents: {},
      requests: {},
    });
  });

  it('gives the requester’s number to those who may decide on the request only', () => {
    const decider = contactsFor(sender('lansstyrelsen', ['coordinator']), state, directory(), region);
    expect(decider.requests[request.id]).toEqual({
      accountId: 'nacka-tib',
      name: 'Person nacka-tib',
      actorId: 'nacka',
      functionId: 'dutyOfficer',
      phone: '+46701740606',
    });
    expect(contactsFor(sender('nacka', ['dutyOfficer']), state, directory(), region).requests).toEqual({});
  });

  it('leaves out disabled accounts and closed incidents', () => {
    const d = directory();
    const nacka = d.accounts['nacka-tib'];
    if (nacka) nacka.disabled = true;
    const closed = buildState({ incidents: [{ ...activation, status: 'closed' }, request] });
    expect(
      contactsFor(sender('solna', ['dutyOfficer']), state, d, region).incidents[activation.id],
    ).toHaveLength(2);
    expect(contactsFor(sender('solna', ['dutyOfficer']), closed, d, region).incidents).toEqual({});
    expect(contactsFor(sender('lansstyrelsen', ['dutyOfficer']), state, d, region).requests).toEqual({});
  });
});
