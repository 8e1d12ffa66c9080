import type { ActionItem, Assessment, Conference, RollCallEntry } from '@lagesbild/shared';
import { buildAttribution, freshUuid, TEST_NOW } from '@lagesbild/shared/test-factories';

// Conferences and action items as the picture holds them once folded, for the wall's and
// the phone's tests. Literal objects typed by the shared schemas, so the tests do not
// depend on how `apply` gets there.

/** An incident conference convened by Länsstyrelsen, opened and on the roll call. */
export const buildConference = (overrides: Partial<Conference> = {}): Conference => ({
  id: freshUuid(),
  incidentId: null,
  title: 'Samverkanskonferens',
  scheduledAt: TEST_NOW,
  convenerActorId: 'lansstyrelsen',
  summonedActorIds: ['lansstyrelsen', 'nacka', 'polisen'],
  recurrence: null,
  previousConferenceId: null,
  status: 'open',
  step: 'rollCall',
  scheduledBy: buildAttribution(),
  scheduledSeq: 1,
  openedAt: TEST_NOW,
  openedBy: buildAttribution(),
  openedSeq: 2,
  closedAt: null,
  closedBy: null,
  closedSeq: null,
  rollCall: {},
  rounds: {},
  assessments: [],
  nextConferenceAt: null,
  minutes: [],
  version: 2,
  ...overrides,
});

/** A roll-call line taken by the chair. */
export const buildRollCall = (overrides: Partial<RollCallEntry> = {}): RollCallEntry => ({
  presence: 'present',
  representedBy: null,
  at: TEST_NOW,
  by: buildAttribution(),
  seq: 3,
  ...overrides,
});

/** A common assessment written by the chair. */
export const buildAssessment = (overrides: Partial<Assessment> = {}): Assessment => ({
  situation: 'Stormen har passerat länet.',
  expectedDevelopment: 'Elavbrotten minskar under natten.',
  consequences: 'Äldreboenden utan ström i Nacka.',
  uncertainties: 'Hur länge reservkraften räcker.',
  version: 1,
  at: TEST_NOW,
  by: buildAttribution(),
  seq: 4,
  ...overrides,
});

/** An open action item owned by Nacka. */
export const buildActionItem = (overrides: Partial<ActionItem> = {}): ActionItem => ({
  id: freshUuid(),
  conferenceId: freshUuid(),
  incidentId: null,
  kind: 'action',
  text: 'Inventera reservkraft på äldreboenden',
  ownerActorId: 'nacka',
  dueAt: null,
  at: TEST_NOW,
  by: buildAttribution(),
  status: 'open',
  statusAt: null,
  statusBy: null,
  seq: 5,
  ...overrides,
});

/** A record keyed by id, as the picture keeps its collections. */
export const byId = <T extends { id: string }>(items: T[]): Record<string, T> =>
  Object.fromEntries(items.map((item) => [item.id, item]));
