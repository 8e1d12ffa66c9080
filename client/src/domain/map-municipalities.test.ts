import { buildIncident, buildReport, buildState, stockholmRegion } from '@lagesbild/shared/test-factories';
import vendored from '@lagesbild/shared/regions/stockholm-municipalities.geojson?raw';
import { describe, expect, it } from 'vitest';
import { parseMunicipalBorders } from '../map/municipal-borders';
import {
  countByStatus,
  municipalityActorIds,
  municipalStatuses,
  placeKey,
  statusByActor,
} from './map-municipalities';

const region = stockholmRegion();
const borders = parseMunicipalBorders(vendored);

describe('which actor a municipality on the map is', () => {
  it('finds an actor for each of the 26 municipalities of the border file, and each municipality actor on the map', () => {
    const actorIds = municipalityActorIds(borders.municipalities, region.actors);
    expect(actorIds.size).toBe(26);
    const municipalityActors = region.actors.filter((a) => a.kind === 'municipality').map((a) => a.id);
    expect(municipalityActors).toHaveLength(26);
    // Each actor once: two municipalities never share a colour source.
    expect([...actorIds.values()].sort()).toEqual([...municipalityActors].sort());
    const byName = new Map(borders.municipalities.map((m) => [m.name, actorIds.get(m.code)]));
    expect(byName.get('Nacka')).toBe('nacka');
    expect(byName.get('Södertälje')).toBe('sodertalje');
    expect(byName.get('Upplands Väsby')).toBe('upplands-vasby');
    expect(byName.get('Upplands-Bro')).toBe('upplands-bro');
    expect(byName.get('Stockholm')).toBe('stockholm');
  });

  it('spells place names the same whatever the diacritics, spaces and hyphens', () => {
    expect(placeKey('Upplands Väsby')).toBe('upplands-vasby');
    expect(placeKey('Upplands-Väsby')).toBe('upplands-vasby');
    expect(placeKey('Österåker')).toBe('osteraker');
    expect(placeKey(' Ekerö ')).toBe('ekero');
  });

  it('finds an actor an administrator added with another id by its short or official name', () => {
    const nacka = { code: '0182', name: 'Nacka' };
    const danderyd = { code: '0162', name: 'Danderyd' };
    const actors = [
      { id: 'nacka-kommun', name: 'Nacka kommun', shortName: 'Nacka', kind: 'municipality' as const },
      { id: 'dk', name: 'Danderyds kommun', shortName: 'DK', kind: 'municipality' as const },
    ];
    const found = municipalityActorIds([nacka, danderyd], actors);
    expect(found.get('0182')).toBe('nacka-kommun');
    expect(found.get('0162')).toBe('dk');
  });

  it('never takes a county-wide actor named after a town for the municipality', () => {
    const actors = [
      { id: 'stockholm', name: 'Stockholms Hamnar', shortName: 'Stockholm', kind: 'port' as const },
    ];
    expect(municipalityActorIds([{ code: '0180', name: 'Stockholm' }], actors).size).toBe(0);
  });
});

describe("the municipalities' statuses on an incident", () => {
  it("takes each municipality's latest report, and says none for one that has not reported", () => {
    const storm = buildIncident();
    const older = buildReport({ incidentId: storm.id, actorId: 'nacka', status: 'severe', seq: 1 });
    const newer = buildReport({ incidentId: storm.id, actorId: 'nacka', status: 'strained', seq: 2 });
    const other = buildReport({ incidentId: 'another', actorId: 'solna', status: 'severe', seq: 3 });
    const police = buildReport({ incidentId: storm.id, actorId: 'polisen', status: 'severe', seq: 4 });
    const state = buildState({ incidents: [storm], reports: [older, newer, other, police] });

    const statuses = municipalStatuses(state.reports, storm.id, region.actors);
    expect(statuses).toHaveLength(26);
    const nacka = statuses.find((s) => s.actorId === 'nacka');
    expect(nacka?.status).toBe('strained');
    expect(nacka?.report?.id).toBe(newer.id);
    // A report on another incident does not colour this one's map.
    expect(statusByActor(statuses).get('solna')).toBeNull();
    // The police is no municipality.
    expect(statuses.some((s) => s.actorId === 'polisen')).toBe(false);
    expect(countByStatus(statuses)).toEqual({ severe: 0, strained: 1, normal: 0, none: 25 });
    // In the order people look names up.
    expect(statuses.at(0)?.name).toBe('Botkyrka');
    expect(statuses.at(-1)?.name).toBe('Österåker');
  });
});
