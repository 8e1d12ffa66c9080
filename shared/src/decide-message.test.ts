import { describe, expect, it } from 'vitest';
import { apply } from './apply.js';
import { COMMAND_TYPES, parseCommand, type Command } from './commands.js';
import { decide } from './decide.js';
import type { EventDraft } from './events.js';
import type { AreaGeometry } from './geo.js';
import { stateHash } from './hash.js';
import { messageCommandPayloads } from './message-commands.js';
import type { MessageContent } from './message-model.js';
import {
  awaitingApprovalBy,
  currentMessageOf,
  latestAgreedVersion,
  messageStage,
  signOffMatrix,
  unpublishedBy,
} from './message-selectors.js';
import type { Attribution, State } from './model.js';
import type { ErrorCode } from './result.js';
import {
  buildActivateCommand,
  buildAttribution,
  buildCloseCommand,
  buildCommunicatorAttribution,
  buildDirectiveDraftCommand,
  buildEvent,
  buildJointMessageApproveCommand,
  buildJointMessageCancelCommand,
  buildJointMessageDraftCommand,
  buildJointMessagePublishCommand,
  buildJointMessageRequestChangeCommand,
  buildMessageContent,
  buildMessageText,
  buildRequestCommand,
  buildUpdateCommand,
  deepFreeze,
  minutesAfterNow,
  named,
  runCommands,
  stockholmRegion,
  testUuid,
  type Step,
} from './testing/test-factories.js';

// The joint-message commands against one region, folded through the real `decide` and
// `apply`. Every expected answer is written out by hand from the history below.

const region = stockholmRegion();
const m = minutesAfterNow;
/** The hub's time for every decision below: after the whole history. */
const NOW = m(30);

const leadTib = buildAttribution();
const sthlmComm = buildCommunicatorAttribution('stockholm');
const nackaComm = buildCommunicatorAttribution('nacka');
const regionComm = buildCommunicatorAttribution('region-stockholm');
const solnaComm = buildCommunicatorAttribution('solna');
/** Stockholm stad's coordinator: may draft a message, but not approve one. */
const sthlmCoord = buildAttribution({
  userId: 'user-stockholm-coordinator',
  userName: 'Samordnare Stockholm',
  actorId: 'stockholm',
  functionId: 'coordinator',
});

/** Summons every actor (the activation's default). */
const INCIDENT = testUuid(1);
/** Summons Stockholm stad and Nacka only (and the lead actor, which activated it). */
const SMALL_INCIDENT = testUuid(2);
const CLOSED_INCIDENT = testUuid(3);
/** Summons Stockholm stad and Nacka like the small one, and has no message. */
const SMALL_FREE = testUuid(4);
/** Requested, not yet activated. */
const REQUESTED = testUuid(5);
const UNKNOWN = testUuid(99);

/** v1 by Stockholm stad, to be approved by Stockholm stad (by drafting), Nacka and Region Stockholm. */
const DRAFTED = testUuid(10);
/** v1 agreed by all three; Nacka published it on its web. */
const AGREED = testUuid(11);
/** v1 agreed, then v2 drafted by Nacka (Nacka's approval by drafting): sign-off reopened. */
const REOPENED = testUuid(12);
/** v1 drafted; Nacka asked for a change. */
const CHANGE = testUuid(13);
/** v1 drafted; Nacka approved, Region Stockholm has not yet. */
const ALMOST = testUuid(14);
/** Drafted, then cancelled by Stockholm stad. */
const CANCELLED = testUuid(15);
/** Stockholm stad alone approves: v1 and v2 agreed as saved. */
const TWICE = testUuid(16);
/** On the small incident, Stockholm stad alone approves: agreed as saved. */
const SMALL = testUuid(17);
/**
 * Drafted by Nacka (its owner) naming Stockholm stad and Solna; then the incident's summons
 * was cut to Stockholm stad: Nacka and Solna no longer take part.
 */
const LEFT_OUT = testUuid(18);
/** On CLOSED_INCIDENT: v1 agreed by all three, v2 drafted by Stockholm stad, then the incident closed. */
const CLOSING = testUuid(19);
/** An exercise, drafted by Stockholm stad. */
const EXERCISE = testUuid(21);
const NEW = testUuid(20);
/** A directive of INCIDENT, which a message may cite. */
const DIRECTIVE = testUuid(40);
/** A directive of another incident. */
const FOREIGN_DIRECTIVE = testUuid(41);

// One message per incident: each message of the history has its own.
const INCIDENT_OF: Record<string, string> = {
  [DRAFTED]: testUuid(30),
  [AGREED]: testUuid(31),
  [REOPENED]: testUuid(32),
  [CHANGE]: testUuid(33),
  [ALMOST]: testUuid(34),
  [CANCELLED]: testUuid(35),
  [TWICE]: testUuid(36),
  [SMALL]: SMALL_INCIDENT,
  [LEFT_OUT]: testUuid(37),
  [CLOSING]: CLOSED_INCIDENT,
  [EXERCISE]: testUuid(38),
  [NEW]: INCIDENT,
};
const incidentOf = (messageId: string): string => INCIDENT_OF[messageId] ?? INCIDENT;

const THREE = ['stockholm', 'nacka', 'region-stockholm'];
const CONTENT = buildMessageContent();
const EDITED = buildMessageContent({
  texts: {
    sv: buildMessageText({ headline: 'Stormen: trygghetspunkt i Nacka forum' }),
    en: null,
    svEasy: null,
  },
});
const AN_EXERCISE = buildMessageContent({ exercise: true });

