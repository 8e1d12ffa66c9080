import {
  buildAttribution,
  buildCheckin,
  buildIncident,
  buildLogEntry,
  buildMapFeature,
  buildReport,
  buildState,
  minutesAfterNow,
  stockholmRegion,
  testUuid,
  TEST_NOW,
} from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import {
  ackMatrix,
  incidentMapContent,
  newest,
  pendingRequests,
  recentLogEntries,
  tickerReports,
} from './wall-view';
import { upcomingConference } from '../conference/next-conference';
import { buildConference, byId } from './conference-test-data';

const region = stockholmRegion();
const STORM = testUuid(1);
const CLOSED = testUuid(2);
const nacka = buildAttribution({ userId: 'u-nacka', userName: 'Nils', actorId: 'nacka' });

describe('ackMatrix', () => {
  it('lists the summoned actors, lead first, with who has acknowledged', () => {
    const incident = buildIncident({
      summonedActorIds: ['solna', 'nacka', 'lansstyrelsen'],
      acknowledgements: { nacka: { at: minutesAfterNow(3), by: nacka, seq: 2 } },
    });
    expect(ackMatrix(incident, region)).toEqual([
      { actorId: 'lansstyrelsen', name: 'Länsstyrelsen', acknowledgedAt: null },
      { actorId: 'nacka', name: 'Nacka', acknowledgedAt: minutesAfterNow(3) },
      { actorId: 'solna', name: 'Solna', acknowledgedAt: null },
    ]);
  });

  it('summons every actor of the region when the summons is empty', () => {
    expect(ackMatrix(buildIncident({ summonedActorIds: [] }), region)).toHaveLength(region.actors.length);
  });
});

describe('newest', () => {
  it('keeps the last logged items, newest first, whatever the input order or the times in them', () => {
    // Stamped by clocks that disagreed: the later an item was logged, the earlier its time.
    const at = (m: number) => ({ seq: m, at: minutesAfterNow(-m), id: String(m), m });
    const items = [at(5), at(1), at(9), at(3), at(7), at(2)];
    expect(newest(items, 3).map((i) => i.m)).toEqual([9, 7, 5]);
    expect(newest(items, 10).map((i) => i.m)).toEqual([9, 7, 5, 3, 2, 1]);
    expect(newest([], 3)).toEqual([]);
  });
});

describe('tickerReports', () => {
  it('shows the newest reports of incidents in activated mode only', () => {
    const state = buildState({
      incidents: [buildIncident({ id: STORM }), buildIncident({ id: CLOSED, status: 'closed' })],
      reports: [
        buildReport({ incidentId: STORM, at: minutesAfterNow(1), happened: 'old' }),
        buildReport({ incidentId: STORM, at: minutesAfterNow(4), happened: 'newest' }),
        buildReport({ incidentId: CLOSED, at: minutesAfterNow(9), happened: 'closed incident' }),
        buildReport({ incidentId: STORM, at: minutesAfterNow(2), happened: 'middle' }),
      ],
    });
    expect(tickerReports(state, 2).map((r) => r.happened)).toEqual(['newest', 'middle']);
  });
});

describe('incidentMapContent', () => {
  it("draws each actor's latest features and the positions of those checked in", () => {
    const superseded = buildMapFeature({ label: 'closed road, reopened since' });
    const current = buildMapFeature({ label: 'evacuation centre' });
    const state = buildState({
      incidents: [buildIncident({ id: STORM })],
      reports: [
        buildReport({ incidentId: STORM, at: minutesAfterNow(1), features: [superseded] }),
        buildReport({ incidentId: STORM, at: minutesAfterNow(2), features: [current] }),
      ],
      checkins: [
        buildCheckin({ incidentId: STORM, position: { lat: 59.3, lng: 18.1 } }),
        buildCheckin({ incidentId: STORM, position: null }),
        buildCheckin({ incidentId: STORM, position: { lat: 59.4, lng: 18.2 }, checkedOutAt: TEST_NOW }),
      ],
    });
    const content = incidentMapContent(state, STORM);
    expect(content.features.map((f) => f.feature.label)).toEqual(['evacuation centre']);
    expect(content.checkins.map((c) => c.position)).toEqual([{ lat: 59.3, lng: 18.1 }]);
  });
});

describe("the wall's next conference (the dashboard's upcomingConference)", () => {
  it("counts ordinary mode's scheduled conferences, such as the weekly one, but not one already opened", () => {
    const now = Date.parse(minutesAfterNow(10));
    const weekly = buildConference({
      title: 'Veckokonferens',
      status: 'scheduled',
      scheduledAt: minutesAfterNow(20),
    });
    const running = buildConference({ title: 'Pågår', status: 'open', scheduledAt: minutesAfterNow(15) });
    const state = {
      ...buildState({
        incidents: [buildIncident({ title: 'later', nextConferenceAt: minutesAfterNow(120) })],
      }),
      conferences: byId([weekly, running]),
    };
    expect(upcomingConference(state, now)).toMatchObject({
      at: minutesAfterNow(20),
      conference: { title: 'Veckokonferens' },
    });
    expect(upcomingConference({ ...state, conferences: {} }, now)).toMatchObject({
      at: minutesAfterNow(120),
      incident: { title: 'later' },
    });
  });
});

describe('recentLogEntries', () => {
  it('keeps only the newest entries', () => {
    const state = buildState({
      logEntries: [1, 2, 3, 4].map((m) => buildLogEntry({ at: minutesAfterNow(m), text: `entry ${m}` })),
    });
    expect(recentLogEntries(state, 2).map((e) => e.text)).toEqual(['entry 4', 'entry 3']);
  });
});

describe('pendingRequests', () => {
  it('lists requests waiting for a decision, newest first', () => {
    const state = buildState({
      incidents: [
        buildIncident({ title: 'first', status: 'requested', requestedAt: minutesAfterNow(1) }),
        buildIncident({ title: 'active' }),
        buildIncident({ title: 'second', status: 'requested', requestedAt: minutesAfterNow(2) }),
      ],
    });
    expect(pendingRequests(state).map((i) => i.title)).toEqual(['second', 'first']);
  });
});
