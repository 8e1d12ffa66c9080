import { commandPayloads, LIMITS } from '@lagesbild/shared';
import { testUuid } from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import { methaneToFieldReport, type MethaneReport } from './methane';

const FIELD_REPORT_ID = testUuid(10);

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
  sharing: { scope: 'region' },
  ...overrides,
});

describe('methaneToFieldReport', () => {
  it('sends every METHANE field as it is, as a field report of the incident', () => {
    expect(methaneToFieldReport(buildMethane(), FIELD_REPORT_ID)).toEqual({
      fieldReportId: FIELD_REPORT_ID,
      incidentId: testUuid(1),
      eventType: 'Träd över vägen, bil under träd',
      locationText: 'Värmdöleden vid Skurubron',
      position: { lat: 59.311, lng: 18.164 },
      hazards: 'Fler träd kan falla',
      access: 'Från Nacka, västerut',
      casualties: '2 lindrigt skadade',
      servicesPresent: 'Räddningstjänst, ambulans',
      servicesNeeded: 'Bärgning, trädfällning',
      sharing: { scope: 'region' },
    });
  });

  it("never says anything about the actor's status, needs or prognosis", () => {
    const payload = methaneToFieldReport(buildMethane(), FIELD_REPORT_ID);
    expect(Object.keys(payload)).not.toContain('status');
    expect(Object.keys(payload)).not.toContain('needs');
    expect(Object.keys(payload)).not.toContain('assessment');
  });

  it('trims what was typed and keeps an unknown position unknown', () => {
    const payload = methaneToFieldReport(
      buildMethane({ position: null, hazards: '  ', eventType: ' Brand \n' }),
      FIELD_REPORT_ID,
    );
    expect(payload).toMatchObject({ position: null, hazards: '', eventType: 'Brand' });
  });

  it('keeps the region sharing or narrows it, as chosen', () => {
    expect(
      methaneToFieldReport(buildMethane({ sharing: { scope: 'own' } }), FIELD_REPORT_ID).sharing,
    ).toEqual({
      scope: 'own',
    });
  });

  it('always gives a payload the hub accepts, even from overlong input', () => {
    const long = 'x'.repeat(LIMITS.maxTextLength + 500);
    const payloads = [
      methaneToFieldReport(buildMethane(), FIELD_REPORT_ID),
      methaneToFieldReport(
        buildMethane({ eventType: long, hazards: long, locationText: long }),
        FIELD_REPORT_ID,
      ),
      methaneToFieldReport(buildMethane({ position: null, locationText: '' }), FIELD_REPORT_ID),
    ];
    for (const payload of payloads) {
      expect(commandPayloads['fieldReport.submit'].safeParse(payload).success).toBe(true);
    }
  });
});