/** A version of the message on its own incident, edited from `baseVersion`. */
const draft = (
  messageId: string,
  content: MessageContent = CONTENT,
  baseVersion = 0,
  approverActorIds: string[] = THREE,
  incidentId = incidentOf(messageId),
) => buildJointMessageDraftCommand({ messageId, incidentId, content, baseVersion, approverActorIds });
const approve = (messageId: string, version = 1, forActorId = 'nacka') =>
  buildJointMessageApproveCommand({ messageId, version, forActorId });
const requestChange = (messageId: string, version = 1, forActorId = 'nacka') =>
  buildJointMessageRequestChangeCommand({ messageId, version, forActorId });
const publish = (messageId: string, version = 1, overrides: { publishedAt?: string } = {}) =>
  buildJointMessagePublishCommand({ messageId, version, ...overrides });
const cancel = (messageId: string) => buildJointMessageCancelCommand({ messageId });

const activate = (incidentId: string, summonedActorIds: string[] = []): Step => ({
  command: buildActivateCommand({ incidentId, area: null, summonedActorIds }),
  by: leadTib,
  at: m(1),
});

const history: Step[] = [
  ...[INCIDENT, CLOSED_INCIDENT, ...Object.values(INCIDENT_OF)]
    .filter((id, i, all) => id !== SMALL_INCIDENT && all.indexOf(id) === i)
    .map((id) => activate(id)),
  activate(SMALL_INCIDENT, ['stockholm', 'nacka']),
  activate(SMALL_FREE, ['stockholm', 'nacka']),
  { command: buildRequestCommand({ incidentId: REQUESTED }), by: sthlmComm, at: m(1) },
  {
    command: buildDirectiveDraftCommand({ directiveId: DIRECTIVE, incidentId: INCIDENT }),
    by: leadTib,
    at: m(1),
  },
  {
    command: buildDirectiveDraftCommand({ directiveId: FOREIGN_DIRECTIVE, incidentId: incidentOf(DRAFTED) }),
    by: leadTib,
    at: m(1),
  },
  { command: draft(DRAFTED), by: sthlmComm, at: m(2) },
  { command: draft(AGREED), by: sthlmComm, at: m(2) },
  { command: approve(AGREED), by: nackaComm, at: m(3) },
  { command: approve(AGREED, 1, 'region-stockholm'), by: regionComm, at: m(4) },
  { command: publish(AGREED, 1, { publishedAt: m(5) }), by: nackaComm, at: m(5) },
  { command: draft(REOPENED), by: sthlmComm, at: m(2) },
  { command: approve(REOPENED), by: nackaComm, at: m(3) },
  { command: approve(REOPENED, 1, 'region-stockholm'), by: regionComm, at: m(4) },
  { command: draft(REOPENED, EDITED, 1), by: nackaComm, at: m(6) },
  { command: draft(CHANGE), by: sthlmComm, at: m(2) },
  { command: requestChange(CHANGE), by: nackaComm, at: m(3) },
  { command: draft(ALMOST), by: sthlmComm, at: m(2) },
  { command: approve(ALMOST), by: nackaComm, at: m(3) },
  { command: draft(CANCELLED), by: sthlmComm, at: m(2) },
  { command: cancel(CANCELLED), by: sthlmComm, at: m(3) },
  { command: draft(TWICE, CONTENT, 0, ['stockholm']), by: sthlmComm, at: m(2) },
  { command: draft(TWICE, EDITED, 1, ['stockholm']), by: sthlmComm, at: m(3) },
  { command: draft(SMALL, CONTENT, 0, ['stockholm']), by: sthlmComm, at: m(2) },
  { command: draft(LEFT_OUT, CONTENT, 0, ['nacka', 'stockholm', 'solna']), by: nackaComm, at: m(2) },
  {
    command: buildUpdateCommand({ incidentId: incidentOf(LEFT_OUT), summonedActorIds: ['stockholm'] }),
    by: leadTib,
    at: m(3),
  },
  { command: draft(CLOSING), by: sthlmComm, at: m(2) },
  { command: approve(CLOSING), by: nackaComm, at: m(3) },
  { command: approve(CLOSING, 1, 'region-stockholm'), by: regionComm, at: m(4) },
  { command: draft(CLOSING, EDITED, 1), by: sthlmComm, at: m(6) },
  { command: draft(EXERCISE, AN_EXERCISE, 0, ['stockholm']), by: sthlmComm, at: m(2) },
  { command: buildCloseCommand({ incidentId: CLOSED_INCIDENT }), by: leadTib, at: m(8) },
];

const world: State = deepFreeze(runCommands(history).state);

/** Every command goes through the real parser first: the refusals are domain rules, not schema errors. */
function valid(command: Command): Command {
  const parsed = parseCommand(JSON.parse(JSON.stringify(command)));
  if (!parsed.ok) throw new Error(`test command is invalid: ${parsed.message}`);
  return parsed.command;
}

const wire = (command: Command): unknown => JSON.parse(JSON.stringify(command));

/** Sends a wire command as the hub takes it: parsed, decided, folded. Returns the state after and any refusal. */
function send(state: State, input: unknown, by: Attribution, now = NOW) {
  const parsed = parseCommand(input);
  if (!parsed.ok) return { state, error: { code: parsed.code, message: parsed.message } };
  const decision = decide(state, parsed.command, by, now, region);
  if (!decision.ok) return { state, error: decision.error };
  const after = decision.data.reduce(
    (s, d, i) => apply(s, buildEvent(d, { seq: 1000 + i, at: now, by, commandId: parsed.command.id })),
    state,
  );
  return { state: after, error: null };
}

