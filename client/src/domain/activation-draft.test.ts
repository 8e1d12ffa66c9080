import { LIMITS } from '@lagesbild/shared';
import { buildIncident, stockholmRegion, testUuid } from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import { newActivationDraft, validateActivationDraft } from './activation-draft';
import { toLocalInput } from './format';

const region = stockholmRegion();
const ID = testUuid(1);
const draft = () => ({ ...newActivationDraft(region, null), title: 'Storm Ylva' });

describe('the activation decision', () => {
  it('summons every actor by default, sent as "everybody"', () => {
    expect(newActivationDraft(region, null).summonedActorIds).toHaveLength(region.actors.length);
    const result = validateActivationDraft(draft(), ID, region);
    expect(result).toMatchObject({
      ok: true,
      payload: {
        incidentId: ID,
        title: 'Storm Ylva',
        summonedActorIds: [],
        area: null,
        nextConferenceAt: null,
      },
    });
  });

  it('sends the chosen actors when the decider narrows the summons', () => {
    const result = validateActivationDraft({ ...draft(), summonedActorIds: ['nacka', 'solna'] }, ID, region);
    expect(result).toMatchObject({ ok: true, payload: { summonedActorIds: ['nacka', 'solna'] } });
    expect(validateActivationDraft({ ...draft(), summonedActorIds: [] }, ID, region)).toEqual({
      ok: false,
      problems: { summoned: 'noActors' },
    });
  });

  it('needs a title within the limit', () => {
    expect(validateActivationDraft({ ...draft(), title: ' ' }, ID, region)).toEqual({
      ok: false,
      problems: { title: 'required' },
    });
    const long = 'x'.repeat(LIMITS.maxShortTextLength + 1);
    expect(validateActivationDraft({ ...draft(), title: long }, ID, region)).toMatchObject({
      ok: false,
      problems: { title: 'tooLong' },
    });
  });

  it('closes a drawn area into a polygon and refuses one of two points', () => {
    const area: [number, number][] = [
      [18, 59.3],
      [18.1, 59.3],
      [18.05, 59.35],
    ];
    const result = validateActivationDraft({ ...draft(), area }, ID, region);
    expect(result).toMatchObject({
      ok: true,
      payload: { area: { type: 'Polygon', coordinates: [[...area, area[0]]] } },
    });
    expect(validateActivationDraft({ ...draft(), area: area.slice(0, 2) }, ID, region)).toEqual({
      ok: false,
      problems: { area: 'areaTooSmall' },
    });
  });

  it('turns the next conference time into an ISO time', () => {
    const at = '2024-05-01T10:30:00.000Z';
    const result = validateActivationDraft({ ...draft(), nextConference: toLocalInput(at) }, ID, region);
    expect(result).toMatchObject({ ok: true, payload: { nextConferenceAt: at } });
    expect(validateActivationDraft({ ...draft(), nextConference: 'i morgon' }, ID, region)).toEqual({
      ok: false,
      problems: { nextConference: 'badTime' },
    });
  });

  it('answers a request with its title and reason prefilled', () => {
    const request = buildIncident({
      status: 'requested',
      title: 'Vattenläcka',
      reason: 'Huvudledning brusten',
    });
    expect(newActivationDraft(region, request)).toMatchObject({
      title: 'Vattenläcka',
      description: 'Huvudledning brusten',
    });
  });
});
