import {
  buildAttribution,
  buildFieldReport,
  buildIncident,
  buildMapFeature,
  buildReport,
  buildState,
  stockholmRegion,
  testUuid,
} from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import {
  acknowledgementRows,
  actorStatuses,
  fieldReportPoints,
  filterFeatures,
  needsAcrossActors,
  pictureFeatures,
  timelineItems,
} from './picture';

const region = stockholmRegion();
const INCIDENT = testUuid(1);
const by = (actorId: string) =>
  buildAttribution({ actorId, userName: `TiB ${actorId}`, userId: `u-${actorId}` });
const storm = buildIncident({
  id: INCIDENT,
  activatedAt: '2024-05-01T08:00:00.000Z',
  summonedActorIds: ['lansstyrelsen', 'nacka', 'solna', 'botkyrka'],
  acknowledgements: {
    lansstyrelsen: { at: '2024-05-01T08:00:00.000Z', by: by('lansstyrelsen'), seq: 2 },
    nacka: { at: '2024-05-01T08:03:20.000Z', by: by('nacka'), seq: 3 },
  },
});
const report = (actorId: string, at: string, extra: Parameters<typeof buildReport>[0] = {}) =>
  buildReport({ incidentId: INCIDENT, actorId, by: by(actorId), at, ...extra });

describe('the acknowledgement matrix', () => {
  it('lists every summoned actor, those who have not acknowledged first', () => {
    const state = buildState({
      incidents: [storm],
      reports: [report('nacka', '2024-05-01T08:10:00.000Z', { status: 'strained' })],
    });
    const rows = acknowledgementRows(state, storm, region);
    expect(rows.map((r) => r.actorId)).toEqual(['botkyrka', 'solna', 'lansstyrelsen', 'nacka']);
    const nacka = rows.find((r) => r.actorId === 'nacka');
    expect(nacka).toMatchObject({
      timeToAcknowledgeMs: 200_000,
      lastReportAt: '2024-05-01T08:10:00.000Z',
      status: 'strained',
    });
    expect(nacka?.acknowledgement?.by.userName).toBe('TiB nacka');
    expect(rows[0]).toMatchObject({ acknowledgement: null, timeToAcknowledgeMs: null, status: null });
  });

  it('lists acknowledgements in the order the log took them, whatever times they carry', () => {
    const incident = {
      ...storm,
      acknowledgements: {
        // Logged first, with a time from a clock that ran ahead (data from before one clock).
        solna: { at: '2024-05-01T08:05:00.000Z', by: by('solna'), seq: 2 },
        nacka: { at: '2024-05-01T08:01:00.000Z', by: by('nacka'), seq: 3 },
      },
    };
    const rows = acknowledgementRows(buildState({ incidents: [incident] }), incident, region);
    expect(rows.slice(2).map((r) => r.actorId)).toEqual(['solna', 'nacka']);
  });

  it('shows a time to acknowledge it cannot know as unknown, never as a negative or a false 0', () => {
    const incident = {
      ...storm,
      acknowledgements: {
        // 598 s before the activation: stamped by a hub ten minutes slow.
        nacka: { at: '2024-05-01T07:50:02.000Z', by: by('nacka'), seq: 3 },
        solna: { at: '2024-05-01T08:00:00.000Z', by: by('solna'), seq: 4 },
      },
    };
    const rows = acknowledgementRows(buildState({ incidents: [incident] }), incident, region);
    expect(rows.find((r) => r.actorId === 'nacka')).toMatchObject({ timeToAcknowledgeMs: null });
    expect(rows.find((r) => r.actorId === 'nacka')?.acknowledgement).not.toBeNull();
    expect(rows.find((r) => r.actorId === 'solna')).toMatchObject({ timeToAcknowledgeMs: 0 });
  });
});

