import { buildIncident, stockholmRegion } from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import {
  changedBetween,
  incidentEditDraft,
  incidentUpdateFromDraft,
  rebaseDraft,
} from './incident-edit-draft';

const region = stockholmRegion();
const incident = buildIncident({
  title: 'Storm Ylva',
  kind: 'weather',
  description: 'Gale force winds',
  summonedActorIds: ['lansstyrelsen', 'nacka'],
  nextConferenceAt: null,
  version: 12,
});

describe('incidentUpdateFromDraft', () => {
  it('sends only what changed, on the version the edit began from', () => {
    const draft = { ...incidentEditDraft(incident), title: '  Storm Ylva, dag 2 ', kind: 'fire' as const };
    const result = incidentUpdateFromDraft(draft, incident, region);
    expect(result).toEqual({
      ok: true,
      payload: { incidentId: incident.id, title: 'Storm Ylva, dag 2', kind: 'fire', baseVersion: 12 },
    });
  });

  it('sends the whole summons with the added actors, since the hub replaces the list', () => {
    const draft = { ...incidentEditDraft(incident), addedActorIds: ['solna'] };
    const result = incidentUpdateFromDraft(draft, incident, region);
    expect(result.ok && result.payload.summonedActorIds).toEqual(['lansstyrelsen', 'nacka', 'solna']);
  });

  it('sends a cleared area as no area', () => {
    const draft = { ...incidentEditDraft(incident), area: [] };
    const result = incidentUpdateFromDraft(draft, incident, region);
    expect(result.ok && result.payload).toEqual({ incidentId: incident.id, area: null, baseVersion: 12 });
  });

  it.each([
    ['an empty title', { title: '   ' }, { title: 'required' }],
    [
      'an area of two points',
      { area: [[18, 59] as [number, number], [18.1, 59.1] as [number, number]] },
      { area: 'areaTooSmall' },
    ],
    ['a time that is not one', { nextConference: 'tomorrow' }, { nextConference: 'badTime' }],
    ['nothing changed', {}, { form: 'unchanged' }],
  ])('refuses %s and says where', (_name, change, problems) => {
    const result = incidentUpdateFromDraft({ ...incidentEditDraft(incident), ...change }, incident, region);
    expect(result).toEqual({ ok: false, problems });
  });
});

describe('rebaseDraft', () => {
  it('keeps what the person changed and takes the rest from the newer version', () => {
    const newer = {
      ...incident,
      description: 'Winds easing',
      summonedActorIds: [...incident.summonedActorIds, 'solna'],
      version: 15,
    };
    const draft = {
      ...incidentEditDraft(incident),
      title: 'Storm Ylva, dag 2',
      addedActorIds: ['solna', 'sollentuna'],
    };
    const rebased = rebaseDraft(draft, incident, newer, region);
    expect(rebased).toMatchObject({
      title: 'Storm Ylva, dag 2',
      description: 'Winds easing',
      addedActorIds: ['sollentuna'],
    });
    expect(changedBetween(incident, newer)).toEqual(new Set(['description', 'summoned']));
  });
});
