import { describe, expect, it } from 'vitest';
import { applyInPlace } from './apply.js';
import { initialState } from './model.js';
import { latestReportOf } from './report-index.js';
import { latestReports } from './selectors.js';
import { buildEvent, buildReport, minutesAfterNow, testUuid } from './test-factories.js';

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