describe('the common picture', () => {
  const older = report('nacka', '2024-05-01T08:10:00.000Z', {
    needs: 'Sandsäckar',
    features: [buildMapFeature({ label: 'old' })],
  });
  const newer = report('nacka', '2024-05-01T09:00:00.000Z', {
    needs: 'Pumpar',
    status: 'severe',
    features: [buildMapFeature({ label: 'new', kind: 'closedRoad' })],
  });
  const solna = report('solna', '2024-05-01T08:30:00.000Z', {
    needs: '',
    features: [buildMapFeature({ label: 'solna' })],
  });
  const state = buildState({ incidents: [storm], reports: [older, newer, solna] });

  it("draws only each actor's latest report: a newer one supersedes the older", () => {
    expect(
      pictureFeatures(state, INCIDENT)
        .map((f) => f.label)
        .sort(),
    ).toEqual(['new', 'solna']);
  });

  it('filters the map by actor and by kind', () => {
    const all = pictureFeatures(state, INCIDENT);
    expect(
      filterFeatures(all, { hiddenActors: new Set(['solna']), hiddenKinds: new Set() }).map((f) => f.label),
    ).toEqual(['new']);
    expect(
      filterFeatures(all, { hiddenActors: new Set(), hiddenKinds: new Set(['closedRoad']) }).map(
        (f) => f.label,
      ),
    ).toEqual(['solna']);
  });

  it('lists the needs of the latest reports, the most severe first', () => {
    expect(needsAcrossActors(state, INCIDENT, region)).toEqual([
      expect.objectContaining({ actorId: 'nacka', needs: 'Pumpar', status: 'severe' }),
    ]);
  });

  it('orders the actor statuses by severity, silent actors last', () => {
    expect(actorStatuses(state, storm, region).map((s) => [s.actorId, s.status])).toEqual([
      ['nacka', 'severe'],
      ['solna', 'normal'],
      ['botkyrka', null],
      ['lansstyrelsen', null],
    ]);
  });

  it("shows the timeline newest first, an actor's history, and what came after a time", () => {
    expect(timelineItems(state, INCIDENT, { actorId: null, since: null }).map((i) => i.id)).toEqual([
      newer.id,
      solna.id,
      older.id,
    ]);
    expect(timelineItems(state, INCIDENT, { actorId: 'nacka', since: null }).map((i) => i.id)).toEqual([
      newer.id,
      older.id,
    ]);
    expect(
      timelineItems(state, INCIDENT, { actorId: null, since: '2024-05-01T08:30:00.000Z' }).map((i) => i.id),
    ).toEqual([newer.id]);
  });

  it('lists the timeline newest logged first, field reports among the reports', () => {
    const severe = report('nacka', '2024-05-01T09:10:00.000Z', { status: 'severe', seq: 7 });
    const allClear = report('nacka', '2024-05-01T09:00:03.000Z', { status: 'normal', seq: 9 });
    const fieldReport = buildFieldReport({ incidentId: INCIDENT, at: '2024-05-01T09:05:00.000Z', seq: 8 });
    const logged = buildState({
      incidents: [storm],
      reports: [severe, allClear],
      fieldReports: [fieldReport],
    });
    expect(timelineItems(logged, INCIDENT, { actorId: null, since: null }).map((i) => i.id)).toEqual([
      allClear.id,
      fieldReport.id,
      severe.id,
    ]);
  });
});

describe('field reports in the picture', () => {
  const field = buildAttribution({
    actorId: 'nacka',
    userId: 'u-nacka-field',
    userName: 'Frida',
    functionId: 'field',
  });
  const situation = report('nacka', '2024-05-01T08:10:00.000Z', {
    status: 'severe',
    needs: 'Generatorer',
    assessment: 'Förvärras under natten',
  });
  const observation = buildFieldReport({
    id: testUuid(50),
    incidentId: INCIDENT,
    by: field,
    at: '2024-05-01T08:20:00.000Z',
    position: { lat: 59.31, lng: 18.16 },
  });
  const withoutPosition = buildFieldReport({
    id: testUuid(51),
    incidentId: INCIDENT,
    by: field,
    at: '2024-05-01T08:30:00.000Z',
    position: null,
  });
  const state = buildState({
    incidents: [storm],
    reports: [situation],
    fieldReports: [observation, withoutPosition],
  });

  it("leaves the actor's status, needs and prognosis to its situation report", () => {
    expect(actorStatuses(state, storm, region).find((s) => s.actorId === 'nacka')?.status).toBe('severe');
    expect(needsAcrossActors(state, INCIDENT, region)).toMatchObject([
      { actorId: 'nacka', needs: 'Generatorer', reportId: situation.id },
    ]);
    expect(acknowledgementRows(state, storm, region).find((r) => r.actorId === 'nacka')?.lastReportAt).toBe(
      situation.at,
    );
  });

  it('puts field reports in the timeline with the reports, newest first, narrowed the same way', () => {
    const all = timelineItems(state, INCIDENT, { actorId: null, since: null });
    expect(all.map((i) => [i.kind, i.id])).toEqual([
      ['fieldReport', withoutPosition.id],
      ['fieldReport', observation.id],
      ['report', situation.id],
    ]);
    expect(timelineItems(state, INCIDENT, { actorId: 'solna', since: null })).toEqual([]);
    expect(
      timelineItems(state, INCIDENT, { actorId: 'nacka', since: '2024-05-01T08:15:00.000Z' }).map(
        (i) => i.id,
      ),
    ).toEqual([withoutPosition.id, observation.id]);
  });

  it('draws each field report with a position as a point, longitude first', () => {
    expect(fieldReportPoints(state, INCIDENT)).toEqual([
      {
        key: `field-report/${observation.id}`,
        fieldReport: observation,
        geometry: { type: 'Point', coordinates: [18.16, 59.31] },
      },
    ]);
  });
});