/** The message of that id, which the test's history made. */
function messageIn(state: State, messageId: string) {
  const message = state.jointMessages[messageId];
  if (!message) throw new Error(`no joint message ${messageId}`);
  return message;
}

type Refusal = { name: string; command: Command; by: Attribution; code: ErrorCode; message: string };
type Acceptance = { name: string; command: Command; by: Attribution; events: EventDraft[] };

const GOTHENBURG: AreaGeometry = {
  type: 'Polygon',
  coordinates: [
    [
      [11.9, 57.7],
      [12.0, 57.7],
      [12.0, 57.75],
      [11.9, 57.7],
    ],
  ],
};

/** Every incident of the history is the activation's "Storm Ylva", a weather incident. */
const DRAFTED_EVENT = (
  messageId: string,
  version: number,
  ownerActorId: string,
  content: MessageContent = CONTENT,
  approverActorIds: string[] = THREE,
): EventDraft => ({
  type: 'jointMessage.drafted',
  payload: {
    messageId,
    incidentId: incidentOf(messageId),
    version,
    content,
    approverActorIds,
    ownerActorId,
    incidentTitle: 'Storm Ylva',
    incidentKind: 'weather',
  },
});
const APPROVED_EVENT = (
  messageId: string,
  version: number,
  actorId: string,
  byDrafting: boolean,
  comment = '',
): EventDraft => ({
  type: 'jointMessage.approved',
  payload: { messageId, version, actorId, comment, byDrafting },
});
const AGREED_EVENT = (messageId: string, version: number): EventDraft => ({
  type: 'jointMessage.agreed',
  payload: { messageId, version },
});

