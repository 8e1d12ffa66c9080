import { commandPayloads, LIMITS } from '@lagesbild/shared';
import { testUuid } from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import { methaneToReport, type MethaneLabels, type MethaneReport } from './methane';

const labels: MethaneLabels = {
  location: 'Plats',
  eventType: 'Typ av händelse',
  hazards: 'Risker',
  access: 'Framkomlighet',
  casualties: 'Skadade',
  servicesPresent: 'Resurser på plats',
  servicesNeeded: 'Resurser som behövs',
  fieldReport: 'Fältrapport',
};

const ids = { reportId: testUuid(10), featureId: testUuid(11) };

const buildMethane = (overrides: Partial<MethaneReport> = {}): MethaneReport => ({
  incidentId: testUuid(1),
  position: { lat: 59.311, lng: 18.164 },
  locationText: 'Värmdöleden vid Skurubron',
  eventType: 'Träd över vägen, bil under träd',
  hazards: 'Fler träd kan falla',
  access: 'Från Nacka, västerut',
  casualties: '2 lindrigt skadade',
  servicesPresent: 'Räddningstjänst, ambulans',
  servicesNeeded: 'Bärgning, trädfällning',
  status: 'strained',
  sharing: { scope: 'region' },
  ...overrides,
});

describe('methaneToReport', () => {
  it('puts each METHANE field under its heading in the matching part of the report', () => {
    const report = methaneToReport(buildMethane(), labels, ids);
    expect(report.happened).toBe(
      'Typ av händelse: Träd över vägen, bil under träd\nPlats: Värmdöleden vid Skurubron (59.31100, 18.16400)',
    );
    expect(report.consequences).toBe('Skadade: 2 lindrigt skadade');
    expect(report.measures).toBe(
      'Resurser på plats: Räddningstjänst, ambulans\nFramkomlighet: Från Nacka, västerut',
    );
    expect(report.needs).toBe('Resurser som behövs: Bärgning, trädfällning');
    expect(report.assessment).toBe('Risker: Fler träd kan falla');
    expect(report).toMatchObject({ reportId: ids.reportId, incidentId: testUuid(1), status: 'strained' });
  });

  it('marks the exact location on the map, in GeoJSON order (longitude first)', () => {
    expect(methaneToReport(buildMethane(), labels, ids).features).toEqual([
      {
        id: ids.featureId,
        kind: 'other',
        label: 'Träd över vägen, bil under träd',
        geometry: { type: 'Point', coordinates: [18.164, 59.311] },
      },
    ]);
  });

  it('has no map point without a position, and leaves out empty fields', () => {
    const report = methaneToReport(
      buildMethane({ position: null, hazards: '  ', casualties: '', servicesPresent: '' }),
      labels,
      ids,
    );
    expect(report.features).toEqual([]);
    expect(report.happened).toBe(
      'Typ av händelse: Träd över vägen, bil under träd\nPlats: Värmdöleden vid Skurubron',
    );
    expect(report.consequences).toBe('');
    expect(report.assessment).toBe('');
    expect(report.measures).toBe('Framkomlighet: Från Nacka, västerut');
  });

  it('labels the point "field report" when the type of event is not given', () => {
    const report = methaneToReport(buildMethane({ eventType: '' }), labels, ids);
    expect(report.features[0]?.label).toBe('Fältrapport');
  });

  it('keeps the region sharing or narrows it, as chosen', () => {
    expect(methaneToReport(buildMethane({ sharing: { scope: 'own' } }), labels, ids).sharing).toEqual({
      scope: 'own',
    });
  });

  it('always gives a payload the hub accepts, even from overlong input', () => {
    const long = 'x'.repeat(LIMITS.maxTextLength + 500);
    const payloads = [
      methaneToReport(buildMethane(), labels, ids),
      methaneToReport(buildMethane({ eventType: long, hazards: long, locationText: long }), labels, ids),
      methaneToReport(buildMethane({ position: null, eventType: '', locationText: '' }), labels, ids),
    ];
    for (const payload of payloads) {
      expect(commandPayloads['report.submit'].safeParse(payload).success).toBe(true);
    }
  });
});
