import type { JointMessage, MessageContent, MessageVersion, SignOff } from '@lagesbild/shared';
import { buildAttribution, freshUuid, minutesAfterNow, TEST_NOW } from '@lagesbild/shared/test-factories';

// Joint messages as the picture holds them once folded, for the wall's and the phone's
// tests. Literal objects typed by the shared schemas, so the tests do not depend on how
// `apply` gets there. Stockholm stad drafts; Nacka and Region Stockholm sign off.

const STAD = buildAttribution({
  userId: 'user-stockholm-komm',
  userName: 'Sara Stad',
  actorId: 'stockholm',
  functionId: 'communicator',
});

/** A storm message in Swedish only, valid from the test clock until 18:00 (UTC). */
export const buildMessageContent = (overrides: Partial<MessageContent> = {}): MessageContent => ({
  texts: {
    sv: {
      headline: 'Stanna inomhus i kväll',
      core: 'Kraftig storm med vindbyar upp till 30 m/s drar in över länet i kväll.',
      whatToDo: 'Undvik onödiga resor och ladda mobilen.',
    },
    en: null,
    svEasy: null,
  },
  moreInfo: { channels: [], phone11313: true, krisinformation: true },
  area: { polygon: null, municipalityCodes: ['0180', '0182'], description: 'Stockholm och Nacka' },
  validFrom: TEST_NOW,
  validUntil: minutesAfterNow(10 * 60),
  exercise: false,
  directiveId: null,
  ...overrides,
});

const approval = (actorId: string, seq: number): SignOff => ({
  actorId,
  decision: 'approved',
  comment: '',
  byDrafting: actorId === 'stockholm',
  at: TEST_NOW,
  by: buildAttribution({ actorId, userId: `user-${actorId}-komm`, functionId: 'communicator' }),
  seq,
});

const APPROVERS = ['stockholm', 'nacka', 'region-stockholm'];

/** Version 1, agreed by all three at the test clock. */
export const buildAgreedVersion = (overrides: Partial<MessageVersion> = {}): MessageVersion => {
  const seq = overrides.seq ?? 10;
  return {
    version: 1,
    content: buildMessageContent(),
    incidentTitle: 'Storm Ylva',
    incidentKind: 'weather',
    approverActorIds: APPROVERS,
    draftedBy: STAD,
    at: TEST_NOW,
    seq,
    signOffs: Object.fromEntries(APPROVERS.map((id, i) => [id, approval(id, seq + i)])),
    agreedAt: TEST_NOW,
    agreedSeq: seq + APPROVERS.length,
    ...overrides,
  };
};

/** A saved version nobody but the drafter has approved: a draft. */
export const buildDraftVersion = (overrides: Partial<MessageVersion> = {}): MessageVersion => {
  const seq = overrides.seq ?? 10;
  return {
    ...buildAgreedVersion({ seq }),
    signOffs: { stockholm: approval('stockholm', seq) },
    agreedAt: null,
    agreedSeq: null,
    ...overrides,
  };
};

/** A message with one agreed version, not published, not cancelled. */
export const buildJointMessage = (overrides: Partial<JointMessage> = {}): JointMessage => ({
  id: freshUuid(),
  incidentId: freshUuid(),
  ownerActorId: 'stockholm',
  versions: [buildAgreedVersion()],
  publications: {},
  cancelled: null,
  version: 13,
  ...overrides,
});

/** Withdrawn by Stockholm stad at `at`, logged at `seq`. */
export const buildCancellation = (at: string, seq = 40): NonNullable<JointMessage['cancelled']> => ({
  reason: 'Stormen har passerat',
  at,
  by: STAD,
  seq,
});
