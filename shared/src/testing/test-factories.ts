/**
 * Builders of valid domain data for tests in every workspace. Each returns a value that
 * passes the shared schemas; pass overrides for what a test is about. No test-runner
 * imports here, so browser, hub and system tests can all use it.
 */
import stockholmJson from '../../regions/stockholm.json';
import type { Command, CommandPayload, CommandType } from '../commands.js';
import { decide } from '../decide.js';
import { apply } from '../apply.js';
import type { EventDraft, StoredEvent } from '../events.js';
import type { ReadinessDecision } from '../directive-commands.js';
import type { DirectiveContent, DirectiveTemplate } from '../directive-model.js';
import type { AreaGeometry, MapFeature } from '../geo.js';
import type { MessageContent, MessageText } from '../message-model.js';
import {
  initialState,
  type Attribution,
  type Checkin,
  type FieldReport,
  type Incident,
  type LogEntry,
  type Report,
  type State,
} from '../model.js';
import { parseRegionConfig, type RegionConfig } from '../region.js';

/** The fixed clock of tests (UTC). */
export const TEST_NOW = '2024-05-01T08:00:00.000Z';

/** A fixed, valid v4 UUID for a small number, so tests read `testUuid(1)` instead of noise. */
export const testUuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

// Fresh ids start far above the numbers tests pick by hand, so they never collide.
let freshCounter = 0x10_0000;
/** A new, never-before-returned test UUID. */
export const freshUuid = (): string => testUuid(freshCounter++);

/** The test clock `minutes` after TEST_NOW. */
export const minutesAfterNow = (minutes: number): string =>
  new Date(Date.parse(TEST_NOW) + minutes * 60_000).toISOString();

let region: RegionConfig | undefined;
/** The real default region (Samverkan Stockholmsregionen), parsed once. */
export function stockholmRegion(): RegionConfig {
  region ??= parseRegionConfig(stockholmJson);
  return region;
}

/** The lead actor's duty officer unless told otherwise. */
export const buildAttribution = (overrides: Partial<Attribution> = {}): Attribution => ({
  userId: 'user-lansstyrelsen-tib',
  userName: 'Lena Lindqvist',
  actorId: 'lansstyrelsen',
  functionId: 'dutyOfficer',
  ...overrides,
});

/** A closed square ring around central Stockholm. */
export const buildArea = (): AreaGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [18.0, 59.3],
      [18.1, 59.3],
      [18.1, 59.35],
      [18.0, 59.35],
      [18.0, 59.3],
    ],
  ],
});

/** A point feature on the map (an evacuation centre in Nacka). */
export const buildMapFeature = (overrides: Partial<MapFeature> = {}): MapFeature => ({
  id: freshUuid(),
  kind: 'evacuationCentre',
  label: 'Nacka sporthall',
  geometry: { type: 'Point', coordinates: [18.164, 59.311] },
  ...overrides,
});

type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;
type Overrides<T extends CommandType> = Partial<CommandPayload<T>> & { commandId?: string };

const split = <T extends CommandType>(overrides: Overrides<T>) => {
  const { commandId = freshUuid(), ...payload } = overrides;
  return { id: commandId, payload };
};

/** `incident.request`: the green button. */
export function buildRequestCommand(
  overrides: Overrides<'incident.request'> = {},
): CommandOf<'incident.request'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'incident.request',
    payload: {
      incidentId: freshUuid(),
      title: 'Storm Ylva',
      reason: 'Power cuts expected in the archipelago',
      ...payload,
    },
  };
}

/** `incident.activate`: summons every actor unless told otherwise. */
export function buildActivateCommand(
  overrides: Overrides<'incident.activate'> = {},
): CommandOf<'incident.activate'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'incident.activate',
    payload: {
      incidentId: freshUuid(),
      title: 'Storm Ylva',
      kind: 'weather',
      description: 'Gale force winds, falling trees',
      area: buildArea(),
      summonedActorIds: [],
      nextConferenceAt: minutesAfterNow(60),
      ...payload,
    },
  };
}

