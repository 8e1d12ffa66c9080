import {
  DIRECTIVE_FIELDS,
  type Directive,
  type DirectiveVersion,
  type ItemFollowUp,
} from '@lagesbild/shared';
import {
  buildAttribution,
  buildDirectingAttribution,
  buildDirectiveContent,
  freshUuid,
  TEST_NOW,
  testUuid,
} from '@lagesbild/shared/test-factories';

// Directives as the picture holds them once folded, for the wall's and the phone's tests.
// Literal objects typed by the shared schemas, so the tests do not depend on how `apply`
// gets there. The default content has an item for Nacka and one for Region Stockholm.

/** Version 1 of the default content, decided by Länsstyrelsen's directing level at the test clock. */
export const buildDirectiveVersion = (overrides: Partial<DirectiveVersion> = {}): DirectiveVersion => ({
  version: 1,
  content: buildDirectiveContent(),
  templateId: null,
  changedFields: [...DIRECTIVE_FIELDS],
  draftedBy: buildAttribution(),
  deciders: [buildDirectingAttribution()],
  decidedAt: TEST_NOW,
  seq: 10,
  ...overrides,
});

/** A directive with one decided version and no follow-up yet. */
export const buildDirective = (overrides: Partial<Directive> = {}): Directive => ({
  id: freshUuid(),
  incidentId: freshUuid(),
  draft: null,
  versions: [buildDirectiveVersion()],
  followUps: {},
  version: 10,
  ...overrides,
});

/** Nacka's duty officer confirmed the item of version 1; nothing reported yet. */
export const buildFollowUp = (overrides: Partial<ItemFollowUp> = {}): ItemFollowUp => ({
  itemId: testUuid(0xd1),
  version: 1,
  confirmedAt: TEST_NOW,
  confirmedBy: buildAttribution({ userId: 'user-nacka-tib', userName: 'Nils Nord', actorId: 'nacka' }),
  outcome: null,
  outcomeText: '',
  reportedAt: null,
  reportedBy: null,
  seq: 11,
  ...overrides,
});
