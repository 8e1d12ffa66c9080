import { describe, expect, it } from 'vitest';
import { applyInPlace } from './apply.js';
import { initialState } from './model.js';
import { latestReportOf } from './report-index.js';
import { durationBetween } from './log-order.js';
import { activeIncidents, latestReports, reportsForIncident, requestedIncidents } from './selectors.js';
import {
  buildEvent,
  buildIncident,
  buildReport,
  buildState,
  minutesAfterNow,
  testUuid,
} from './testing/test-factories.js';

const INCIDENT = testUuid(1);

describe('latestReports', () => {
  it('shows the report logged last as current, even when a hub with a slow clock stamped it earlier', () => {
    // Nacka's second report went through a hub whose clock is two minutes behind.
    const first = buildReport({
      id: testUuid(10),
      incidentId: INCIDENT,
      status: 'strained',
      at: minutesAfterNow(5),
    });
    const second = buildReport({
      id: testUuid(11),
      incidentId: INCIDENT,
      status: 'severe',
      at: minutesAfterNow(3),
    });
    const police = buildReport({
      id: testUuid(12),
      incidentId: INCIDENT,
      actorId: 'polisen',
      by: { userId: 'user-police', userName: 'Petra Polis', actorId: 'polisen', functionId: 'tib' },
    });
    const state = applyInPlace(
      initialState(),
      [first, police, second].map((report, i) =>
        buildEvent({ type: 'report.submitted', payload: { report } }, { seq: i + 1, at: report.at }),
      ),
    );
    const latest = latestReports(state, INCIDENT);
    expect(latest.get('nacka')?.status).toBe('severe');
    // The same report the next submission must name as the one it supersedes.
    expect(latest.get('nacka')).toBe(latestReportOf(state.reports, INCIDENT, 'nacka'));
    expect(latest.get('polisen')?.id).toBe(police.id);
    expect([...latest.keys()].sort()).toEqual(['nacka', 'polisen']);
  });

  it('picks the one logged last of two reports stamped in the same millisecond', () => {
    const at = minutesAfterNow(1);
    const reports = [testUuid(21), testUuid(20)].map((id) => buildReport({ id, incidentId: INCIDENT, at }));
    const state = applyInPlace(
      initialState(),
      reports.map((report, i) =>
        buildEvent({ type: 'report.submitted', payload: { report } }, { seq: i + 1, at }),
      ),
    );
    expect(latestReports(state, INCIDENT).get('nacka')?.id).toBe(testUuid(20));
  });

  it('ignores reports on other incidents', () => {
    const other = buildReport({ incidentId: testUuid(2) });
    const state = applyInPlace(initialState(), [
      buildEvent({ type: 'report.submitted', payload: { report: other } }),
    ]);
    expect(latestReports(state, INCIDENT).size).toBe(0);
  });
});

describe('orderings by the log', () => {
  it('lists reports newest logged first, whatever times the hubs put in their events', () => {
    // The severe report went through a hub ten minutes fast before the log had one clock.
    const severe = buildReport({ id: testUuid(30), incidentId: INCIDENT, status: 'severe' });
    const clear = buildReport({ id: testUuid(31), incidentId: INCIDENT, status: 'normal' });
    const state = applyInPlace(initialState(), [
      buildEvent(
        { type: 'report.submitted', payload: { report: severe } },
        { seq: 4, at: minutesAfterNow(10) },
      ),
      buildEvent(
        { type: 'report.submitted', payload: { report: clear } },
        { seq: 5, at: minutesAfterNow(0) },
      ),
    ]);
    expect(reportsForIncident(state, INCIDENT).map((r) => r.status)).toEqual(['normal', 'severe']);
    // Each report shows the time its event was stamped with, and its place in the log.
    expect(state.reports[clear.id]).toMatchObject({ seq: 5, at: minutesAfterNow(0) });
  });

  it('puts items from older snapshots (no seq) before every item logged since, by time among themselves', () => {
    const old = [minutesAfterNow(9), minutesAfterNow(1)].map((at, i) =>
      buildReport({ id: testUuid(40 + i), incidentId: INCIDENT, at, seq: 0 }),
    );
    const logged = buildReport({ id: testUuid(45), incidentId: INCIDENT, at: minutesAfterNow(0), seq: 12 });
    const state = buildState({ reports: [...old, logged] });
    expect(reportsForIncident(state, INCIDENT).map((r) => r.id)).toEqual([
      testUuid(45),
      testUuid(40),
      testUuid(41),
    ]);
  });

  it('orders active incidents by their activation and requests by their request, in the log', () => {
    const state = buildState({
      incidents: [
        buildIncident({ id: testUuid(50), activatedAt: minutesAfterNow(10), activatedSeq: 8 }),
        buildIncident({ id: testUuid(51), activatedAt: minutesAfterNow(0), activatedSeq: 9 }),
        buildIncident({
          id: testUuid(52),
          status: 'requested',
          requestedAt: minutesAfterNow(5),
          requestedSeq: 3,
        }),
        buildIncident({
          id: testUuid(53),
          status: 'requested',
          requestedAt: minutesAfterNow(4),
          requestedSeq: 6,
        }),
      ],
    });
    expect(activeIncidents(state).map((i) => i.id)).toEqual([testUuid(50), testUuid(51)]);
    expect(requestedIncidents(state).map((i) => i.id)).toEqual([testUuid(52), testUuid(53)]);
  });
});

describe('durationBetween', () => {
  it('is the time between two stamps of the log', () => {
    expect(durationBetween(minutesAfterNow(0), minutesAfterNow(2))).toBe(120_000);
  });

  it('is never negative: within a second it is 0, beyond it unknown rather than a false 0', () => {
    const at = minutesAfterNow(0);
    expect(durationBetween(at, new Date(Date.parse(at) - 400).toISOString())).toBe(0);
    // −598 s: stamps from two hubs' clocks ten minutes apart, in data from before one clock.
    expect(
      durationBetween(minutesAfterNow(10), new Date(Date.parse(minutesAfterNow(0)) + 2000).toISOString()),
    ).toBeNull();
  });
});
