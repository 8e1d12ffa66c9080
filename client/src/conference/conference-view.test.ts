import { sinceLastConferenceSeq } from '@lagesbild/shared';
import { buildIncident, buildState, stockholmRegion } from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import { conferenceScene, SCENE } from '../test/conference-scene';
import { splitConferences } from './conference-list';
import { nextStepOf, previousStepOf, rollCallRows, roundRows } from './conference-view';
import { upcomingConference } from './next-conference';

const region = stockholmRegion();

describe('the agenda', () => {
  it('moves one step forward and back, and stops at both ends', () => {
    expect(nextStepOf('rollCall')).toBe('convenerPicture');
    expect(nextStepOf('nextConference')).toBeNull();
    expect(previousStepOf('rounds')).toBe('convenerPicture');
    expect(previousStepOf('rollCall')).toBeNull();
  });
});

describe('the roll call', () => {
  it('lists the summoned in round order (convener, then by kind and region order) with who acknowledged', () => {
    const { state, conferenceId } = conferenceScene();
    const conference = state.conferences[conferenceId];
    if (!conference) throw new Error('no conference');
    const rows = rollCallRows(conference, state.incidents[SCENE.incidentId], region);
    expect(rows.map((r) => [r.actorId, r.acknowledged])).toEqual([
      ['lansstyrelsen', true],
      ['huddinge', false],
      ['nacka', true],
      ['polisen', false],
    ]);
    expect(rows.every((r) => r.entry === null)).toBe(true);
  });

  it('has nothing to acknowledge in ordinary mode', () => {
    const { state, conferenceId } = conferenceScene();
    const conference = state.conferences[conferenceId];
    if (!conference) throw new Error('no conference');
    expect(rollCallRows({ ...conference, incidentId: null }, undefined, region)[0]?.acknowledged).toBeNull();
  });
});

describe('the rounds', () => {
  it('counts the reports logged since the last conference opened, per actor', () => {
    const { state, conferenceId } = conferenceScene('rounds');
    const conference = state.conferences[conferenceId];
    if (!conference) throw new Error('no conference');
    const since = sinceLastConferenceSeq(state, SCENE.incidentId);
    const rows = roundRows(state, conference, region, since);
    const nacka = rows.find((r) => r.actorId === 'nacka');
    expect(nacka?.newSince).toBe(2);
    expect(nacka?.report?.status).toBe('severe');
    expect(rows.find((r) => r.actorId === 'polisen')).toMatchObject({ report: null, newSince: 0 });
  });
});

describe('the conference list', () => {
  it('puts the earlier conferences newest first and keeps the scheduled ones apart', () => {
    const { state } = conferenceScene();
    const list = Object.values(state.conferences);
    const { past, upcoming } = splitConferences(list, undefined);
    expect(past.map((c) => c.id)).toEqual([SCENE.conferenceId, SCENE.firstConferenceId]);
    expect(upcoming).toEqual([]);
  });
});

describe('the next conference on the overview', () => {
  const now = Date.parse('2024-05-01T08:00:00.000Z');

  it('takes the earliest of the ordinary-mode and the incidents’ scheduled conferences', () => {
    const { state } = conferenceScene();
    // The scene's conferences have run and none is scheduled: the incident's time of the
    // running one is not "next".
    expect(upcomingConference(state, now)).toBeNull();
    const withTime = buildState({
      incidents: [buildIncident({ title: 'Snöoväder', nextConferenceAt: '2024-05-01T10:00:00.000Z' })],
    });
    expect(upcomingConference(withTime, now)).toMatchObject({
      at: '2024-05-01T10:00:00.000Z',
      conference: null,
    });
  });

  it('leaves out a conference forgotten for hours', () => {
    const old = buildState({
      incidents: [buildIncident({ nextConferenceAt: '2024-05-01T01:00:00.000Z' })],
    });
    expect(upcomingConference(old, now)).toBeNull();
  });
});