// prettier-ignore
const refusals: Refusal[] = [
  { name: 'jointMessage.draft refuses an unknown incident', command: draft(NEW, CONTENT, 0, THREE, UNKNOWN), by: sthlmComm, code: 'not_found', message: 'No such incident' },
  { name: 'jointMessage.draft refuses a closed incident', command: draft(NEW, CONTENT, 0, THREE, CLOSED_INCIDENT), by: sthlmComm, code: 'conflict', message: 'The incident is closed' },
  { name: 'jointMessage.draft refuses a new version once the incident is closed', command: draft(CLOSING, CONTENT, 2), by: sthlmComm, code: 'conflict', message: 'The incident is closed' },
  { name: 'jointMessage.draft refuses an incident only requested, not yet activated', command: draft(NEW, CONTENT, 0, THREE, REQUESTED), by: sthlmComm, code: 'conflict', message: 'The incident is not active' },
  { name: 'jointMessage.draft refuses leaving out an approver of the last version unless the owner drafts', command: draft(AGREED, EDITED, 1, ['nacka']), by: nackaComm, code: 'bad_request', message: 'Only the owner of the message (stockholm) may remove an approver; left out: region-stockholm' },
  { name: 'jointMessage.draft refuses a version its owner can no longer approve (the owner left the incident)', command: draft(LEFT_OUT, EDITED, 1, ['stockholm', 'solna']), by: sthlmComm, code: 'conflict', message: 'The owner of the message (nacka) no longer takes part in the incident, so nobody can approve for it: withdraw the message and draft a new one' },
  { name: 'jointMessage.draft refuses turning an exercise into a message to the public', command: draft(EXERCISE, CONTENT, 1, ['stockholm']), by: sthlmComm, code: 'bad_request', message: 'An exercise message stays an exercise; withdraw it and start a new one' },
  { name: 'jointMessage.draft refuses turning a message to the public into an exercise', command: draft(DRAFTED, AN_EXERCISE, 1), by: sthlmComm, code: 'bad_request', message: 'A message to the public cannot become an exercise; withdraw it and start a new one' },
  { name: 'jointMessage.draft refuses a sender whose actor is not summoned', command: draft(NEW, CONTENT, 0, ['solna'], SMALL_FREE), by: solnaComm, code: 'forbidden', message: 'Your actor is not summoned to this incident' },
  { name: 'jointMessage.draft refuses an approver not summoned (nobody could approve for it)', command: draft(NEW, CONTENT, 0, ['stockholm', 'solna'], SMALL_FREE), by: sthlmComm, code: 'bad_request', message: 'Only actors summoned to the incident can approve; not summoned: solna' },
  { name: 'jointMessage.draft refuses an approver the region does not know', command: draft(NEW, CONTENT, 0, ['stockholm', 'atlantis']), by: sthlmComm, code: 'bad_request', message: 'Unknown actor(s): atlantis' },
  { name: 'jointMessage.draft refuses to move a message to another incident', command: draft(DRAFTED, EDITED, 1, THREE, INCIDENT), by: sthlmComm, code: 'bad_request', message: 'The joint message belongs to another incident' },
  { name: 'jointMessage.draft refuses a second message for an incident', command: draft(NEW, CONTENT, 0, THREE, incidentOf(DRAFTED)), by: sthlmComm, code: 'conflict', message: `The incident already has a joint message (${DRAFTED}): draft a new version of it` },
  { name: 'jointMessage.draft refuses editing a cancelled message', command: draft(CANCELLED, EDITED, 1), by: sthlmComm, code: 'conflict', message: 'The joint message has been cancelled: draft a new one' },
  { name: "jointMessage.draft refuses an edit of a version saved over since (two people's edits never overwrite)", command: draft(REOPENED, CONTENT, 1), by: regionComm, code: 'stale', message: 'Version 2 of the message has been saved since' },
  { name: 'jointMessage.draft refuses a base version not saved yet', command: draft(DRAFTED, EDITED, 3), by: sthlmComm, code: 'bad_request', message: 'The message has no version 3; 1 are saved' },
  { name: 'jointMessage.draft refuses a new message not starting from version 0', command: draft(NEW, CONTENT, 1), by: sthlmComm, code: 'bad_request', message: 'A new joint message starts from version 0, not 1' },
  { name: 'jointMessage.draft refuses a valid-until before the valid-from', command: draft(NEW, buildMessageContent({ validFrom: m(60), validUntil: m(59) })), by: sthlmComm, code: 'bad_request', message: 'The message is valid until a time before it is valid from' },
  { name: 'jointMessage.draft refuses an area outside the region', command: draft(NEW, buildMessageContent({ area: { polygon: GOTHENBURG, municipalityCodes: [], description: 'Göteborg' } })), by: sthlmComm, code: 'bad_request', message: "The message's area: lies outside the region" },
  { name: 'jointMessage.draft refuses a municipality code the region does not have', command: draft(NEW, buildMessageContent({ area: { polygon: null, municipalityCodes: ['0180', '1480'], description: 'Göteborg' } })), by: sthlmComm, code: 'bad_request', message: 'Unknown municipality code(s) for this region: 1480' },
  { name: 'jointMessage.draft refuses a municipality named twice', command: draft(NEW, buildMessageContent({ area: { polygon: null, municipalityCodes: ['0180', '0180'], description: 'Stockholm' } })), by: sthlmComm, code: 'bad_request', message: 'A municipality is named twice in the area' },
  { name: 'jointMessage.draft refuses a channel of an unknown actor', command: draft(NEW, buildMessageContent({ moreInfo: { channels: [{ actorId: 'atlantis', url: 'https://atlantis.example/' }], phone11313: true, krisinformation: true } })), by: sthlmComm, code: 'bad_request', message: 'A channel names unknown actor(s): atlantis' },
  { name: "jointMessage.draft refuses citing another incident's directive", command: draft(NEW, buildMessageContent({ directiveId: FOREIGN_DIRECTIVE })), by: sthlmComm, code: 'bad_request', message: 'The cited directive is not a directive of this incident' },
  { name: 'jointMessage.draft refuses citing an unknown directive', command: draft(NEW, buildMessageContent({ directiveId: UNKNOWN })), by: sthlmComm, code: 'bad_request', message: 'The cited directive is not a directive of this incident' },
  { name: 'jointMessage.approve refuses an unknown message', command: approve(UNKNOWN), by: nackaComm, code: 'not_found', message: 'No such joint message' },
  { name: 'jointMessage.approve refuses a cancelled message', command: approve(CANCELLED), by: nackaComm, code: 'conflict', message: 'The joint message has been cancelled' },
  { name: 'jointMessage.approve refuses approving for another actor', command: approve(DRAFTED, 1, 'region-stockholm'), by: nackaComm, code: 'forbidden', message: 'You can answer only for your own actor (nacka), not for region-stockholm' },
  { name: 'jointMessage.approve refuses a superseded version (stale)', command: approve(REOPENED, 1, 'stockholm'), by: sthlmComm, code: 'stale', message: 'Version 1 has been superseded by version 2: read it first' },
  { name: 'jointMessage.approve refuses a version not saved', command: approve(DRAFTED, 2), by: nackaComm, code: 'bad_request', message: 'The message has no version 2' },
  { name: 'jointMessage.approve refuses an actor the version does not name', command: approve(DRAFTED, 1, 'solna'), by: solnaComm, code: 'forbidden', message: 'Version 1 does not name your actor among those who approve it' },
  { name: 'jointMessage.approve refuses a version agreed already', command: approve(AGREED), by: nackaComm, code: 'conflict', message: 'Version 1 is already agreed: there is nothing left to approve' },
  { name: 'jointMessage.approve refuses a second approval by the same actor', command: approve(DRAFTED, 1, 'stockholm'), by: sthlmComm, code: 'conflict', message: 'Your actor has already approved version 1' },
  { name: 'jointMessage.approve refuses once the incident is closed', command: approve(CLOSING, 2), by: nackaComm, code: 'conflict', message: 'The incident is closed' },
  { name: 'jointMessage.approve refuses an actor named on the version but no longer summoned', command: approve(LEFT_OUT, 1, 'solna'), by: solnaComm, code: 'forbidden', message: 'Your actor is no longer summoned to this incident' },
  { name: 'jointMessage.requestChange refuses an unknown message', command: requestChange(UNKNOWN), by: nackaComm, code: 'not_found', message: 'No such joint message' },
  { name: 'jointMessage.requestChange refuses asking for another actor', command: requestChange(DRAFTED, 1, 'region-stockholm'), by: nackaComm, code: 'forbidden', message: 'You can answer only for your own actor (nacka), not for region-stockholm' },
  { name: 'jointMessage.requestChange refuses a superseded version (stale)', command: requestChange(REOPENED, 1, 'region-stockholm'), by: regionComm, code: 'stale', message: 'Version 1 has been superseded by version 2: read it first' },
  { name: 'jointMessage.requestChange refuses an agreed version: draft a new one instead', command: requestChange(AGREED), by: nackaComm, code: 'conflict', message: 'Version 1 is already agreed: draft a new version instead' },
  { name: 'jointMessage.requestChange refuses once the incident is closed', command: requestChange(CLOSING, 2), by: nackaComm, code: 'conflict', message: 'The incident is closed' },
  { name: 'jointMessage.requestChange refuses an actor named on the version but no longer summoned', command: requestChange(LEFT_OUT, 1, 'solna'), by: solnaComm, code: 'forbidden', message: 'Your actor is no longer summoned to this incident' },
  { name: 'jointMessage.publish refuses an unknown message', command: publish(UNKNOWN), by: nackaComm, code: 'not_found', message: 'No such joint message' },
  { name: 'jointMessage.publish refuses a cancelled message', command: publish(CANCELLED), by: sthlmComm, code: 'conflict', message: 'The joint message has been cancelled' },
  { name: 'jointMessage.publish refuses publishing before agreement', command: publish(DRAFTED), by: sthlmComm, code: 'conflict', message: 'The message is not agreed yet: it may be published once every named actor has approved it' },
  { name: 'jointMessage.publish refuses an agreed version superseded by a later agreed one (stale)', command: publish(TWICE, 1), by: sthlmComm, code: 'stale', message: 'Version 1 has been superseded: publish the agreed version 2' },
  { name: 'jointMessage.publish refuses a version being signed off again', command: publish(REOPENED, 2), by: nackaComm, code: 'conflict', message: 'Version 2 is not agreed yet; version 1 is the agreed one' },
  { name: 'jointMessage.publish refuses a version not saved', command: publish(AGREED, 5), by: nackaComm, code: 'bad_request', message: 'The message has no version 5' },
  { name: 'jointMessage.publish refuses a sender whose actor is not summoned', command: publish(SMALL), by: solnaComm, code: 'forbidden', message: 'Your actor is not summoned to this incident' },
  { name: 'jointMessage.publish refuses a publication time in the future', command: publish(AGREED, 1, { publishedAt: m(36) }), by: regionComm, code: 'bad_request', message: 'The publication time is in the future' },
  { name: 'jointMessage.publish refuses a publication time more than 5 minutes before the version was agreed', command: publish(AGREED, 1, { publishedAt: m(-2) }), by: regionComm, code: 'bad_request', message: 'The publication time is before version 1 was agreed' },
  { name: 'jointMessage.cancel refuses an unknown message', command: cancel(UNKNOWN), by: sthlmComm, code: 'not_found', message: 'No such joint message' },
  { name: 'jointMessage.cancel refuses a message cancelled already', command: cancel(CANCELLED), by: sthlmComm, code: 'conflict', message: 'The joint message has been cancelled' },
  { name: 'jointMessage.cancel refuses an actor that neither owns nor is named in it', command: cancel(DRAFTED), by: solnaComm, code: 'forbidden', message: 'Only the owner of the message or an actor it names may cancel it' },
];

