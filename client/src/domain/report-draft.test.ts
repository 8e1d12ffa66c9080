import { LIMITS } from '@lagesbild/shared';
import { buildMapFeature, buildReport, testUuid } from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import { draftFromPayload, emptyReportDraft, validateReportDraft, type ReportDraft } from './report-draft';

const INCIDENT = testUuid(1);
const draft = (overrides: Partial<ReportDraft> = {}): ReportDraft => ({
  ...emptyReportDraft(testUuid(2), undefined),
  happened: 'Träd över vägen',
  ...overrides,
});

describe('the situation report draft', () => {
  it('builds a report.submit payload the hub accepts', () => {
    const feature = buildMapFeature();
    const result = validateReportDraft(
      draft({ needs: 'Röjning', status: 'strained', features: [feature] }),
      INCIDENT,
    );
    expect(result).toEqual({
      ok: true,
      payload: expect.objectContaining({
        reportId: testUuid(2),
        incidentId: INCIDENT,
        happened: 'Träd över vägen',
        needs: 'Röjning',
        status: 'strained',
        sharing: { scope: 'region' },
        features: [feature],
      }),
    });
  });

  it('rejects a text longer than the hub allows, naming the field', () => {
    const result = validateReportDraft(draft({ measures: 'x'.repeat(LIMITS.maxTextLength + 1) }), INCIDENT);
    expect(result).toEqual({ ok: false, problems: { measures: 'tooLong' } });
    expect(validateReportDraft(draft({ measures: 'x'.repeat(LIMITS.maxTextLength) }), INCIDENT).ok).toBe(
      true,
    );
  });

  it('rejects a report with nothing written in it', () => {
    const empty = draft({ happened: '  ' });
    expect(validateReportDraft(empty, INCIDENT)).toEqual({ ok: false, problems: { happened: 'empty' } });
  });

  it('asks for at least one actor when sharing with named actors', () => {
    expect(validateReportDraft(draft({ sharingScope: 'actors' }), INCIDENT)).toEqual({
      ok: false,
      problems: { sharing: 'noActors' },
    });
    const shared = validateReportDraft(
      draft({ sharingScope: 'actors', sharingActorIds: ['solna'] }),
      INCIDENT,
    );
    expect(shared).toMatchObject({
      ok: true,
      payload: { sharing: { scope: 'actors', actorIds: ['solna'] } },
    });
  });

  it('rejects more map features than one report may carry', () => {
    const features = Array.from({ length: LIMITS.maxFeaturesPerReport + 1 }, (_, i) =>
      buildMapFeature({ id: testUuid(100 + i) }),
    );
    expect(validateReportDraft(draft({ features }), INCIDENT)).toEqual({
      ok: false,
      problems: { features: 'tooManyFeatures' },
    });
  });

  it('refuses what the shared schema refuses, such as a polygon ring that does not close', () => {
    const broken = buildMapFeature({
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [18, 59],
            [18.1, 59],
            [18.1, 59.1],
            [18.2, 59.2],
          ],
        ],
      },
    });
    expect(validateReportDraft(draft({ features: [broken] }), INCIDENT)).toEqual({
      ok: false,
      problems: { form: 'invalid' },
    });
  });

  it("starts a new draft from the actor's latest report: its status and its places", () => {
    const previous = buildReport({ status: 'severe', features: [buildMapFeature()] });
    const fresh = emptyReportDraft(testUuid(3), previous);
    expect(fresh.status).toBe('severe');
    expect(fresh.features).toEqual(previous.features);
    expect(fresh.happened).toBe('');
  });

  it('turns a refused report back into a draft with a new report id', () => {
    const result = validateReportDraft(
      draft({ sharingScope: 'actors', sharingActorIds: ['solna'] }),
      INCIDENT,
    );
    if (!result.ok) throw new Error('expected a valid draft');
    const back = draftFromPayload(result.payload, testUuid(9));
    expect(back).toMatchObject({
      reportId: testUuid(9),
      happened: 'Träd över vägen',
      sharingActorIds: ['solna'],
    });
  });
});