/** `incident.update`: changes the description unless told otherwise. */
export function buildUpdateCommand(
  overrides: Overrides<'incident.update'> = {},
): CommandOf<'incident.update'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'incident.update',
    payload: { incidentId: freshUuid(), description: 'Winds easing after midnight', ...payload },
  };
}

/** `incident.close`. */
export function buildCloseCommand(overrides: Overrides<'incident.close'> = {}): CommandOf<'incident.close'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'incident.close',
    payload: { incidentId: freshUuid(), summary: 'Power restored everywhere', ...payload },
  };
}

/** The government decision that raises heightened readiness in the whole country (test default). */
export const buildReadinessDecision = (overrides: Partial<ReadinessDecision> = {}): ReadinessDecision => ({
  level: 'heightened',
  scope: 'country',
  parts: '',
  decisionRef: 'Fö2026/01234',
  decisionDate: '2024-04-30T00:00:00.000Z',
  ...overrides,
});

/**
 * `readiness.set`: raises heightened readiness on the government decision of
 * `buildReadinessDecision` unless told otherwise; lifting (`heightened: false`) sends no
 * decision unless given one.
 */
export function buildReadinessCommand(
  overrides: Overrides<'readiness.set'> = {},
): CommandOf<'readiness.set'> {
  const { id, payload } = split(overrides);
  const heightened = payload.heightened ?? true;
  return {
    id,
    type: 'readiness.set',
    payload: {
      heightened,
      note: 'Government decision',
      ...(heightened ? { decision: buildReadinessDecision() } : {}),
      ...payload,
    },
  };
}

/** `activation.acknowledge`. */
export function buildAcknowledgeCommand(
  overrides: Overrides<'activation.acknowledge'> = {},
): CommandOf<'activation.acknowledge'> {
  const { id, payload } = split(overrides);
  return { id, type: 'activation.acknowledge', payload: { incidentId: freshUuid(), ...payload } };
}

/** `report.submit`: a region-wide report without map features unless told otherwise. */
export function buildReportCommand(overrides: Overrides<'report.submit'> = {}): CommandOf<'report.submit'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'report.submit',
    payload: {
      reportId: freshUuid(),
      incidentId: freshUuid(),
      happened: 'Trees down on Värmdöleden',
      consequences: 'Home care visits delayed',
      measures: 'Extra staff called in',
      needs: 'Generators for two care homes',
      assessment: 'Worsening overnight',
      status: 'strained',
      sharing: { scope: 'region' },
      features: [],
      ...payload,
    },
  };
}

/** `fieldReport.submit`: a region-wide observation with a point on the map unless told otherwise. */
export function buildFieldReportCommand(
  overrides: Overrides<'fieldReport.submit'> = {},
): CommandOf<'fieldReport.submit'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'fieldReport.submit',
    payload: {
      fieldReportId: freshUuid(),
      incidentId: freshUuid(),
      eventType: 'Tree across the road',
      locationText: 'Värmdöleden at Insjön',
      position: { lat: 59.31, lng: 18.3 },
      hazards: 'Power line down',
      access: 'From the east only',
      casualties: 'None',
      servicesPresent: 'Rescue service',
      servicesNeeded: 'Grid operator',
      sharing: { scope: 'region' },
      ...payload,
    },
  };
}

/** `checkin.create`: available, on no incident, without a position unless told otherwise. */
export function buildCheckinCommand(
  overrides: Overrides<'checkin.create'> = {},
): CommandOf<'checkin.create'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'checkin.create',
    payload: {
      checkinId: freshUuid(),
      incidentId: null,
      status: 'available',
      position: null,
      note: '',
      sharing: { scope: 'own' },
      ...payload,
    },
  };
}