const acceptances: Acceptance[] = [
  {
    name: "jointMessage.draft begins a message; saving it is the drafting actor's approval",
    command: draft(NEW),
    by: sthlmComm,
    events: [DRAFTED_EVENT(NEW, 1, 'stockholm'), APPROVED_EVENT(NEW, 1, 'stockholm', true)],
  },
  {
    name: 'jointMessage.draft names the owner first as an approver even when the drafter leaves it out',
    command: draft(NEW, CONTENT, 0, ['nacka', 'stockholm']),
    by: leadTib,
    events: [
      DRAFTED_EVENT(NEW, 1, 'lansstyrelsen', CONTENT, ['lansstyrelsen', 'nacka', 'stockholm']),
      APPROVED_EVENT(NEW, 1, 'lansstyrelsen', true),
    ],
  },
  {
    name: 'jointMessage.draft by a coordinator, whose function may not approve, is no approval of its actor',
    command: draft(NEW, CONTENT, 0, ['stockholm']),
    by: sthlmCoord,
    events: [DRAFTED_EVENT(NEW, 1, 'stockholm', CONTENT, ['stockholm'])],
  },
  {
    name: 'jointMessage.draft by another actor naming only itself keeps the owner required: not agreed as saved',
    command: draft(SMALL, EDITED, 1, ['nacka']),
    by: nackaComm,
    events: [
      DRAFTED_EVENT(SMALL, 2, 'stockholm', EDITED, ['stockholm', 'nacka']),
      APPROVED_EVENT(SMALL, 2, 'nacka', true),
    ],
  },
  {
    name: 'jointMessage.draft by the owner may leave out an approver of the last version',
    command: draft(AGREED, EDITED, 1, ['nacka']),
    by: sthlmComm,
    events: [
      DRAFTED_EVENT(AGREED, 2, 'stockholm', EDITED, ['stockholm', 'nacka']),
      APPROVED_EVENT(AGREED, 2, 'stockholm', true),
    ],
  },
  {
    name: 'jointMessage.draft of an exercise stays an exercise',
    command: draft(EXERCISE, buildMessageContent({ exercise: true, validUntil: m(120) }), 1, ['stockholm']),
    by: sthlmComm,
    events: [
      DRAFTED_EVENT(EXERCISE, 2, 'stockholm', buildMessageContent({ exercise: true, validUntil: m(120) }), [
        'stockholm',
      ]),
      APPROVED_EVENT(EXERCISE, 2, 'stockholm', true),
      AGREED_EVENT(EXERCISE, 2),
    ],
  },
  {
    name: 'jointMessage.draft naming only the drafting actor is agreed as saved',
    command: draft(NEW, CONTENT, 0, ['stockholm', 'stockholm']),
    by: sthlmComm,
    events: [
      DRAFTED_EVENT(NEW, 1, 'stockholm', CONTENT, ['stockholm']),
      APPROVED_EVENT(NEW, 1, 'stockholm', true),
      AGREED_EVENT(NEW, 1),
    ],
  },
  {
    name: 'jointMessage.draft of a new version after agreement keeps the owner and reopens sign-off',
    command: draft(AGREED, EDITED, 1),
    by: regionComm,
    events: [
      DRAFTED_EVENT(AGREED, 2, 'stockholm', EDITED),
      APPROVED_EVENT(AGREED, 2, 'region-stockholm', true),
    ],
  },
  {
    name: 'jointMessage.draft may cite the directive of its incident',
    command: draft(NEW, buildMessageContent({ directiveId: DIRECTIVE }), 0, ['nacka']),
    by: sthlmComm,
    events: [
      DRAFTED_EVENT(NEW, 1, 'stockholm', buildMessageContent({ directiveId: DIRECTIVE }), [
        'stockholm',
        'nacka',
      ]),
      APPROVED_EVENT(NEW, 1, 'stockholm', true),
    ],
  },
  {
    name: 'jointMessage.draft begins a new message on an incident whose message was cancelled',
    command: draft(NEW, CONTENT, 0, ['stockholm'], incidentOf(CANCELLED)),
    by: sthlmComm,
    events: [
      {
        type: 'jointMessage.drafted',
        payload: {
          messageId: NEW,
          incidentId: incidentOf(CANCELLED),
          version: 1,
          content: CONTENT,
          approverActorIds: ['stockholm'],
          ownerActorId: 'stockholm',
          incidentTitle: 'Storm Ylva',
          incidentKind: 'weather',
        },
      },
      APPROVED_EVENT(NEW, 1, 'stockholm', true),
      AGREED_EVENT(NEW, 1),
    ],
  },
  {
    name: 'jointMessage.approve by a named actor, others still to approve',
    command: approve(DRAFTED),
    by: nackaComm,
    events: [APPROVED_EVENT(DRAFTED, 1, 'nacka', false)],
  },
  {
    name: 'jointMessage.approve by the last named actor makes the version agreed',
    command: buildJointMessageApproveCommand({
      messageId: ALMOST,
      version: 1,
      forActorId: 'region-stockholm',
      comment: 'OK från regionen',
    }),
    by: regionComm,
    events: [
      APPROVED_EVENT(ALMOST, 1, 'region-stockholm', false, 'OK från regionen'),
      AGREED_EVENT(ALMOST, 1),
    ],
  },
  {
    name: 'jointMessage.approve of a version after a change was asked for, by the actor that asked',
    command: approve(CHANGE),
    by: nackaComm,
    events: [APPROVED_EVENT(CHANGE, 1, 'nacka', false)],
  },
  {
    name: 'jointMessage.requestChange by a named actor, with what should change',
    command: requestChange(DRAFTED),
    by: nackaComm,
    events: [
      {
        type: 'jointMessage.changeRequested',
        payload: {
          messageId: DRAFTED,
          version: 1,
          actorId: 'nacka',
          comment: 'Nämn trygghetspunkten i Nacka forum',
        },
      },
    ],
  },
  {
    name: "jointMessage.requestChange replaces the actor's earlier approval of the version",
    command: requestChange(ALMOST),
    by: nackaComm,
    events: [
      {
        type: 'jointMessage.changeRequested',
        payload: {
          messageId: ALMOST,
          version: 1,
          actorId: 'nacka',
          comment: 'Nämn trygghetspunkten i Nacka forum',
        },
      },
    ],
  },
  {
    name: "jointMessage.publish records the sender's actor's publication of the agreed version",
    command: buildJointMessagePublishCommand({
      messageId: AGREED,
      version: 1,
      channel: 'social',
      publishedAt: m(34),
      note: 'Facebook och X',
    }),
    by: regionComm,
    events: [
      {
        type: 'jointMessage.published',
        payload: {
          messageId: AGREED,
          version: 1,
          actorId: 'region-stockholm',
          channel: 'social',
          publishedAt: m(34),
          note: 'Facebook och X',
        },
      },
    ],
  },
  {
    name: 'jointMessage.publish of the agreed version while a later edit is being signed off',
    command: publish(REOPENED, 1),
    by: regionComm,
    events: [
      {
        type: 'jointMessage.published',
        payload: {
          messageId: REOPENED,
          version: 1,
          actorId: 'region-stockholm',
          channel: 'web',
          publishedAt: minutesAfterNow(0),
          note: '',
        },
      },
    ],
  },
  {
    name: 'jointMessage.publish may be recorded after the incident is closed, dated a little before agreement',
    command: publish(CLOSING, 1, { publishedAt: m(-1) }),
    by: nackaComm,
    events: [
      {
        type: 'jointMessage.published',
        payload: {
          messageId: CLOSING,
          version: 1,
          actorId: 'nacka',
          channel: 'web',
          publishedAt: m(-1),
          note: '',
        },
      },
    ],
  },
  {
    name: 'jointMessage.cancel after the incident is closed',
    command: cancel(CLOSING),
    by: nackaComm,
    events: [
      { type: 'jointMessage.cancelled', payload: { messageId: CLOSING, reason: 'Stormen drog förbi' } },
    ],
  },
  {
    name: 'jointMessage.cancel by the owner',
    command: cancel(DRAFTED),
    by: sthlmComm,
    events: [
      { type: 'jointMessage.cancelled', payload: { messageId: DRAFTED, reason: 'Stormen drog förbi' } },
    ],
  },
  {
    name: 'jointMessage.cancel by an actor the latest version names',
    command: cancel(DRAFTED),
    by: regionComm,
    events: [
      { type: 'jointMessage.cancelled', payload: { messageId: DRAFTED, reason: 'Stormen drog förbi' } },
    ],
  },
];

