import {
  buildAttribution,
  buildIncident,
  buildState,
  minutesAfterNow,
  stockholmRegion,
  testUuid,
} from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import { buildActionItem, buildConference, buildRollCall, byId } from './conference-test-data';
import {
  rollCallCells,
  rollCallCounts,
  wallDecisions,
  wallRotationIds,
  wallRotationKey,
} from './wall-conference';

const region = stockholmRegion();
const acked = { at: minutesAfterNow(1), by: buildAttribution({ actorId: 'nacka' }), seq: 2 };

describe('rollCallCells', () => {
  it('lists the summoned in round order, telling acknowledged-but-absent from never acknowledged', () => {
    const incident = buildIncident({ acknowledgements: { nacka: acked } });
    const conference = buildConference({
      incidentId: incident.id,
      summonedActorIds: ['polisen', 'nacka', 'solna', 'lansstyrelsen', 'sos-alarm'],
      rollCall: {
        lansstyrelsen: buildRollCall({ presence: 'present' }),
        nacka: buildRollCall({ presence: 'absent' }),
        solna: buildRollCall({ presence: 'absent' }),
        polisen: buildRollCall({
          presence: 'represented',
          representedBy: { actorId: 'lansstyrelsen', functionId: 'dutyOfficer' },
        }),
      },
    });
    const cells = rollCallCells(conference, incident, region);
    // The convener first, then the municipalities before the other authorities.
    expect(cells.map((c) => [c.actorId, c.state])).toEqual([
      ['lansstyrelsen', 'present'],
      ['nacka', 'absentAcknowledged'],
      ['solna', 'absentUnacknowledged'],
      ['polisen', 'represented'],
      ['sos-alarm', 'notCalled'],
    ]);
    expect(cells.find((c) => c.actorId === 'polisen')?.representedBy).toBe('Länsstyrelsen');
    expect(cells.find((c) => c.actorId === 'sos-alarm')?.acknowledged).toBe(false);
    expect(rollCallCounts(cells)).toEqual({
      present: 1,
      represented: 1,
      absentAcknowledged: 1,
      absentUnacknowledged: 1,
      notCalled: 1,
    });
  });

  it('counts everybody as reached in an ordinary-mode conference, where nobody was activated', () => {
    const conference = buildConference({
      summonedActorIds: ['lansstyrelsen', 'nacka'],
      rollCall: { nacka: buildRollCall({ presence: 'absent' }) },
    });
    expect(rollCallCells(conference, null, region).map((c) => c.state)).toEqual([
      'notCalled',
      'absentAcknowledged',
    ]);
  });
});

describe('wallRotationIds', () => {
  const storm = buildIncident({ id: testUuid(11), activatedAt: minutesAfterNow(-20) });
  const flood = buildIncident({ id: testUuid(12), activatedAt: minutesAfterNow(-10) });
  const state = buildState({ incidents: [flood, storm, buildIncident({ status: 'requested' })] });

  it('rotates over the incidents in activated mode, oldest activation first', () => {
    expect(wallRotationIds(state)).toEqual([storm.id, flood.id]);
    expect(wallRotationKey(buildState())).toBe('');
  });

  it('keeps to the incidents whose conference is running, so no turn takes the step away', () => {
    const running = buildConference({ incidentId: flood.id });
    const done = buildConference({ incidentId: storm.id, status: 'closed' });
    expect(wallRotationIds({ ...state, conferences: byId([running, done]) })).toEqual([flood.id]);
    expect(wallRotationKey({ ...state, conferences: byId([running, done]) })).toBe(flood.id);
  });
});

describe('wallDecisions', () => {
  it("lists an incident's open items, the earliest due first and undated last, and counts the rest", () => {
    const incidentId = testUuid(20);
    const items = [
      buildActionItem({ incidentId, text: 'no due', seq: 5 }),
      buildActionItem({ incidentId, text: 'late', dueAt: minutesAfterNow(90), seq: 6 }),
      buildActionItem({ incidentId, text: 'soon', dueAt: minutesAfterNow(30), seq: 7 }),
      buildActionItem({ incidentId, text: 'done', status: 'done', seq: 8 }),
      buildActionItem({ incidentId: null, text: 'ordinary mode', seq: 9 }),
      buildActionItem({ incidentId, text: 'also no due', seq: 10 }),
    ];
    const { shown, more } = wallDecisions({ actionItems: byId(items) }, incidentId, 3);
    expect(shown.map((i) => i.text)).toEqual(['soon', 'late', 'no due']);
    expect(more).toBe(1);
    expect(wallDecisions({ actionItems: byId(items) }, null).shown.map((i) => i.text)).toEqual([
      'ordinary mode',
    ]);
  });
});