/** `checkin.checkout`. */
export function buildCheckoutCommand(
  overrides: Overrides<'checkin.checkout'> = {},
): CommandOf<'checkin.checkout'> {
  const { id, payload } = split(overrides);
  return { id, type: 'checkin.checkout', payload: { checkinId: freshUuid(), ...payload } };
}

/** `logEntry.add`: a region-wide line on no incident unless told otherwise. */
export function buildLogEntryCommand(overrides: Overrides<'logEntry.add'> = {}): CommandOf<'logEntry.add'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'logEntry.add',
    payload: {
      entryId: freshUuid(),
      incidentId: null,
      text: 'Decided: joint message at 10:00',
      sharing: { scope: 'region' },
      ...payload,
    },
  };
}

/** `conference.schedule`: an incident conference in an hour, convened by the lead, its summons by default. */
export function buildConferenceScheduleCommand(
  overrides: Overrides<'conference.schedule'> = {},
): CommandOf<'conference.schedule'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'conference.schedule',
    payload: {
      conferenceId: freshUuid(),
      incidentId: freshUuid(),
      title: 'Samverkanskonferens',
      scheduledAt: minutesAfterNow(60),
      summonedActorIds: [],
      dialIn: '',
      recurrence: null,
      ...payload,
    },
  };
}

/** `conference.reschedule`: half an hour later than the default schedule unless told otherwise. */
export function buildConferenceRescheduleCommand(
  overrides: Overrides<'conference.reschedule'> = {},
): CommandOf<'conference.reschedule'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'conference.reschedule',
    payload: { conferenceId: freshUuid(), scheduledAt: minutesAfterNow(90), ...payload },
  };
}

/** `conference.open`. */
export function buildConferenceOpenCommand(
  overrides: Overrides<'conference.open'> = {},
): CommandOf<'conference.open'> {
  const { id, payload } = split(overrides);
  return { id, type: 'conference.open', payload: { conferenceId: freshUuid(), ...payload } };
}

/** `conference.step`: from the roll call to the convening actor's picture unless told otherwise. */
export function buildConferenceStepCommand(
  overrides: Overrides<'conference.step'> = {},
): CommandOf<'conference.step'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'conference.step',
    payload: { conferenceId: freshUuid(), fromStep: 'rollCall', toStep: 'convenerPicture', ...payload },
  };
}

/** `conference.rollCall`: Nacka present unless told otherwise. */
export function buildConferenceRollCallCommand(
  overrides: Overrides<'conference.rollCall'> = {},
): CommandOf<'conference.rollCall'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'conference.rollCall',
    payload: {
      conferenceId: freshUuid(),
      actorId: 'nacka',
      presence: 'present',
      representedBy: null,
      ...payload,
    },
  };
}

/** `conference.round`: Nacka's round marked reported, with a note, unless told otherwise. */
export function buildConferenceRoundCommand(
  overrides: Overrides<'conference.round'> = {},
): CommandOf<'conference.round'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'conference.round',
    payload: {
      conferenceId: freshUuid(),
      actorId: 'nacka',
      reported: true,
      note: 'Two care homes on generators',
      ...payload,
    },
  };
}

/** `conference.assess`: all four parts written, without a base version unless told otherwise. */
export function buildConferenceAssessCommand(
  overrides: Overrides<'conference.assess'> = {},
): CommandOf<'conference.assess'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'conference.assess',
    payload: {
      conferenceId: freshUuid(),
      situation: 'Gale force winds over the archipelago',
      expectedDevelopment: 'Easing after midnight',
      consequences: 'Power cuts, home care delayed',
      uncertainties: 'How long the grid repairs take',
      ...payload,
    },
  };
}

/** `conference.setNext`: three hours after the test clock unless told otherwise. */
export function buildConferenceSetNextCommand(
  overrides: Overrides<'conference.setNext'> = {},
): CommandOf<'conference.setNext'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'conference.setNext',
    payload: { conferenceId: freshUuid(), nextConferenceAt: minutesAfterNow(180), ...payload },
  };
}