const MESSAGE_COMMANDS = new Set(COMMAND_TYPES.filter((type) => Object.hasOwn(messageCommandPayloads, type)));

describe('decide: joint messages', () => {
  it.each(named(refusals))('%s', (_name, { command, by, code, message }) => {
    const before = stateHash(world);
    const { state, error } = send(world, wire(valid(command)), by);
    expect(error).toEqual({ code, message });
    expect(stateHash(state)).toBe(before);
  });

  it.each(named(acceptances))('%s', (_name, { command, by, events }) => {
    expect(decide(world, valid(command), by, NOW, region)).toEqual({ ok: true, data: events });
    expect(stateHash(send(world, wire(command), by).state)).not.toBe(stateHash(world));
  });

  it('has refusal and acceptance cases for every joint-message command', () => {
    const covered = (cases: { command: Command }[]) => new Set(cases.map((c) => c.command.type));
    expect(covered(refusals)).toEqual(MESSAGE_COMMANDS);
    expect(covered(acceptances)).toEqual(MESSAGE_COMMANDS);
  });

  it('refuses a version beyond the 200 a message keeps', () => {
    const drafted = messageIn(world, DRAFTED);
    const first = drafted.versions[0];
    if (!first) throw new Error('the drafted message has no version');
    const versions = Array.from({ length: 200 }, (_, i) => ({ ...first, version: i + 1 }));
    const state = {
      ...world,
      jointMessages: { ...world.jointMessages, [DRAFTED]: { ...drafted, versions } },
    };
    expect(decide(state, draft(DRAFTED, EDITED, 200), sthlmComm, NOW, region)).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'The message has reached its 200 versions' },
    });
  });
});

