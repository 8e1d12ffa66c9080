import type { Conference, Minutes, MinutesVersion } from '@lagesbild/shared';
import { buildAttribution, testUuid, TEST_NOW } from '@lagesbild/shared/test-factories';

// Test data for the minutes: a closed conference of Storm Ylva chaired by Länsstyrelsen,
// where Nacka was present, Polisen represented and Botkyrka never called.

export const CONFERENCE_ID = testUuid(7001);
export const INCIDENT_ID = testUuid(7002);
export const DECISION_ID = testUuid(7003);

export const lansstyrelsenChair = buildAttribution();

/** Minutes as `buildMinutes` makes them, with one decision owned by Nacka. */
export const buildTestMinutes = (overrides: Partial<Minutes> = {}): Minutes => ({
  conferenceId: CONFERENCE_ID,
  incidentId: INCIDENT_ID,
  incidentTitle: 'Storm Ylva',
  title: 'Samverkanskonferens',
  convenerActorId: 'lansstyrelsen',
  scheduledAt: '2024-05-01T08:00:00.000Z',
  openedAt: '2024-05-01T08:02:00.000Z',
  closedAt: '2024-05-01T08:40:00.000Z',
  participants: [
    { actorId: 'lansstyrelsen', presence: 'present', representedBy: null, acknowledged: true },
    { actorId: 'nacka', presence: 'present', representedBy: null, acknowledged: true },
    { actorId: 'botkyrka', presence: null, representedBy: null, acknowledged: false },
    {
      actorId: 'polisen',
      presence: 'represented',
      representedBy: { actorId: 'lansstyrelsen', functionId: 'coordinator' },
      acknowledged: true,
    },
  ],
  rounds: [
    { actorId: 'lansstyrelsen', reported: true, note: 'Samlar läget.', reportId: null, status: 'normal' },
    { actorId: 'nacka', reported: true, note: 'Träd över Värmdöleden.', reportId: null, status: 'strained' },
    { actorId: 'botkyrka', reported: false, note: '', reportId: null, status: null },
    { actorId: 'polisen', reported: false, note: '', reportId: null, status: null },
  ],
  assessment: {
    situation: 'Stormen drar in över länet.',
    expectedDevelopment: 'Avtar under natten.',
    consequences: 'Elavbrott i skärgården.',
    uncertainties: 'Vindstyrkan i ytterskärgården.',
  },
  decisions: [
    {
      id: DECISION_ID,
      kind: 'action',
      text: 'Röj Värmdöleden | körfält 1',
      ownerActorId: 'nacka',
      dueAt: '2024-05-01T12:00:00.000Z',
      status: 'open',
    },
  ],
  nextConferenceAt: '2024-05-01T12:00:00.000Z',
  ...overrides,
});

export const buildMinutesVersion = (overrides: Partial<MinutesVersion> = {}): MinutesVersion => ({
  version: 1,
  minutes: buildTestMinutes(),
  correction: '',
  at: '2024-05-01T08:45:00.000Z',
  by: lansstyrelsenChair,
  seq: 40,
  ...overrides,
});

/** The closed conference the minutes are of; approved when `minutes` are given. */
export const buildClosedConference = (overrides: Partial<Conference> = {}): Conference => ({
  id: CONFERENCE_ID,
  incidentId: INCIDENT_ID,
  title: 'Samverkanskonferens',
  scheduledAt: '2024-05-01T08:00:00.000Z',
  convenerActorId: 'lansstyrelsen',
  summonedActorIds: ['lansstyrelsen', 'nacka', 'botkyrka', 'polisen'],
  recurrence: null,
  previousConferenceId: null,
  status: 'closed',
  step: 'nextConference',
  scheduledBy: lansstyrelsenChair,
  scheduledSeq: 10,
  openedAt: '2024-05-01T08:02:00.000Z',
  openedBy: lansstyrelsenChair,
  openedSeq: 11,
  closedAt: '2024-05-01T08:40:00.000Z',
  closedBy: lansstyrelsenChair,
  closedSeq: 30,
  rollCall: {
    lansstyrelsen: {
      presence: 'present',
      representedBy: null,
      at: TEST_NOW,
      by: lansstyrelsenChair,
      seq: 12,
    },
    nacka: { presence: 'present', representedBy: null, at: TEST_NOW, by: lansstyrelsenChair, seq: 13 },
  },
  rounds: {
    nacka: { reported: true, note: 'Träd över Värmdöleden.', at: TEST_NOW, by: lansstyrelsenChair, seq: 14 },
  },
  assessments: [],
  nextConferenceAt: null,
  minutes: [],
  version: 30,
  ...overrides,
});