/** `conference.close`, naming a fresh id for the next conference. */
export function buildConferenceCloseCommand(
  overrides: Overrides<'conference.close'> = {},
): CommandOf<'conference.close'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'conference.close',
    payload: { conferenceId: freshUuid(), nextConferenceId: freshUuid(), ...payload },
  };
}

/** `conference.approveMinutes`: the first version, as generated, unless told otherwise. */
export function buildConferenceApproveMinutesCommand(
  overrides: Overrides<'conference.approveMinutes'> = {},
): CommandOf<'conference.approveMinutes'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'conference.approveMinutes',
    payload: { conferenceId: freshUuid(), version: 1, correction: '', ...payload },
  };
}

/** `actionItem.record`: a decision owned by Nacka, due in two hours, unless told otherwise. */
export function buildActionItemRecordCommand(
  overrides: Overrides<'actionItem.record'> = {},
): CommandOf<'actionItem.record'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'actionItem.record',
    payload: {
      itemId: freshUuid(),
      conferenceId: freshUuid(),
      kind: 'decision',
      text: 'Nacka opens an evacuation centre at Nacka sporthall',
      ownerActorId: 'nacka',
      dueAt: minutesAfterNow(120),
      ...payload,
    },
  };
}

/** `actionItem.setStatus`: done unless told otherwise. */
export function buildActionItemStatusCommand(
  overrides: Overrides<'actionItem.setStatus'> = {},
): CommandOf<'actionItem.setStatus'> {
  const { id, payload } = split(overrides);
  return { id, type: 'actionItem.setStatus', payload: { itemId: freshUuid(), status: 'done', ...payload } };
}

/** `offer.make`: generators offered to Nacka, available in an hour, unless told otherwise. */
export function buildOfferMakeCommand(overrides: Overrides<'offer.make'> = {}): CommandOf<'offer.make'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'offer.make',
    payload: {
      offerId: freshUuid(),
      incidentId: freshUuid(),
      needActorId: 'nacka',
      reportId: freshUuid(),
      what: 'Generators',
      quantity: '2',
      availableAt: minutesAfterNow(60),
      note: '',
      ...payload,
    },
  };
}

/** `offer.answer`: accepted unless told otherwise. */
export function buildOfferAnswerCommand(
  overrides: Overrides<'offer.answer'> = {},
): CommandOf<'offer.answer'> {
  const { id, payload } = split(overrides);
  return { id, type: 'offer.answer', payload: { offerId: freshUuid(), answer: 'accepted', ...payload } };
}

/** `need.settle`: covered unless told otherwise. */
export function buildNeedSettleCommand(overrides: Overrides<'need.settle'> = {}): CommandOf<'need.settle'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'need.settle',
    payload: { incidentId: freshUuid(), reportId: freshUuid(), coverage: 'covered', note: '', ...payload },
  };
}

/** The directing level of the lead actor (its head on duty) unless told otherwise. */
export const buildDirectingAttribution = (overrides: Partial<Attribution> = {}): Attribution =>
  buildAttribution({
    userId: 'user-lansstyrelsen-directing',
    userName: 'Dag Direktör',
    functionId: 'directing',
    ...overrides,
  });

/**
 * What a directive says: a purpose, two priorities, one item for Nacka and one for Region
 * Stockholm, valid for a day from the test clock and reviewed after four hours.
 */