describe('bad input from the issue: a clear error, and nothing changed', () => {
  const withContent = (change: (content: Record<string, unknown>) => unknown) => {
    const input = wire(draft(NEW)) as { payload: { content: Record<string, unknown> } };
    return { ...input, payload: { ...input.payload, content: change(input.payload.content) } };
  };
  const sv = (change: Record<string, unknown>) =>
    withContent((c) => ({
      ...c,
      texts: { ...(c.texts as object), sv: { ...buildMessageText(), ...change } },
    }));
  // prettier-ignore
  const BAD = [
    { name: 'an empty core message', input: sv({ core: '   ' }), code: 'bad_request', message: /Too small.*\n.*content\.texts\.sv\.core/ },
    { name: 'a valid-until before the valid-from', input: wire(draft(NEW, buildMessageContent({ validUntil: m(-60) }))), code: 'bad_request', message: /valid until a time before it is valid from/ },
    { name: 'an area outside the region', input: wire(draft(NEW, buildMessageContent({ area: { polygon: GOTHENBURG, municipalityCodes: [], description: '' } }))), code: 'bad_request', message: /outside the region/ },
    { name: 'a headline over the limit', input: sv({ headline: 'Storm '.repeat(40) }), code: 'bad_request', message: /<=160 characters\n.*content\.texts\.sv\.headline/ },
    { name: 'a core message over the limit', input: sv({ core: 'Stanna inne. '.repeat(200) }), code: 'bad_request', message: /<=1500 characters\n.*content\.texts\.sv\.core/ },
    { name: 'an unknown language', input: withContent((c) => ({ ...c, texts: { ...(c.texts as object), de: buildMessageText() } })), code: 'bad_request', message: /Unrecognized key: "de"\n.*content\.texts/ },
    { name: 'a message without Swedish', input: withContent((c) => ({ ...c, texts: { en: buildMessageText(), svEasy: null } })), code: 'bad_request', message: /content\.texts\.sv/ },
    { name: 'a municipality code that is no code', input: withContent((c) => ({ ...c, area: { polygon: null, municipalityCodes: ['Nacka'], description: '' } })), code: 'bad_request', message: /four digits/ },
  ] as const;

  it.each(named(BAD))('refuses %s', (_name, { input, code, message }) => {
    const before = stateHash(world);
    const { state, error } = send(world, input, sthlmComm);
    expect(error?.code).toBe(code);
    expect(error?.message).toMatch(message);
    expect(stateHash(state)).toBe(before);
  });
});

