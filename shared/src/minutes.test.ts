import { describe, expect, it } from 'vitest';
import type { Minutes } from './conference-model.js';
import { initialState } from './model.js';
import { buildMinutes, correctedMinutes, minutesBytes } from './minutes.js';
import { minutesAfterNow, stockholmRegion, testUuid } from './testing/test-factories.js';

// buildMinutes over whole conferences is table-tested through `conference.approveMinutes`
// (decide-conference.test.ts); here the edges of the two functions themselves.

const approved: Minutes = {
  conferenceId: testUuid(1),
  incidentId: null,
  incidentTitle: '',
  title: 'Veckokonferens',
  convenerActorId: 'lansstyrelsen',
  scheduledAt: minutesAfterNow(0),
  openedAt: minutesAfterNow(1),
  closedAt: minutesAfterNow(50),
  participants: [
    { actorId: 'lansstyrelsen', presence: 'present', representedBy: null, acknowledged: true },
    { actorId: 'nacka', presence: 'absent', representedBy: null, acknowledged: true },
  ],
  rounds: [
    { actorId: 'lansstyrelsen', reported: true, note: 'Calm', reportId: null, status: null },
    { actorId: 'nacka', reported: false, note: '', reportId: null, status: null },
  ],
  assessment: null,
  decisions: [],
  nextConferenceAt: null,
};

describe('correctedMinutes', () => {
  it('changes only the corrected round notes and assessment', () => {
    const assessment = { situation: 'Calm', expectedDevelopment: '', consequences: '', uncertainties: '' };
    expect(correctedMinutes(approved, { roundNotes: { nacka: 'Sent apologies' }, assessment })).toEqual({
      ...approved,
      rounds: [
        { actorId: 'lansstyrelsen', reported: true, note: 'Calm', reportId: null, status: null },
        { actorId: 'nacka', reported: false, note: 'Sent apologies', reportId: null, status: null },
      ],
      assessment,
    });
  });

  it('keeps everything as approved when the correction changes no note or assessment', () => {
    expect(correctedMinutes(approved, {})).toEqual(approved);
  });

  it('leaves out a note for an actor without a round, and names on every object are no actors', () => {
    expect(correctedMinutes(approved, { roundNotes: { polisen: 'x' } }).rounds).toEqual(approved.rounds);
    const notes: Record<string, string> = JSON.parse('{"constructor":"x","toString":"y"}');
    expect(correctedMinutes(approved, { roundNotes: notes })).toEqual(approved);
  });
});

describe('correctedMinutes: roll call, decisions and next time', () => {
  const withDecision: Minutes = {
    ...approved,
    decisions: [
      {
        id: testUuid(5),
        kind: 'action',
        text: 'Nacka books buses',
        ownerActorId: 'nacka',
        dueAt: null,
        status: 'open',
      },
    ],
  };

  it('changes only the corrected roll-call line, decision parts and next time', () => {
    const corrected = correctedMinutes(withDecision, {
      participants: { nacka: { presence: 'present', representedBy: null } },
      decisions: { [testUuid(5)]: { status: 'done', dueAt: minutesAfterNow(60) } },
      nextConferenceAt: minutesAfterNow(120),
    });
    expect(corrected).toEqual({
      ...withDecision,
      participants: [
        { actorId: 'lansstyrelsen', presence: 'present', representedBy: null, acknowledged: true },
        { actorId: 'nacka', presence: 'present', representedBy: null, acknowledged: true },
      ],
      decisions: [{ ...withDecision.decisions[0], status: 'done', dueAt: minutesAfterNow(60) }],
      nextConferenceAt: minutesAfterNow(120),
    });
  });

  it('clears the next time when the correction says there is none', () => {
    const planned = { ...approved, nextConferenceAt: minutesAfterNow(60) };
    expect(correctedMinutes(planned, { nextConferenceAt: null }).nextConferenceAt).toBeNull();
    expect(correctedMinutes(planned, {}).nextConferenceAt).toBe(minutesAfterNow(60));
  });
});

describe('minutesBytes', () => {
  it('counts the JSON in UTF-8 bytes: å, ä and ö take two each', () => {
    const ascii = minutesBytes(approved);
    expect(minutesBytes({ ...approved, title: `${approved.title}åäö` })).toBe(ascii + 6);
  });
});

describe('buildMinutes', () => {
  it('refuses a conference the state does not hold, naming it', () => {
    expect(() => buildMinutes(initialState(), testUuid(9), stockholmRegion())).toThrow(
      `buildMinutes: no conference ${testUuid(9)}`,
    );
  });
});