export const buildDirectiveContent = (overrides: Partial<DirectiveContent> = {}): DirectiveContent => ({
  purpose: 'Skydda liv och hälsa och upprätthålla samhällsviktig verksamhet under stormen',
  priorities: ['Liv och hälsa', 'Elförsörjning till vård och omsorg'],
  items: [
    { id: testUuid(0xd1), text: 'Öppna trygghetspunkter', ownerActorId: 'nacka' },
    { id: testUuid(0xd2), text: 'Säkra reservkraft på sjukhusen', ownerActorId: 'region-stockholm' },
  ],
  area: null,
  limits: 'Inga evakueringar utan samråd',
  validFrom: TEST_NOW,
  validUntil: minutesAfterNow(24 * 60),
  reviewAt: minutesAfterNow(4 * 60),
  underReadiness: false,
  ...overrides,
});

/** A prepared directive for storms: one item for the county board, one for every municipality. */
export const buildDirectiveTemplate = (overrides: Partial<DirectiveTemplate> = {}): DirectiveTemplate => ({
  id: 'test-storm',
  name: { sv: 'Storm (test)', en: 'Storm (test)' },
  incidentKinds: ['weather'],
  purpose: 'Begränsa stormens konsekvenser',
  priorities: ['Liv och hälsa'],
  items: [
    { actorKind: 'countyBoard', text: 'Samordna lägesbilden' },
    { actorKind: 'municipality', text: 'Öppna trygghetspunkter' },
  ],
  limits: '',
  reviewIntervalHours: 4,
  validityHours: 24,
  ...overrides,
});

/** `directive.draft`: a first draft (base version 0, no draft before) of a new directive with the default content. */
export function buildDirectiveDraftCommand(
  overrides: Overrides<'directive.draft'> = {},
): CommandOf<'directive.draft'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'directive.draft',
    payload: {
      directiveId: freshUuid(),
      incidentId: freshUuid(),
      content: buildDirectiveContent(),
      templateId: null,
      baseVersion: 0,
      baseDraftSeq: null,
      ...payload,
    },
  };
}

/**
 * `directive.decide`: the first version unless told otherwise. `draftSeq` must name the
 * draft's seq; tests that fold their history read it from the state (`draftSeqOf`).
 */
export function buildDirectiveDecideCommand(
  overrides: Overrides<'directive.decide'> = {},
): CommandOf<'directive.decide'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'directive.decide',
    payload: { directiveId: freshUuid(), baseVersion: 0, draftSeq: 0, ...payload },
  };
}

/** The seq of a directive's saved draft in `state`, as a client that shows the draft sends it. */
export const draftSeqOf = (state: Pick<State, 'directives'>, directiveId: string): number | null =>
  state.directives[directiveId]?.draft?.seq ?? null;

/**
 * A step deciding the draft a directive has when the step runs: `directive.decide` naming the
 * draft's seq, as the decider's screen does.
 */
export const decideDraftStep =
  (overrides: Overrides<'directive.decide'> & { directiveId: string }) =>
  (state: State): CommandOf<'directive.decide'> =>
    buildDirectiveDecideCommand({ draftSeq: draftSeqOf(state, overrides.directiveId) ?? 0, ...overrides });

/** `directive.cosign`: version 1 unless told otherwise. */
export function buildDirectiveCosignCommand(
  overrides: Overrides<'directive.cosign'> = {},
): CommandOf<'directive.cosign'> {
  const { id, payload } = split(overrides);
  return { id, type: 'directive.cosign', payload: { directiveId: freshUuid(), version: 1, ...payload } };
}

/** `directive.confirm`: Nacka's item of the default content unless told otherwise. */
export function buildDirectiveConfirmCommand(
  overrides: Overrides<'directive.confirm'> = {},
): CommandOf<'directive.confirm'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'directive.confirm',
    payload: { directiveId: freshUuid(), itemId: testUuid(0xd1), ...payload },
  };
}

/** `directive.reportItem`: Nacka's item done unless told otherwise. */
export function buildDirectiveReportCommand(
  overrides: Overrides<'directive.reportItem'> = {},
): CommandOf<'directive.reportItem'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'directive.reportItem',
    payload: {
      directiveId: freshUuid(),
      itemId: testUuid(0xd1),
      outcome: 'done',
      text: 'Tre trygghetspunkter öppna',
      ...payload,
    },
  };
}

