import {
  buildAttribution,
  buildCheckin,
  buildState,
  minutesAfterNow,
  testUuid,
} from '@lagesbild/shared/test-factories';
import { checkinSummary } from '@lagesbild/shared';
import { describe, expect, it } from 'vitest';
import { onDutyInMySlot, openCheckinOf, rosterFor } from './roster';

const STORM = testUuid(1);
const anna = buildAttribution({
  userId: 'anna',
  userName: 'Anna',
  actorId: 'nacka',
  functionId: 'dutyOfficer',
});
const bo = buildAttribution({ userId: 'bo', userName: 'Bo', actorId: 'nacka', functionId: 'dutyOfficer' });
const cilla = buildAttribution({
  userId: 'cilla',
  userName: 'Cilla',
  actorId: 'botkyrka',
  functionId: 'field',
});

describe('rosterFor', () => {
  it('lists who is on duty on the incident, by actor and function', () => {
    const state = buildState({
      checkins: [
        buildCheckin({ incidentId: STORM, by: anna, at: minutesAfterNow(1), status: 'onSite' }),
        buildCheckin({ incidentId: STORM, by: cilla, at: minutesAfterNow(2), status: 'onTheWay' }),
        buildCheckin({ incidentId: null, by: bo, at: minutesAfterNow(3) }),
      ],
    });
    expect(rosterFor(state, STORM).onDuty.map((c) => c.by.userName)).toEqual(['Cilla', 'Anna']);
    expect(rosterFor(state, null).onDuty.map((c) => c.by.userName)).toEqual(['Bo']);
  });

  it('counts, per actor and function, the people whose check-ins the viewer sees only as summaries', () => {
    const state = buildState({
      checkins: [
        buildCheckin({ incidentId: STORM, by: anna, status: 'onSite' }),
        checkinSummary(buildCheckin({ incidentId: STORM, by: cilla, status: 'onSite' })),
        checkinSummary(buildCheckin({ incidentId: STORM, by: { ...cilla, userId: 'c2' } })),
        checkinSummary(
          buildCheckin({ incidentId: STORM, by: { ...cilla, userId: 'c3', functionId: 'dutyOfficer' } }),
        ),
        checkinSummary(buildCheckin({ incidentId: STORM, by: cilla, checkedOutAt: minutesAfterNow(5) })),
      ],
    });
    const roster = rosterFor(state, STORM);
    expect(roster.onDuty.map((c) => c.by.userName)).toEqual(['Anna']);
    expect(roster.summaries).toEqual([
      {
        actorId: 'botkyrka',
        count: 3,
        functions: [
          { functionId: 'dutyOfficer', count: 1 },
          { functionId: 'field', count: 2 },
        ],
      },
    ]);
  });

  it('leaves out those checked out and those off duty', () => {
    const state = buildState({
      checkins: [
        buildCheckin({ incidentId: STORM, by: anna, checkedOutAt: minutesAfterNow(9) }),
        buildCheckin({ incidentId: STORM, by: cilla, status: 'offDuty' }),
      ],
    });
    expect(rosterFor(state, STORM).onDuty).toEqual([]);
  });

  it('shows a shift change with the hand-over note when another person takes the function over', () => {
    const state = buildState({
      checkins: [
        buildCheckin({
          incidentId: STORM,
          by: anna,
          at: minutesAfterNow(0),
          checkedOutAt: minutesAfterNow(65),
        }),
        buildCheckin({
          incidentId: STORM,
          by: bo,
          at: minutesAfterNow(60),
          note: 'Evacuation centre in Nacka sporthall open until 22',
        }),
      ],
    });
    const roster = rosterFor(state, STORM);
    expect(roster.shiftChanges).toEqual([
      {
        actorId: 'nacka',
        functionId: 'dutyOfficer',
        from: anna,
        to: bo,
        at: minutesAfterNow(60),
        note: 'Evacuation centre in Nacka sporthall open until 22',
      },
    ]);
    expect(roster.onDuty.map((c) => c.by.userName)).toEqual(['Bo']);
  });

  it('sees no shift change while both are still on duty, nor when one person checks in again', () => {
    const state = buildState({
      checkins: [
        buildCheckin({ incidentId: STORM, by: anna, at: minutesAfterNow(0) }),
        buildCheckin({ incidentId: STORM, by: bo, at: minutesAfterNow(5) }),
        buildCheckin({
          incidentId: STORM,
          by: cilla,
          at: minutesAfterNow(1),
          checkedOutAt: minutesAfterNow(6),
        }),
        buildCheckin({ incidentId: STORM, by: cilla, at: minutesAfterNow(6) }),
      ],
    });
    expect(rosterFor(state, STORM).shiftChanges).toEqual([]);
  });
});

describe('openCheckinOf and onDutyInMySlot', () => {
  it("finds the person's own open check-in and whom they take over from", () => {
    const mine = buildCheckin({ incidentId: STORM, by: bo, at: minutesAfterNow(3) });
    const state = buildState({
      checkins: [
        buildCheckin({ incidentId: STORM, by: bo, at: minutesAfterNow(1), checkedOutAt: minutesAfterNow(3) }),
        mine,
        buildCheckin({ incidentId: STORM, by: anna, at: minutesAfterNow(0) }),
        buildCheckin({ incidentId: STORM, by: cilla, at: minutesAfterNow(0) }),
      ],
    });
    expect(openCheckinOf(state, 'bo')).toBe(mine);
    expect(openCheckinOf(state, 'nobody')).toBeNull();
    expect(onDutyInMySlot(state, STORM, bo).map((c) => c.by.userName)).toEqual(['Anna']);
  });
});