describe('a joint message over its life', () => {
  it('is agreed when all named actors approve the same version, and an edit reopens sign-off', () => {
    const { state: agreed } = runCommands(
      [
        { command: draft(NEW), by: sthlmComm, at: m(31) },
        { command: approve(NEW), by: nackaComm, at: m(32) },
        { command: approve(NEW, 1, 'region-stockholm'), by: regionComm, at: m(33) },
      ],
      { state: world, firstSeq: 500 },
    );
    const v1 = messageIn(agreed, NEW);
    expect(messageStage(v1)).toBe('agreed');
    expect(v1.versions[0]?.agreedAt).toBe(m(33));
    expect(unpublishedBy(agreed, 'nacka').map((msg) => msg.id)).toContain(NEW);

    // Nacka edits: version 2 is not agreed until every named actor approves it again.
    const { state: reopened } = runCommands([{ command: draft(NEW, EDITED, 1), by: nackaComm, at: m(34) }], {
      state: agreed,
      firstSeq: 600,
    });
    const v2 = messageIn(reopened, NEW);
    expect(messageStage(v2)).toBe('reopened');
    expect(latestAgreedVersion(v2)?.version).toBe(1);
    expect(awaitingApprovalBy(reopened, 'stockholm').map((msg) => msg.id)).toContain(NEW);
    expect(awaitingApprovalBy(reopened, 'nacka').map((msg) => msg.id)).not.toContain(NEW);

    const { state: almost } = runCommands(
      [{ command: approve(NEW, 2, 'stockholm'), by: sthlmComm, at: m(35) }],
      {
        state: reopened,
        firstSeq: 700,
      },
    );
    expect(messageStage(messageIn(almost, NEW))).toBe('reopened');
    const { state: again } = runCommands(
      [{ command: approve(NEW, 2, 'region-stockholm'), by: regionComm, at: m(36) }],
      { state: almost, firstSeq: 800 },
    );
    const final = messageIn(again, NEW);
    expect(messageStage(final)).toBe('agreed');
    expect(latestAgreedVersion(final)?.version).toBe(2);
    expect(final.versions[1]?.agreedSeq).toBe(801);
    // The sign-off matrix: the owner first, each actor's answer to each version.
    expect(
      signOffMatrix(final).rows.map((row) => [
        row.actorId,
        row.cells.map((c) => c && [c.decision, c.byDrafting]),
      ]),
    ).toEqual([
      [
        'stockholm',
        [
          ['approved', true],
          ['approved', false],
        ],
      ],
      [
        'nacka',
        [
          ['approved', false],
          ['approved', true],
        ],
      ],
      [
        'region-stockholm',
        [
          ['approved', false],
          ['approved', false],
        ],
      ],
    ]);
  });

  it('counts only the latest answer of an actor: a change asked for, then approved', () => {
    const { state } = runCommands(
      [
        { command: approve(CHANGE), by: nackaComm, at: m(31) },
        { command: approve(CHANGE, 1, 'region-stockholm'), by: regionComm, at: m(32) },
      ],
      { state: world, firstSeq: 500 },
    );
    const message = messageIn(state, CHANGE);
    expect(message.versions[0]?.signOffs.nacka?.decision).toBe('approved');
    expect(messageStage(message)).toBe('agreed');
  });

  it('leaves a cancelled message out of what is current, awaited or unpublished', () => {
    const { state } = runCommands([{ command: cancel(AGREED), by: nackaComm, at: m(31) }], {
      state: world,
      firstSeq: 500,
    });
    expect(currentMessageOf(state, incidentOf(AGREED))).toBeUndefined();
    expect(messageStage(messageIn(state, AGREED))).toBe('cancelled');
    expect(unpublishedBy(state, 'region-stockholm').map((msg) => msg.id)).not.toContain(AGREED);
    expect(send(state, wire(approve(AGREED)), nackaComm).error?.code).toBe('conflict');
  });

  it('keeps the owner required when another actor saves a version naming only itself', () => {
    // Stockholm stad's message on the small incident was agreed as saved; Nacka edits it and
    // names only Nacka. Without the owner, Nacka's save would have been agreed at once.
    const { state, error } = send(world, wire(draft(SMALL, EDITED, 1, ['nacka'])), nackaComm);
    expect(error).toBeNull();
    const message = messageIn(state, SMALL);
    expect(message.versions[1]?.approverActorIds).toEqual(['stockholm', 'nacka']);
    expect(messageStage(message)).toBe('reopened');
    expect(latestAgreedVersion(message)?.version).toBe(1);
    expect(awaitingApprovalBy(state, 'stockholm').map((msg) => msg.id)).toContain(SMALL);
  });

  it("counts a coordinator's save as no approval: its actor's communicator still signs off", () => {
    const saved = send(world, wire(draft(NEW, CONTENT, 0, ['stockholm'])), sthlmCoord);
    expect(saved.error).toBeNull();
    expect(messageStage(messageIn(saved.state, NEW))).toBe('draft');
    expect(awaitingApprovalBy(saved.state, 'stockholm').map((msg) => msg.id)).toContain(NEW);
    const approved = send(saved.state, wire(approve(NEW, 1, 'stockholm')), sthlmComm);
    expect(approved.error).toBeNull();
    expect(messageStage(messageIn(approved.state, NEW))).toBe('agreed');
  });

  it('keeps the incident title and kind each version was saved with, so renaming the incident changes no agreed version', () => {
    const rename = buildUpdateCommand({
      incidentId: incidentOf(AGREED),
      title: 'Strömavbrott efter stormen',
      kind: 'infrastructure',
    });
    const renamed = send(world, wire(rename), leadTib);
    expect(renamed.error).toBeNull();
    const agreedV1 = messageIn(renamed.state, AGREED).versions[0];
    expect([agreedV1?.incidentTitle, agreedV1?.incidentKind]).toEqual(['Storm Ylva', 'weather']);

    const edited = send(renamed.state, wire(draft(AGREED, EDITED, 1)), sthlmComm);
    expect(edited.error).toBeNull();
    const v2 = messageIn(edited.state, AGREED).versions[1];
    expect([v2?.incidentTitle, v2?.incidentKind]).toEqual(['Strömavbrott efter stormen', 'infrastructure']);
  });

  it('decides each of two concurrent edits of one version alike: the first saved wins, the second is stale', () => {
    const first = send(world, wire(draft(DRAFTED, EDITED, 1)), nackaComm);
    expect(first.error).toBeNull();
    const second = send(first.state, wire(draft(DRAFTED, CONTENT, 1)), regionComm);
    expect(second.error).toEqual({ code: 'stale', message: 'Version 2 of the message has been saved since' });
    expect(messageIn(second.state, DRAFTED).versions.map((v) => v.content)).toEqual([CONTENT, EDITED]);
  });
});