/** `directiveTemplate.save`: the test storm template unless told otherwise. */
export function buildTemplateSaveCommand(
  overrides: Overrides<'directiveTemplate.save'> = {},
): CommandOf<'directiveTemplate.save'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'directiveTemplate.save',
    payload: { template: buildDirectiveTemplate(), baseSeq: null, ...payload },
  };
}

/** `directiveTemplate.remove`: the test storm template unless told otherwise. */
export function buildTemplateRemoveCommand(
  overrides: Overrides<'directiveTemplate.remove'> = {},
): CommandOf<'directiveTemplate.remove'> {
  const { id, payload } = split(overrides);
  return { id, type: 'directiveTemplate.remove', payload: { templateId: 'test-storm', ...payload } };
}

/** `directiveTemplate.restore`: the region file's storm template unless told otherwise. */
export function buildTemplateRestoreCommand(
  overrides: Overrides<'directiveTemplate.restore'> = {},
): CommandOf<'directiveTemplate.restore'> {
  const { id, payload } = split(overrides);
  return { id, type: 'directiveTemplate.restore', payload: { templateId: 'storm', ...payload } };
}

/** An actor's communicator (Stockholm stad's unless told otherwise): drafts and signs off joint messages. */
export const buildCommunicatorAttribution = (
  actorId = 'stockholm',
  overrides: Partial<Attribution> = {},
): Attribution =>
  buildAttribution({
    userId: `user-${actorId}-communicator`,
    userName: `Kommunikatör ${actorId}`,
    actorId,
    functionId: 'communicator',
    ...overrides,
  });

/** One language's text of a joint message (Swedish unless told otherwise). */
export const buildMessageText = (overrides: Partial<MessageText> = {}): MessageText => ({
  headline: 'Stormvarning: stanna inomhus i kväll',
  core: 'Stormen Ylva når Stockholm i kväll med byar upp till 30 m/s.',
  whatToDo: 'Stanna inomhus, ladda telefonen och ha en ficklampa redo.',
  ...overrides,
});

/**
 * What a joint message says: Swedish only, Stockholm stad's web as the channel, 113 13 and
 * krisinformation.se, central Stockholm drawn plus Stockholm and Nacka picked, valid for
 * twelve hours from the test clock.
 */
export const buildMessageContent = (overrides: Partial<MessageContent> = {}): MessageContent => ({
  texts: { sv: buildMessageText(), en: null, svEasy: null },
  moreInfo: {
    channels: [{ actorId: 'stockholm', url: 'https://start.stockholm/' }],
    phone11313: true,
    krisinformation: true,
  },
  area: { polygon: buildArea(), municipalityCodes: ['0180', '0182'], description: 'Stockholm och Nacka' },
  validFrom: TEST_NOW,
  validUntil: minutesAfterNow(12 * 60),
  exercise: false,
  directiveId: null,
  ...overrides,
});

/**
 * `jointMessage.draft`: the first version (base 0) of a new message with the default content,
 * to be approved by Stockholm stad, Nacka and Region Stockholm.
 */
export function buildJointMessageDraftCommand(
  overrides: Overrides<'jointMessage.draft'> = {},
): CommandOf<'jointMessage.draft'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'jointMessage.draft',
    payload: {
      messageId: freshUuid(),
      incidentId: freshUuid(),
      content: buildMessageContent(),
      approverActorIds: ['stockholm', 'nacka', 'region-stockholm'],
      baseVersion: 0,
      ...payload,
    },
  };
}

/** `jointMessage.approve`: version 1 for Nacka unless told otherwise. */
export function buildJointMessageApproveCommand(
  overrides: Overrides<'jointMessage.approve'> = {},
): CommandOf<'jointMessage.approve'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'jointMessage.approve',
    payload: { messageId: freshUuid(), version: 1, forActorId: 'nacka', comment: '', ...payload },
  };
}

/** `jointMessage.requestChange`: Nacka asks for a change to version 1 unless told otherwise. */
export function buildJointMessageRequestChangeCommand(
  overrides: Overrides<'jointMessage.requestChange'> = {},
): CommandOf<'jointMessage.requestChange'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'jointMessage.requestChange',
    payload: {
      messageId: freshUuid(),
      version: 1,
      forActorId: 'nacka',
      comment: 'Nämn trygghetspunkten i Nacka forum',
      ...payload,
    },
  };
}

/** `jointMessage.publish`: version 1 on the web, published at the test clock, unless told otherwise. */
export function buildJointMessagePublishCommand(
  overrides: Overrides<'jointMessage.publish'> = {},
): CommandOf<'jointMessage.publish'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'jointMessage.publish',
    payload: {
      messageId: freshUuid(),
      version: 1,
      channel: 'web',
      publishedAt: TEST_NOW,
      note: '',
      ...payload,
    },
  };
}

/** `jointMessage.cancel`: withdraws the message unless told otherwise. */
export function buildJointMessageCancelCommand(
  overrides: Overrides<'jointMessage.cancel'> = {},
): CommandOf<'jointMessage.cancel'> {
  const { id, payload } = split(overrides);
  return {
    id,
    type: 'jointMessage.cancel',
    payload: { messageId: freshUuid(), reason: 'Stormen drog förbi', ...payload },
  };
}

/** An active incident, activated by the lead duty officer, summoning every actor. */
export const buildIncident = (overrides: Partial<Incident> = {}): Incident => ({
  id: freshUuid(),
  status: 'active',
  title: 'Storm Ylva',
  kind: 'weather',
  description: 'Gale force winds, falling trees',
  reason: '',
  area: buildArea(),
  summonedActorIds: stockholmRegion().actors.map((a) => a.id),
  nextConferenceAt: null,
  requestedAt: null,
  requestedBy: null,
  activatedAt: TEST_NOW,
  activatedBy: buildAttribution(),
  closedAt: null,
  closedBy: null,
  closingSummary: '',
  requestedSeq: null,
  activatedSeq: null,
  closedSeq: null,
  acknowledgements: {},
  version: 0,
  ...overrides,
});

/** A region-wide situation report by Nacka's duty officer. */
export const buildReport = (overrides: Partial<Report> = {}): Report => {
  const by =
    overrides.by ?? buildAttribution({ userId: 'user-nacka-tib', userName: 'Nils Nord', actorId: 'nacka' });
  return {
    id: freshUuid(),
    incidentId: freshUuid(),
    actorId: by.actorId,
    at: TEST_NOW,
    by,
    happened: 'Trees down on Värmdöleden',
    consequences: '',
    measures: '',
    needs: '',
    assessment: '',
    status: 'normal',
    sharing: { scope: 'region' },
    features: [],
    seq: 0,
    ...overrides,
  };
};

/** A region-wide field report by a field worker of Nacka. */
export const buildFieldReport = (overrides: Partial<FieldReport> = {}): FieldReport => {
  const by =
    overrides.by ??
    buildAttribution({
      userId: 'user-nacka-field',
      userName: 'Frida Fält',
      actorId: 'nacka',
      functionId: 'field',
    });
  return {
    id: freshUuid(),
    incidentId: freshUuid(),
    actorId: by.actorId,
    at: TEST_NOW,
    by,
    eventType: 'Tree across the road',
    locationText: 'Värmdöleden at Insjön',
    position: { lat: 59.31, lng: 18.3 },
    hazards: '',
    access: '',
    casualties: '',
    servicesPresent: '',
    servicesNeeded: '',
    sharing: { scope: 'region' },
    seq: 0,
    ...overrides,
  };
};

/** An open check-in on no incident by a field worker of Nacka. */
export const buildCheckin = (overrides: Partial<Checkin> = {}): Checkin => ({
  id: freshUuid(),
  incidentId: null,
  status: 'available',
  position: null,
  note: '',
  at: TEST_NOW,
  by: buildAttribution({
    userId: 'user-nacka-field',
    userName: 'Frida Fält',
    actorId: 'nacka',
    functionId: 'field',
  }),
  checkedOutAt: null,
  sharing: { scope: 'own' },
  seq: 0,
  ...overrides,
});

/** A region-wide log line by the lead duty officer. */
export const buildLogEntry = (overrides: Partial<LogEntry> = {}): LogEntry => ({
  id: freshUuid(),
  incidentId: null,
  text: 'Coordination conference held',
  sharing: { scope: 'region' },
  at: TEST_NOW,
  by: buildAttribution(),
  seq: 0,
  ...overrides,
});

/** A state holding exactly the given items. */
export function buildState(
  items: {
    incidents?: Incident[];
    reports?: Report[];
    fieldReports?: FieldReport[];
    checkins?: Checkin[];
    logEntries?: LogEntry[];
    /** Merged onto the initial readiness (none), so a test names only what it is about. */
    readiness?: Partial<State['readiness']>;
  } = {},
): State {
  const byId = <T extends { id: string }>(list: T[] = []) =>
    Object.fromEntries(list.map((item) => [item.id, item]));
  return {
    ...initialState(),
    incidents: byId(items.incidents),
    reports: byId(items.reports),
    fieldReports: byId(items.fieldReports),
    checkins: byId(items.checkins),
    logEntries: byId(items.logEntries),
    readiness: { ...initialState().readiness, ...items.readiness },
  };
}

type EventMeta = { seq?: number; at?: string; by?: Attribution; commandId?: string };

/** An event as the log stores it, e.g. `buildEvent({ type: 'incident.closed', payload })`. */
export const buildEvent = (draft: EventDraft, meta: EventMeta = {}): StoredEvent => ({
  ...draft,
  seq: meta.seq ?? 1,
  at: meta.at ?? TEST_NOW,
  by: meta.by ?? buildAttribution(),
  commandId: meta.commandId ?? freshUuid(),
});

/**
 * One command of a scripted history: who sends it, and when. The command may be made from
 * the state it is sent on, for one that names what an earlier step made (a draft's seq).
 */
export type Step = { command: Command | ((state: State) => Command); by?: Attribution; at?: string };

/**
 * Runs commands through the real `decide` and `apply`, as the hub would, and returns the
 * state and the log. Throws on the first refusal: a scripted history must be valid.
 */
export function runCommands(
  steps: readonly Step[],
  options: { state?: State; region?: RegionConfig; firstSeq?: number } = {},
): { state: State; events: StoredEvent[] } {
  let state = options.state ?? initialState();
  let seq = options.firstSeq ?? 1;
  const events: StoredEvent[] = [];
  for (const { command: made, by = buildAttribution(), at = TEST_NOW } of steps) {
    const command = typeof made === 'function' ? made(state) : made;
    const decision = decide(state, command, by, at, options.region ?? stockholmRegion());
    if (!decision.ok)
      throw new Error(`${command.type} refused: ${decision.error.code} ${decision.error.message}`);
    for (const draft of decision.data) {
      const event = buildEvent(draft, { seq: seq++, at, by, commandId: command.id });
      state = apply(state, event);
      events.push(event);
    }
  }
  return { state, events };
}

/** Freezes a value and everything inside it, so a test fails loudly on any mutation. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Table rows as `[name, row]`, so `it.each(named(rows))('%s', …)` shows each full name. */
export const named = <T extends { name: string }>(rows: readonly T[]): (readonly [string, T])[] =>
  rows.map((row) => [row.name, row] as const);

/** A deep copy of JSON-like data (what the log stores), e.g. to compare before and after. */
export const cloneJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
