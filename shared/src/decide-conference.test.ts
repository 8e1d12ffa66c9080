import { describe, expect, it } from 'vitest';
import { apply } from './apply.js';
import { COMMAND_TYPES, parseCommand, type Command } from './commands.js';
import { conferenceCommandPayloads } from './conference-commands.js';
import type { Minutes } from './conference-model.js';
import { decide } from './decide.js';
import type { EventDraft } from './events.js';
import { stateHash } from './hash.js';
import { LIMITS } from './limits.js';
import type { Attribution, State } from './model.js';
import type { ErrorCode, StaleDetails } from './result.js';
import {
  buildAcknowledgeCommand,
  buildActionItemRecordCommand,
  buildActionItemStatusCommand,
  buildActivateCommand,
  buildAttribution,
  buildCloseCommand,
  buildConferenceApproveMinutesCommand,
  buildConferenceAssessCommand,
  buildConferenceCloseCommand,
  buildConferenceOpenCommand,
  buildConferenceRescheduleCommand,
  buildConferenceRollCallCommand,
  buildConferenceRoundCommand,
  buildConferenceScheduleCommand,
  buildConferenceSetNextCommand,
  buildConferenceStepCommand,
  buildEvent,
  buildNeedSettleCommand,
  buildOfferAnswerCommand,
  buildOfferMakeCommand,
  buildReportCommand,
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

// The conference commands against one region folded through the real `decide` and `apply`.
// Every expected answer is written out by hand from the history below.

const region = stockholmRegion();
const m = minutesAfterNow;
/** The same instant written in Stockholm summer time (+02:00), as a client in Sweden may send it. */
const inStockholm = (iso: string): string =>
  new Date(Date.parse(iso) + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
/** The hub's time for every decision below: after the whole history. */
const NOW = m(30);

const leadTib = buildAttribution();
const leadCoord = buildAttribution({
  userId: 'user-lansstyrelsen-coord',
  userName: 'Lars Lund',
  functionId: 'coordinator',
});
const nackaTib = buildAttribution({ userId: 'user-nacka-tib', userName: 'Nils Nord', actorId: 'nacka' });
const polisCoord = buildAttribution({
  userId: 'user-polisen',
  userName: 'Per Polis',
  actorId: 'polisen',
  functionId: 'coordinator',
});
const sosTib = buildAttribution({ userId: 'user-sos', userName: 'Sara Sos', actorId: 'sos-alarm' });
const healthTib = buildAttribution({
  userId: 'user-region',
  userName: 'Hanna Hälsa',
  actorId: 'region-stockholm',
});

const INCIDENT = testUuid(1);
const REQUESTED = testUuid(2);
const CLOSED_INCIDENT = testUuid(3);
const NACKA_OLD = testUuid(10);
const NACKA_REPORT = testUuid(11);
const POLIS_OLD = testUuid(12);
const POLIS_OWN = testUuid(13);
const HEALTH_REPORT = testUuid(14);
const SOS_REPORT = testUuid(15);
const OFFER = testUuid(20);
const ANSWERED = testUuid(21);
/** Incident conference, held and closed, minutes not yet approved. */
const EARLIER = testUuid(30);
/** Incident conference running now, at the rounds. */
const OPEN = testUuid(31);
/** Incident conference scheduled for later, with a dial-in. */
const SCHEDULED = testUuid(32);
/** Ordinary-mode weekly conference, held, minutes approved. */
const ORDINARY = testUuid(33);
/** Its next occurrence, scheduled by its recurrence rule when it closed. */
const NEXT_ORDINARY = testUuid(34);
/** Ordinary-mode conference Nacka convened, scheduled for later. */
const NACKA_MEETING = testUuid(35);
const ITEM = testUuid(40);
const ITEM_DONE = testUuid(41);
const ITEM_CANCELLED = testUuid(42);
const ITEM_EARLIER = testUuid(43);
const NEW = testUuid(50);
const UNKNOWN = testUuid(99);

const DIAL_IN = 'Teams: meet.example/ssr, PIN 1234';
const WEEKLY = { weekday: 2, time: '09:00' };
/** The Tuesday after 1 May 2024, 09:00 in Stockholm (summer time, UTC+2). */
const NEXT_TUESDAY_0900 = '2024-05-07T07:00:00.000Z';
const ASSESSMENT = {
  situation: 'Storm over the archipelago',
  expectedDevelopment: 'Easing after midnight',
  consequences: 'Power cuts',
  uncertainties: '',
};

const history: Step[] = [
  {
    command: buildActivateCommand({
      incidentId: INCIDENT,
      summonedActorIds: ['nacka', 'polisen'],
      nextConferenceAt: null,
      area: null,
    }),
    by: leadTib,
    at: m(1),
  },
  { command: buildRequestCommand({ incidentId: REQUESTED }), by: nackaTib, at: m(1) },
  {
    command: buildActivateCommand({ incidentId: CLOSED_INCIDENT, summonedActorIds: ['nacka'], area: null }),
    by: leadTib,
    at: m(1),
  },
  { command: buildCloseCommand({ incidentId: CLOSED_INCIDENT }), by: leadTib, at: m(2) },
  { command: buildAcknowledgeCommand({ incidentId: INCIDENT }), by: nackaTib, at: m(2) },
  {
    command: buildReportCommand({ reportId: NACKA_OLD, incidentId: INCIDENT, needs: 'Sandbags' }),
    by: nackaTib,
    at: m(3),
  },
  {
    command: buildReportCommand({ reportId: POLIS_OLD, incidentId: INCIDENT, needs: 'Traffic control' }),
    by: polisCoord,
    at: m(3),
  },
  { command: buildReportCommand({ reportId: NACKA_REPORT, incidentId: INCIDENT }), by: nackaTib, at: m(4) },
  {
    command: buildReportCommand({
      reportId: POLIS_OWN,
      incidentId: INCIDENT,
      needs: 'Dog patrols',
      status: 'severe',
      sharing: { scope: 'own' },
    }),
    by: polisCoord,
    at: m(4),
  },
  {
    command: buildReportCommand({
      reportId: HEALTH_REPORT,
      incidentId: INCIDENT,
      needs: 'Ambulances',
      status: 'normal',
    }),
    by: healthTib,
    at: m(4),
  },
  {
    command: buildReportCommand({ reportId: SOS_REPORT, incidentId: INCIDENT, needs: '' }),
    by: sosTib,
    at: m(4),
  },
  {
    command: buildNeedSettleCommand({ incidentId: INCIDENT, reportId: HEALTH_REPORT, coverage: 'covered' }),
    by: healthTib,
    at: m(5),
  },
  {
    command: buildOfferMakeCommand({ offerId: OFFER, incidentId: INCIDENT, reportId: NACKA_REPORT }),
    by: polisCoord,
    at: m(5),
  },
  {
    command: buildOfferMakeCommand({ offerId: ANSWERED, incidentId: INCIDENT, reportId: NACKA_REPORT }),
    by: sosTib,
    at: m(5),
  },
  { command: buildOfferAnswerCommand({ offerId: ANSWERED, answer: 'accepted' }), by: nackaTib, at: m(6) },
  // The first conference: held and closed, its minutes still to approve.
  {
    command: buildConferenceScheduleCommand({
      conferenceId: EARLIER,
      incidentId: INCIDENT,
      title: 'Konferens 1',
      scheduledAt: m(10),
    }),
    by: leadTib,
    at: m(6),
  },
  { command: buildConferenceOpenCommand({ conferenceId: EARLIER }), by: leadTib, at: m(7) },
  {
    command: buildConferenceRollCallCommand({ conferenceId: EARLIER, actorId: 'nacka' }),
    by: nackaTib,
    at: m(7),
  },
  {
    command: buildConferenceRollCallCommand({
      conferenceId: EARLIER,
      actorId: 'polisen',
      presence: 'represented',
      representedBy: { actorId: 'stockholm', functionId: 'coordinator' },
    }),
    by: leadTib,
    at: m(7),
  },
  {
    command: buildConferenceRollCallCommand({ conferenceId: EARLIER, actorId: 'lansstyrelsen' }),
    by: leadTib,
    at: m(7),
  },
  {
    command: buildConferenceRoundCommand({ conferenceId: EARLIER, actorId: 'nacka' }),
    by: leadTib,
    at: m(8),
  },
  {
    command: buildConferenceAssessCommand({ conferenceId: EARLIER, ...ASSESSMENT }),
    by: leadTib,
    at: m(8),
  },
  {
    command: buildActionItemRecordCommand({
      itemId: ITEM_EARLIER,
      conferenceId: EARLIER,
      text: 'Polisen closes Värmdöleden',
      ownerActorId: 'polisen',
      dueAt: m(60),
    }),
    by: leadTib,
    at: m(8),
  },
  { command: buildConferenceCloseCommand({ conferenceId: EARLIER }), by: leadTib, at: m(9) },
  // The second: running now, at the rounds, with a next time and three items.
  {
    command: buildConferenceScheduleCommand({
      conferenceId: OPEN,
      incidentId: INCIDENT,
      title: 'Konferens 2',
      scheduledAt: m(20),
    }),
    by: leadTib,
    at: m(10),
  },
  { command: buildConferenceOpenCommand({ conferenceId: OPEN }), by: leadCoord, at: m(11) },
  { command: buildConferenceStepCommand({ conferenceId: OPEN }), by: leadCoord, at: m(11) },
  {
    command: buildConferenceStepCommand({
      conferenceId: OPEN,
      fromStep: 'convenerPicture',
      toStep: 'rounds',
    }),
    by: leadCoord,
    at: m(12),
  },
  {
    command: buildConferenceRollCallCommand({ conferenceId: OPEN, actorId: 'nacka' }),
    by: nackaTib,
    at: m(12),
  },
  {
    command: buildConferenceRoundCommand({ conferenceId: OPEN, actorId: 'nacka' }),
    by: leadCoord,
    at: m(13),
  },
  { command: buildConferenceAssessCommand({ conferenceId: OPEN, baseVersion: 0 }), by: leadCoord, at: m(13) },
  {
    command: buildConferenceSetNextCommand({ conferenceId: OPEN, nextConferenceAt: m(180) }),
    by: leadCoord,
    at: m(14),
  },
  {
    command: buildActionItemRecordCommand({ itemId: ITEM, conferenceId: OPEN, ownerActorId: 'nacka' }),
    by: leadCoord,
    at: m(14),
  },
  {
    command: buildActionItemRecordCommand({
      itemId: ITEM_DONE,
      conferenceId: OPEN,
      kind: 'action',
      text: 'Polisen reports the road closures',
      ownerActorId: 'polisen',
    }),
    by: leadCoord,
    at: m(14),
  },
  {
    command: buildActionItemRecordCommand({
      itemId: ITEM_CANCELLED,
      conferenceId: OPEN,
      kind: 'action',
      text: 'Nacka books buses',
      ownerActorId: 'nacka',
    }),
    by: leadCoord,
    at: m(14),
  },
  { command: buildActionItemStatusCommand({ itemId: ITEM_DONE, status: 'done' }), by: polisCoord, at: m(15) },
  {
    command: buildActionItemStatusCommand({ itemId: ITEM_CANCELLED, status: 'cancelled' }),
    by: leadCoord,
    at: m(15),
  },
  // The third: called for later, with a dial-in.
  {
    command: buildConferenceScheduleCommand({
      conferenceId: SCHEDULED,
      incidentId: INCIDENT,
      title: 'Konferens 3',
      scheduledAt: m(120),
      dialIn: DIAL_IN,
    }),
    by: leadTib,
    at: m(16),
  },
  // The weekly ordinary-mode conference: held, closed (its next occurrence scheduled), approved.
  {
    command: buildConferenceScheduleCommand({
      conferenceId: ORDINARY,
      incidentId: null,
      title: 'Veckokonferens',
      scheduledAt: m(18),
      summonedActorIds: ['nacka', 'polisen'],
      recurrence: WEEKLY,
    }),
    by: leadTib,
    at: m(17),
  },
  { command: buildConferenceOpenCommand({ conferenceId: ORDINARY }), by: leadTib, at: m(18) },
  {
    command: buildConferenceRollCallCommand({ conferenceId: ORDINARY, actorId: 'polisen' }),
    by: polisCoord,
    at: m(18),
  },
  {
    command: buildConferenceRoundCommand({
      conferenceId: ORDINARY,
      actorId: 'polisen',
      note: 'Nothing to report',
    }),
    by: leadTib,
    at: m(19),
  },
  {
    command: buildConferenceCloseCommand({ conferenceId: ORDINARY, nextConferenceId: NEXT_ORDINARY }),
    by: leadTib,
    at: m(19),
  },
  { command: buildConferenceApproveMinutesCommand({ conferenceId: ORDINARY }), by: leadTib, at: m(20) },
  // The municipalities' own meeting, convened by Nacka.
  {
    command: buildConferenceScheduleCommand({
      conferenceId: NACKA_MEETING,
      incidentId: null,
      title: 'Kommunernas möte',
      scheduledAt: m(200),
      convenerActorId: 'nacka',
      summonedActorIds: ['stockholm'],
    }),
    by: nackaTib,
    at: m(21),
  },
];

const world: State = deepFreeze(runCommands(history).state);

/** Every command goes through the real parser first: the refusals are domain rules, not schema errors. */
function valid(command: Command): Command {
  const parsed = parseCommand(JSON.parse(JSON.stringify(command)));
  if (!parsed.ok) throw new Error(`test command is invalid: ${parsed.message}`);
  return parsed.command;
}

/**
 * Sends a wire command as the hub takes it: parsed, decided, and folded at the next seqs.
 * Returns the state after, and the refusal if there was one.
 */
function send(state: State, input: unknown, by: Attribution) {
  const parsed = parseCommand(input);
  if (!parsed.ok) return { state, error: { code: parsed.code, message: parsed.message } };
  const decision = decide(state, parsed.command, by, NOW, region);
  if (!decision.ok) return { state, error: decision.error };
  const after = decision.data.reduce(
    (s, draft, i) =>
      apply(s, buildEvent(draft, { seq: 1000 + i, at: NOW, by, commandId: parsed.command.id })),
    state,
  );
  return { state: after, error: null };
}

const wire = (command: Command): unknown => JSON.parse(JSON.stringify(command));

/** The minutes of the weekly conference as approved (version 1), written out by hand. */
const ORDINARY_MINUTES: Minutes = {
  conferenceId: ORDINARY,
  incidentId: null,
  incidentTitle: '',
  title: 'Veckokonferens',
  convenerActorId: 'lansstyrelsen',
  scheduledAt: m(18),
  openedAt: m(18),
  closedAt: m(19),
  participants: [
    { actorId: 'lansstyrelsen', presence: null, representedBy: null, acknowledged: true },
    { actorId: 'nacka', presence: null, representedBy: null, acknowledged: true },
    { actorId: 'polisen', presence: 'present', representedBy: null, acknowledged: true },
  ],
  rounds: [
    { actorId: 'lansstyrelsen', reported: false, note: '', reportId: null, status: null },
    { actorId: 'nacka', reported: false, note: '', reportId: null, status: null },
    { actorId: 'polisen', reported: true, note: 'Nothing to report', reportId: null, status: null },
  ],
  assessment: null,
  decisions: [],
  nextConferenceAt: NEXT_TUESDAY_0900,
};

type Refusal = {
  name: string;
  command: Command;
  by: Attribution;
  code: ErrorCode;
  message: string;
  stale?: StaleDetails;
};

const notChair =
  "Only the chair (the convening actor, or the region's lead actor) may do this at the conference";
const approved = 'The minutes are approved; correct them as a new version';

const refusals: Refusal[] = [
  // conference.schedule
  {
    name: 'conference.schedule refuses an id that is already taken',
    command: buildConferenceScheduleCommand({ conferenceId: SCHEDULED, incidentId: INCIDENT }),
    by: leadTib,
    code: 'conflict',
    message: 'A conference with this id already exists',
  },
  {
    name: 'conference.schedule refuses an unknown incident',
    command: buildConferenceScheduleCommand({ incidentId: UNKNOWN }),
    by: leadTib,
    code: 'not_found',
    message: 'No such incident',
  },
  {
    name: 'conference.schedule refuses a closed incident',
    command: buildConferenceScheduleCommand({ incidentId: CLOSED_INCIDENT }),
    by: leadTib,
    code: 'conflict',
    message: 'The incident is closed',
  },
  {
    name: 'conference.schedule refuses a request that is not yet active',
    command: buildConferenceScheduleCommand({ incidentId: REQUESTED }),
    by: leadTib,
    code: 'conflict',
    message: 'The incident is not active',
  },
  {
    name: "conference.schedule refuses a recurrence for an incident's conference",
    command: buildConferenceScheduleCommand({ incidentId: INCIDENT, recurrence: WEEKLY }),
    by: leadTib,
    code: 'bad_request',
    message: "Only an ordinary-mode conference recurs; an incident's conferences do not",
  },
  {
    name: 'conference.schedule refuses to summon actors the region does not have',
    command: buildConferenceScheduleCommand({ incidentId: null, summonedActorIds: ['nacka', 'atlantis'] }),
    by: leadTib,
    code: 'bad_request',
    message: 'Unknown actor(s): atlantis',
  },
  {
    name: 'conference.schedule refuses a convener the region does not have',
    command: buildConferenceScheduleCommand({ incidentId: null, convenerActorId: 'gotham' }),
    by: leadTib,
    code: 'bad_request',
    message: 'Unknown actor(s): gotham',
  },
  {
    name: 'conference.schedule refuses to let one actor call a conference for another to chair',
    command: buildConferenceScheduleCommand({ incidentId: INCIDENT, convenerActorId: 'polisen' }),
    by: nackaTib,
    code: 'forbidden',
    message: "Only the convening actor or the region's lead actor may call a conference",
  },
  {
    name: "conference.schedule refuses a convener outside the incident: it cannot block the incident's conference",
    command: buildConferenceScheduleCommand({ incidentId: INCIDENT, convenerActorId: 'sos-alarm' }),
    by: sosTib,
    code: 'bad_request',
    message: 'sos-alarm is not summoned to this incident, so cannot convene its conference',
  },
  // conference.reschedule
  {
    name: 'conference.reschedule refuses the same time written with another offset',
    command: {
      id: testUuid(502),
      type: 'conference.reschedule',
      payload: { conferenceId: SCHEDULED, scheduledAt: inStockholm(m(120)) },
    },
    by: leadTib,
    code: 'conflict',
    message: 'The conference already has that time and dial-in',
  },
  {
    name: 'conference.reschedule refuses an unknown conference',
    command: buildConferenceRescheduleCommand({ conferenceId: UNKNOWN }),
    by: leadTib,
    code: 'not_found',
    message: 'No such conference',
  },
  {
    name: 'conference.reschedule refuses a sender who does not chair it',
    command: buildConferenceRescheduleCommand({ conferenceId: SCHEDULED }),
    by: nackaTib,
    code: 'forbidden',
    message: notChair,
  },
  {
    name: 'conference.reschedule refuses a conference that has opened',
    command: buildConferenceRescheduleCommand({ conferenceId: OPEN }),
    by: leadTib,
    code: 'conflict',
    message: 'The conference has already opened',
  },
  {
    name: 'conference.reschedule refuses a closed conference',
    command: buildConferenceRescheduleCommand({ conferenceId: EARLIER }),
    by: leadTib,
    code: 'conflict',
    message: 'The conference is closed',
  },
  {
    name: 'conference.reschedule refuses a change of nothing',
    command: { id: testUuid(500), type: 'conference.reschedule', payload: { conferenceId: SCHEDULED } },
    by: leadTib,
    code: 'bad_request',
    message: 'Nothing to change: give a new time or dial-in',
  },
  {
    name: 'conference.reschedule refuses the time and dial-in it already has',
    command: buildConferenceRescheduleCommand({
      conferenceId: SCHEDULED,
      scheduledAt: m(120),
      dialIn: DIAL_IN,
    }),
    by: leadTib,
    code: 'conflict',
    message: 'The conference already has that time and dial-in',
  },
  // conference.open
  {
    name: 'conference.open refuses an unknown conference',
    command: buildConferenceOpenCommand({ conferenceId: UNKNOWN }),
    by: leadTib,
    code: 'not_found',
    message: 'No such conference',
  },
  {
    name: 'conference.open refuses a sender who does not chair it',
    command: buildConferenceOpenCommand({ conferenceId: NEXT_ORDINARY }),
    by: polisCoord,
    code: 'forbidden',
    message: notChair,
  },
  {
    name: 'conference.open refuses an actor that neither convened it nor leads the region',
    command: buildConferenceOpenCommand({ conferenceId: NACKA_MEETING }),
    by: polisCoord,
    code: 'forbidden',
    message: notChair,
  },
  {
    name: 'conference.open refuses a conference that is already open',
    command: buildConferenceOpenCommand({ conferenceId: OPEN }),
    by: leadTib,
    code: 'conflict',
    message: 'The conference is already open',
  },
  {
    name: 'conference.open refuses a closed conference',
    command: buildConferenceOpenCommand({ conferenceId: EARLIER }),
    by: leadTib,
    code: 'conflict',
    message: 'The conference is closed',
  },
  {
    name: 'conference.open refuses a second running conference of one incident',
    command: buildConferenceOpenCommand({ conferenceId: SCHEDULED }),
    by: leadTib,
    code: 'conflict',
    message: 'Another conference of this incident is open ("Konferens 2"): close it first',
  },
  // conference.step
  {
    name: 'conference.step refuses a conference that is not open',
    command: buildConferenceStepCommand({ conferenceId: SCHEDULED }),
    by: leadTib,
    code: 'conflict',
    message: 'The conference has not opened yet',
  },
  {
    name: 'conference.step refuses a sender who does not chair it',
    command: buildConferenceStepCommand({ conferenceId: OPEN, fromStep: 'rounds', toStep: 'assessment' }),
    by: nackaTib,
    code: 'forbidden',
    message: notChair,
  },
  {
    name: 'conference.step refuses a step from a screen that had not seen the last one',
    command: buildConferenceStepCommand({
      conferenceId: OPEN,
      fromStep: 'convenerPicture',
      toStep: 'rounds',
    }),
    by: leadTib,
    code: 'conflict',
    message: 'The conference has moved to step rounds since',
  },
  {
    name: 'conference.step refuses a step out of order (skipping ahead)',
    command: buildConferenceStepCommand({ conferenceId: OPEN, fromStep: 'rounds', toStep: 'directives' }),
    by: leadTib,
    code: 'bad_request',
    message: 'Steps run in order: the next step after rounds is assessment',
  },
  {
    name: 'conference.step refuses a step to where it is',
    command: buildConferenceStepCommand({ conferenceId: OPEN, fromStep: 'rounds', toStep: 'rounds' }),
    by: leadTib,
    code: 'bad_request',
    message: 'The conference is already at step rounds',
  },
  // conference.rollCall
  {
    name: 'conference.rollCall refuses an actor not summoned',
    command: buildConferenceRollCallCommand({ conferenceId: OPEN, actorId: 'sos-alarm' }),
    by: leadTib,
    code: 'bad_request',
    message: 'sos-alarm is not summoned to this conference',
  },
  {
    name: "conference.rollCall refuses another actor's roll call from one who does not chair",
    command: buildConferenceRollCallCommand({ conferenceId: OPEN, actorId: 'polisen' }),
    by: nackaTib,
    code: 'forbidden',
    message: 'The chair takes the roll call; your actor may only say "present" for itself',
  },
  {
    name: 'conference.rollCall refuses an actor marking itself absent',
    command: buildConferenceRollCallCommand({ conferenceId: OPEN, actorId: 'nacka', presence: 'absent' }),
    by: nackaTib,
    code: 'forbidden',
    message: 'The chair takes the roll call; your actor may only say "present" for itself',
  },
  {
    name: 'conference.rollCall refuses "represented" without saying by whom',
    command: buildConferenceRollCallCommand({
      conferenceId: OPEN,
      actorId: 'polisen',
      presence: 'represented',
    }),
    by: leadTib,
    code: 'bad_request',
    message: 'Say which actor, in which function, represents the absent one',
  },
  {
    name: 'conference.rollCall refuses an actor represented by itself',
    command: buildConferenceRollCallCommand({
      conferenceId: OPEN,
      actorId: 'polisen',
      presence: 'represented',
      representedBy: { actorId: 'polisen', functionId: 'coordinator' },
    }),
    by: leadTib,
    code: 'bad_request',
    message: 'An actor cannot represent itself: mark it present',
  },
  {
    name: 'conference.rollCall refuses a representative the region does not have',
    command: buildConferenceRollCallCommand({
      conferenceId: OPEN,
      actorId: 'polisen',
      presence: 'represented',
      representedBy: { actorId: 'atlantis', functionId: 'coordinator' },
    }),
    by: leadTib,
    code: 'bad_request',
    message: 'Unknown actor(s): atlantis',
  },
  {
    name: 'conference.rollCall refuses a representative in a function the region does not have',
    command: buildConferenceRollCallCommand({
      conferenceId: OPEN,
      actorId: 'polisen',
      presence: 'represented',
      representedBy: { actorId: 'stockholm', functionId: 'mayor' },
    }),
    by: leadTib,
    code: 'bad_request',
    message: 'Unknown function: mayor',
  },
  {
    name: 'conference.rollCall refuses a representative for an actor that is present',
    command: buildConferenceRollCallCommand({
      conferenceId: OPEN,
      actorId: 'polisen',
      representedBy: { actorId: 'stockholm', functionId: 'coordinator' },
    }),
    by: leadTib,
    code: 'bad_request',
    message: 'Only a represented actor names who represents it',
  },
  {
    name: 'conference.rollCall refuses a conference that has not opened',
    command: buildConferenceRollCallCommand({ conferenceId: SCHEDULED }),
    by: nackaTib,
    code: 'conflict',
    message: 'The conference has not opened yet',
  },
  {
    name: 'conference.rollCall refuses an edit of approved minutes',
    command: buildConferenceRollCallCommand({ conferenceId: ORDINARY, actorId: 'nacka', presence: 'absent' }),
    by: leadTib,
    code: 'conflict',
    message: approved,
  },
  // conference.round
  {
    name: 'conference.round refuses a sender who does not chair it',
    command: buildConferenceRoundCommand({ conferenceId: OPEN }),
    by: nackaTib,
    code: 'forbidden',
    message: notChair,
  },
  {
    name: 'conference.round refuses an actor not summoned',
    command: buildConferenceRoundCommand({ conferenceId: OPEN, actorId: 'sos-alarm' }),
    by: leadTib,
    code: 'bad_request',
    message: 'sos-alarm is not summoned to this conference',
  },
  {
    name: 'conference.round refuses a closed conference',
    command: buildConferenceRoundCommand({ conferenceId: EARLIER }),
    by: leadTib,
    code: 'conflict',
    message: 'The conference is closed',
  },
  {
    name: 'conference.round refuses an edit of approved minutes',
    command: buildConferenceRoundCommand({ conferenceId: ORDINARY, actorId: 'polisen', note: 'Rewritten' }),
    by: leadTib,
    code: 'conflict',
    message: approved,
  },
  // conference.assess
  {
    name: 'conference.assess refuses an assessment with nothing written',
    command: buildConferenceAssessCommand({
      conferenceId: OPEN,
      situation: ' ',
      expectedDevelopment: '',
      consequences: '',
      uncertainties: '\n',
    }),
    by: leadTib,
    code: 'bad_request',
    message: 'Write at least one part of the assessment',
  },
  {
    name: 'conference.assess refuses an assessment written over an older version',
    command: buildConferenceAssessCommand({ conferenceId: OPEN, baseVersion: 0 }),
    by: leadTib,
    code: 'conflict',
    message: 'The assessment has been changed since version 0; it is at version 1 now',
  },
  {
    name: 'conference.assess refuses a sender who does not chair it',
    command: buildConferenceAssessCommand({ conferenceId: OPEN }),
    by: polisCoord,
    code: 'forbidden',
    message: notChair,
  },
  {
    name: 'conference.assess refuses an edit of approved minutes',
    command: buildConferenceAssessCommand({ conferenceId: ORDINARY }),
    by: leadTib,
    code: 'conflict',
    message: approved,
  },
  // conference.setNext
  {
    name: 'conference.setNext refuses a conference that has not opened',
    command: buildConferenceSetNextCommand({ conferenceId: SCHEDULED }),
    by: leadTib,
    code: 'conflict',
    message: 'The conference has not opened yet',
  },
  {
    name: 'conference.setNext refuses a time more than five minutes past',
    command: buildConferenceSetNextCommand({ conferenceId: OPEN, nextConferenceAt: m(24) }),
    by: leadTib,
    code: 'bad_request',
    message: 'The next conference cannot be in the past',
  },
  {
    name: 'conference.setNext refuses a closed conference: its next conference is moved itself',
    command: buildConferenceSetNextCommand({ conferenceId: EARLIER, nextConferenceAt: null }),
    by: leadTib,
    code: 'conflict',
    message: 'The conference is closed; move the next conference itself',
  },
  {
    name: 'conference.setNext refuses a sender who does not chair it',
    command: buildConferenceSetNextCommand({ conferenceId: OPEN }),
    by: nackaTib,
    code: 'forbidden',
    message: notChair,
  },
  {
    name: 'conference.setNext refuses an edit of approved minutes',
    command: buildConferenceSetNextCommand({ conferenceId: ORDINARY }),
    by: leadTib,
    code: 'conflict',
    message: approved,
  },
  // conference.close
  {
    name: 'conference.close refuses a conference that has not opened',
    command: buildConferenceCloseCommand({ conferenceId: SCHEDULED }),
    by: leadTib,
    code: 'conflict',
    message: 'The conference has not opened yet',
  },
  {
    name: 'conference.close refuses a conference that is already closed',
    command: buildConferenceCloseCommand({ conferenceId: EARLIER }),
    by: leadTib,
    code: 'conflict',
    message: 'The conference is already closed',
  },
  {
    name: 'conference.close refuses a next conference id that is already taken',
    command: buildConferenceCloseCommand({ conferenceId: OPEN, nextConferenceId: SCHEDULED }),
    by: leadTib,
    code: 'conflict',
    message: 'A conference with this id already exists',
  },
  {
    name: 'conference.close refuses a sender who does not chair it',
    command: buildConferenceCloseCommand({ conferenceId: OPEN }),
    by: polisCoord,
    code: 'forbidden',
    message: notChair,
  },
  // conference.approveMinutes
  {
    name: 'conference.approveMinutes refuses a conference still running',
    command: buildConferenceApproveMinutesCommand({ conferenceId: OPEN }),
    by: leadTib,
    code: 'conflict',
    message: 'Close the conference first',
  },
  {
    name: 'conference.approveMinutes refuses a version approved since',
    command: buildConferenceApproveMinutesCommand({ conferenceId: ORDINARY, version: 1 }),
    by: leadTib,
    code: 'conflict',
    message: 'Version 1 of the minutes was approved since',
  },
  {
    name: 'conference.approveMinutes refuses to skip a version',
    command: buildConferenceApproveMinutesCommand({ conferenceId: ORDINARY, version: 3, correction: 'x' }),
    by: leadTib,
    code: 'bad_request',
    message: 'The next version of the minutes is 2',
  },
  {
    name: 'conference.approveMinutes refuses corrections in the first version',
    command: buildConferenceApproveMinutesCommand({
      conferenceId: EARLIER,
      correction: 'Better wording',
      roundNotes: { nacka: 'Better' },
    }),
    by: leadTib,
    code: 'bad_request',
    message: 'The first version of the minutes is approved as generated; corrections come as later versions',
  },
  {
    name: 'conference.approveMinutes refuses a correction that does not say what it changes',
    command: buildConferenceApproveMinutesCommand({
      conferenceId: ORDINARY,
      version: 2,
      correction: '  ',
      roundNotes: { nacka: 'Absent, sent apologies' },
    }),
    by: leadTib,
    code: 'bad_request',
    message: 'Say what the correction changes',
  },
  {
    name: 'conference.approveMinutes refuses a round note for an actor not summoned',
    command: buildConferenceApproveMinutesCommand({
      conferenceId: ORDINARY,
      version: 2,
      correction: 'SOS Alarm spoke too',
      roundNotes: { 'sos-alarm': 'Calls doubled' },
    }),
    by: leadTib,
    code: 'bad_request',
    message: 'sos-alarm is not summoned to this conference',
  },
  {
    name: 'conference.approveMinutes refuses a roll-call correction for an actor not summoned',
    command: buildConferenceApproveMinutesCommand({
      conferenceId: ORDINARY,
      version: 2,
      correction: 'SOS Alarm was there',
      participants: { 'sos-alarm': { presence: 'present', representedBy: null } },
    }),
    by: leadTib,
    code: 'bad_request',
    message: 'sos-alarm is not summoned to this conference',
  },
  {
    name: 'conference.approveMinutes refuses a represented actor without its representative',
    command: buildConferenceApproveMinutesCommand({
      conferenceId: ORDINARY,
      version: 2,
      correction: 'Nacka was represented',
      participants: { nacka: { presence: 'represented', representedBy: null } },
    }),
    by: leadTib,
    code: 'bad_request',
    message: 'Say which actor, in which function, represents the absent one',
  },
  {
    name: 'conference.approveMinutes refuses a correction of a decision the minutes do not record',
    command: buildConferenceApproveMinutesCommand({
      conferenceId: ORDINARY,
      version: 2,
      correction: 'The decision was Polisen’s',
      decisions: { [ITEM]: { ownerActorId: 'polisen' } },
    }),
    by: leadTib,
    code: 'bad_request',
    message: `The minutes record no decision or action item ${ITEM}`,
  },
  {
    name: 'conference.approveMinutes refuses a correction that changes nothing',
    command: buildConferenceApproveMinutesCommand({
      conferenceId: ORDINARY,
      version: 2,
      correction: 'Polisen had nothing to report',
      roundNotes: { polisen: 'Nothing to report' },
      nextConferenceAt: inStockholm(NEXT_TUESDAY_0900),
    }),
    by: leadTib,
    code: 'conflict',
    message: 'The correction changes nothing',
  },
  {
    name: 'conference.approveMinutes refuses a first version with a corrected next time',
    command: buildConferenceApproveMinutesCommand({ conferenceId: EARLIER, nextConferenceAt: m(200) }),
    by: leadTib,
    code: 'bad_request',
    message: 'The first version of the minutes is approved as generated; corrections come as later versions',
  },
  {
    name: 'conference.approveMinutes refuses a sender who does not chair it',
    command: buildConferenceApproveMinutesCommand({ conferenceId: EARLIER }),
    by: nackaTib,
    code: 'forbidden',
    message: notChair,
  },
  // actionItem.record
  {
    name: 'actionItem.record refuses an unknown conference',
    command: buildActionItemRecordCommand({ conferenceId: UNKNOWN }),
    by: leadTib,
    code: 'not_found',
    message: 'No such conference',
  },
  {
    name: 'actionItem.record refuses an edit of approved minutes',
    command: buildActionItemRecordCommand({ conferenceId: ORDINARY }),
    by: leadTib,
    code: 'conflict',
    message: approved,
  },
  {
    name: 'actionItem.record refuses a conference that has not opened',
    command: buildActionItemRecordCommand({ conferenceId: SCHEDULED }),
    by: leadTib,
    code: 'conflict',
    message: 'The conference has not opened yet',
  },
  {
    name: 'actionItem.record refuses an id that is already taken',
    command: buildActionItemRecordCommand({ conferenceId: OPEN, itemId: ITEM_EARLIER }),
    by: leadTib,
    code: 'conflict',
    message: 'An action item with this id already exists',
  },
  {
    name: 'actionItem.record refuses an owner the region does not have',
    command: buildActionItemRecordCommand({ conferenceId: OPEN, ownerActorId: 'atlantis' }),
    by: leadTib,
    code: 'bad_request',
    message: 'Unknown actor(s): atlantis',
  },
  {
    name: 'actionItem.record refuses a sender who does not chair it',
    command: buildActionItemRecordCommand({ conferenceId: OPEN }),
    by: nackaTib,
    code: 'forbidden',
    message: notChair,
  },
  // actionItem.setStatus
  {
    name: 'actionItem.setStatus refuses an unknown item',
    command: buildActionItemStatusCommand({ itemId: UNKNOWN }),
    by: nackaTib,
    code: 'not_found',
    message: 'No such action item',
  },
  {
    name: "actionItem.setStatus refuses another actor's item",
    command: buildActionItemStatusCommand({ itemId: ITEM }),
    by: polisCoord,
    code: 'forbidden',
    message: 'Only the owner actor or the chair may change this item',
  },
  {
    name: 'actionItem.setStatus refuses an owner cancelling its item',
    command: buildActionItemStatusCommand({ itemId: ITEM, status: 'cancelled' }),
    by: nackaTib,
    code: 'forbidden',
    message: 'Only the chair may cancel an item or reopen a cancelled one',
  },
  {
    name: 'actionItem.setStatus refuses an owner reopening a cancelled item',
    command: buildActionItemStatusCommand({ itemId: ITEM_CANCELLED, status: 'open' }),
    by: nackaTib,
    code: 'forbidden',
    message: 'Only the chair may cancel an item or reopen a cancelled one',
  },
  {
    name: 'actionItem.setStatus refuses the status the item has',
    command: buildActionItemStatusCommand({ itemId: ITEM_DONE, status: 'done' }),
    by: polisCoord,
    code: 'conflict',
    message: 'The item is already done',
  },
  // offer.make
  {
    name: 'offer.make refuses an offer on a covered need',
    command: buildOfferMakeCommand({
      incidentId: INCIDENT,
      needActorId: 'region-stockholm',
      reportId: HEALTH_REPORT,
    }),
    by: sosTib,
    code: 'conflict',
    message: 'The need is already covered',
  },
  {
    name: "offer.make refuses an offer on the sender's own need",
    command: buildOfferMakeCommand({ incidentId: INCIDENT, reportId: NACKA_REPORT }),
    by: nackaTib,
    code: 'bad_request',
    message: "Answer another actor's need",
  },
  {
    name: 'offer.make refuses a report other than the needing actor’s newest, with the newest',
    command: buildOfferMakeCommand({ incidentId: INCIDENT, reportId: NACKA_OLD }),
    by: sosTib,
    code: 'stale',
    message: 'nacka has reported since; answer the needs of its newest report',
    stale: { item: 'report', report: world.reports[NACKA_REPORT] as NonNullable<State['reports'][string]> },
  },
  {
    name: 'offer.make refuses a report not shared with the sender',
    command: buildOfferMakeCommand({ incidentId: INCIDENT, needActorId: 'polisen', reportId: POLIS_OWN }),
    by: nackaTib,
    code: 'forbidden',
    message: 'The report is not shared with your actor',
  },
  {
    name: 'offer.make refuses an older report without showing the newer one the sender may not read',
    command: buildOfferMakeCommand({ incidentId: INCIDENT, needActorId: 'polisen', reportId: POLIS_OLD }),
    by: nackaTib,
    code: 'conflict',
    message: 'polisen has reported since, in a report not shared with your actor',
  },
  {
    name: 'offer.make refuses a report of another actor than the one named',
    command: buildOfferMakeCommand({ incidentId: INCIDENT, needActorId: 'polisen', reportId: NACKA_REPORT }),
    by: sosTib,
    code: 'bad_request',
    message: "The report is not polisen's report on this incident",
  },
  {
    name: 'offer.make refuses a report without needs',
    command: buildOfferMakeCommand({ incidentId: INCIDENT, needActorId: 'sos-alarm', reportId: SOS_REPORT }),
    by: nackaTib,
    code: 'bad_request',
    message: 'The report has no needs to answer',
  },
  {
    name: 'offer.make refuses a closed incident',
    command: buildOfferMakeCommand({ incidentId: CLOSED_INCIDENT, reportId: NACKA_REPORT }),
    by: sosTib,
    code: 'conflict',
    message: 'The incident is closed',
  },
  {
    name: 'offer.make refuses an id that is already taken',
    command: buildOfferMakeCommand({ offerId: OFFER, incidentId: INCIDENT, reportId: NACKA_REPORT }),
    by: sosTib,
    code: 'conflict',
    message: 'An offer with this id already exists',
  },
  {
    name: 'offer.make refuses an unknown report',
    command: buildOfferMakeCommand({ incidentId: INCIDENT, reportId: UNKNOWN }),
    by: sosTib,
    code: 'not_found',
    message: 'No such report',
  },
  // offer.answer
  {
    name: 'offer.answer refuses an unknown offer',
    command: buildOfferAnswerCommand({ offerId: UNKNOWN }),
    by: nackaTib,
    code: 'not_found',
    message: 'No such offer',
  },
  {
    name: 'offer.answer refuses an actor whose need the offer does not answer',
    command: buildOfferAnswerCommand({ offerId: OFFER }),
    by: polisCoord,
    code: 'forbidden',
    message: 'Only the actor whose need it answers may accept or decline an offer',
  },
  {
    name: 'offer.answer refuses an offer already answered',
    command: buildOfferAnswerCommand({ offerId: ANSWERED, answer: 'declined' }),
    by: nackaTib,
    code: 'conflict',
    message: 'The offer has already been accepted',
  },
  // need.settle
  {
    name: 'need.settle refuses an unknown report',
    command: buildNeedSettleCommand({ incidentId: INCIDENT, reportId: UNKNOWN }),
    by: nackaTib,
    code: 'not_found',
    message: 'No such report',
  },
  {
    name: "need.settle refuses another actor's need",
    command: buildNeedSettleCommand({ incidentId: INCIDENT, reportId: NACKA_REPORT }),
    by: polisCoord,
    code: 'forbidden',
    message: 'Only the actor whose need it is judges how far it is covered',
  },
  {
    name: 'need.settle refuses an older report, with the newest',
    command: buildNeedSettleCommand({ incidentId: INCIDENT, reportId: NACKA_OLD }),
    by: nackaTib,
    code: 'stale',
    message: 'Your actor has reported on this incident since; judge the needs of its newest report',
    stale: { item: 'report', report: world.reports[NACKA_REPORT] as NonNullable<State['reports'][string]> },
  },
  {
    name: 'need.settle refuses a report without needs',
    command: buildNeedSettleCommand({ incidentId: INCIDENT, reportId: SOS_REPORT }),
    by: sosTib,
    code: 'bad_request',
    message: 'The report has no needs to judge',
  },
  {
    name: 'need.settle refuses the judgement already made',
    command: buildNeedSettleCommand({ incidentId: INCIDENT, reportId: HEALTH_REPORT, coverage: 'covered' }),
    by: healthTib,
    code: 'conflict',
    message: 'The need is already judged so',
  },
];

type Acceptance = { name: string; command: Command; by: Attribution; events: EventDraft[] };

const SUMMONED = ['nacka', 'polisen', 'lansstyrelsen'];

const acceptances: Acceptance[] = [
  {
    name: "conference.schedule summons the incident's actors, sends the dial-in to them and sets the next time",
    command: buildConferenceScheduleCommand({
      conferenceId: NEW,
      incidentId: INCIDENT,
      title: 'Extra konferens',
      scheduledAt: m(60),
      dialIn: 'Rakel SSR-1',
    }),
    by: leadTib,
    events: [
      {
        type: 'conference.scheduled',
        payload: {
          conference: {
            id: NEW,
            incidentId: INCIDENT,
            title: 'Extra konferens',
            scheduledAt: m(60),
            convenerActorId: 'lansstyrelsen',
            summonedActorIds: SUMMONED,
            recurrence: null,
            previousConferenceId: null,
          },
        },
      },
      {
        type: 'conference.dialInSet',
        payload: { conferenceId: NEW, dialIn: 'Rakel SSR-1', summonedActorIds: SUMMONED },
      },
      { type: 'incident.updated', payload: { incidentId: INCIDENT, nextConferenceAt: m(60) } },
    ],
  },
  {
    name: "conference.schedule leaves the incident's next time when an earlier conference is scheduled",
    command: buildConferenceScheduleCommand({ conferenceId: NEW, incidentId: INCIDENT, scheduledAt: m(150) }),
    by: leadCoord,
    events: [
      {
        type: 'conference.scheduled',
        payload: {
          conference: {
            id: NEW,
            incidentId: INCIDENT,
            title: 'Samverkanskonferens',
            scheduledAt: m(150),
            convenerActorId: 'lansstyrelsen',
            summonedActorIds: SUMMONED,
            recurrence: null,
            previousConferenceId: null,
          },
        },
      },
    ],
  },
  {
    name: 'conference.schedule in ordinary mode summons the named actors and its convener, and may recur',
    command: buildConferenceScheduleCommand({
      conferenceId: NEW,
      incidentId: null,
      title: 'Kommunernas veckomöte',
      convenerActorId: 'nacka',
      summonedActorIds: ['stockholm', 'solna', 'stockholm'],
      recurrence: { weekday: 4, time: '13:00' },
    }),
    by: nackaTib,
    events: [
      {
        type: 'conference.scheduled',
        payload: {
          conference: {
            id: NEW,
            incidentId: null,
            title: 'Kommunernas veckomöte',
            scheduledAt: m(60),
            convenerActorId: 'nacka',
            summonedActorIds: ['stockholm', 'solna', 'nacka'],
            recurrence: { weekday: 4, time: '13:00' },
            previousConferenceId: null,
          },
        },
      },
    ],
  },
  {
    name: 'conference.schedule stores a time sent with an offset as UTC, and compares it as an instant',
    command: buildConferenceScheduleCommand({
      conferenceId: NEW,
      incidentId: INCIDENT,
      title: 'Extra konferens',
      scheduledAt: inStockholm(m(100)),
    }),
    by: leadTib,
    events: [
      {
        type: 'conference.scheduled',
        payload: {
          conference: {
            id: NEW,
            incidentId: INCIDENT,
            title: 'Extra konferens',
            scheduledAt: m(100),
            convenerActorId: 'lansstyrelsen',
            summonedActorIds: SUMMONED,
            recurrence: null,
            previousConferenceId: null,
          },
        },
      },
      { type: 'incident.updated', payload: { incidentId: INCIDENT, nextConferenceAt: m(100) } },
    ],
  },
  {
    name: 'conference.schedule lets a summoned actor convene the incident’s conference',
    command: buildConferenceScheduleCommand({
      conferenceId: NEW,
      incidentId: INCIDENT,
      convenerActorId: 'nacka',
      scheduledAt: m(150),
    }),
    by: nackaTib,
    events: [
      {
        type: 'conference.scheduled',
        payload: {
          conference: {
            id: NEW,
            incidentId: INCIDENT,
            title: 'Samverkanskonferens',
            scheduledAt: m(150),
            convenerActorId: 'nacka',
            summonedActorIds: SUMMONED,
            recurrence: null,
            previousConferenceId: null,
          },
        },
      },
    ],
  },
  {
    name: 'conference.reschedule moves the conference and the incident’s next time',
    command: buildConferenceRescheduleCommand({ conferenceId: SCHEDULED, scheduledAt: m(90) }),
    by: leadCoord,
    events: [
      { type: 'conference.rescheduled', payload: { conferenceId: SCHEDULED, scheduledAt: m(90) } },
      { type: 'incident.updated', payload: { incidentId: INCIDENT, nextConferenceAt: m(90) } },
    ],
  },
  {
    name: 'conference.reschedule changes only the dial-in, for the summoned',
    command: {
      id: testUuid(501),
      type: 'conference.reschedule',
      payload: { conferenceId: SCHEDULED, dialIn: 'Rakel SSR-2' },
    },
    by: leadTib,
    events: [
      {
        type: 'conference.dialInSet',
        payload: { conferenceId: SCHEDULED, dialIn: 'Rakel SSR-2', summonedActorIds: SUMMONED },
      },
    ],
  },
  {
    name: 'conference.open opens an ordinary-mode conference while an incident’s conference runs',
    command: buildConferenceOpenCommand({ conferenceId: NEXT_ORDINARY }),
    by: leadCoord,
    events: [{ type: 'conference.opened', payload: { conferenceId: NEXT_ORDINARY } }],
  },
  {
    name: "conference.open lets the region's lead actor open a conference another actor convened",
    command: buildConferenceOpenCommand({ conferenceId: NACKA_MEETING }),
    by: leadCoord,
    events: [{ type: 'conference.opened', payload: { conferenceId: NACKA_MEETING } }],
  },
  {
    name: 'conference.step moves one step forward',
    command: buildConferenceStepCommand({ conferenceId: OPEN, fromStep: 'rounds', toStep: 'assessment' }),
    by: leadTib,
    events: [{ type: 'conference.stepped', payload: { conferenceId: OPEN, step: 'assessment' } }],
  },
  {
    name: 'conference.step goes back to any earlier step',
    command: buildConferenceStepCommand({ conferenceId: OPEN, fromStep: 'rounds', toStep: 'rollCall' }),
    by: leadTib,
    events: [{ type: 'conference.stepped', payload: { conferenceId: OPEN, step: 'rollCall' } }],
  },
  {
    name: 'conference.rollCall lets an actor say "present" for itself',
    command: buildConferenceRollCallCommand({ conferenceId: OPEN, actorId: 'polisen' }),
    by: polisCoord,
    events: [
      {
        type: 'conference.rollCalled',
        payload: { conferenceId: OPEN, actorId: 'polisen', presence: 'present', representedBy: null },
      },
    ],
  },
  {
    name: 'conference.rollCall lets the chair mark an actor represented by another',
    command: buildConferenceRollCallCommand({
      conferenceId: OPEN,
      actorId: 'polisen',
      presence: 'represented',
      representedBy: { actorId: 'sos-alarm', functionId: 'dutyOfficer' },
    }),
    by: leadTib,
    events: [
      {
        type: 'conference.rollCalled',
        payload: {
          conferenceId: OPEN,
          actorId: 'polisen',
          presence: 'represented',
          representedBy: { actorId: 'sos-alarm', functionId: 'dutyOfficer' },
        },
      },
    ],
  },
  {
    name: 'conference.rollCall lets the chair mark an actor absent',
    command: buildConferenceRollCallCommand({ conferenceId: OPEN, actorId: 'nacka', presence: 'absent' }),
    by: leadCoord,
    events: [
      {
        type: 'conference.rollCalled',
        payload: { conferenceId: OPEN, actorId: 'nacka', presence: 'absent', representedBy: null },
      },
    ],
  },
  {
    name: "conference.round notes an actor's round",
    command: buildConferenceRoundCommand({
      conferenceId: OPEN,
      actorId: 'polisen',
      reported: false,
      note: 'Later',
    }),
    by: leadTib,
    events: [
      {
        type: 'conference.roundNoted',
        payload: { conferenceId: OPEN, actorId: 'polisen', reported: false, note: 'Later' },
      },
    ],
  },
  {
    name: 'conference.assess saves a new version over the current one',
    command: buildConferenceAssessCommand({ conferenceId: OPEN, baseVersion: 1, uncertainties: '' }),
    by: leadTib,
    events: [
      {
        type: 'conference.assessed',
        payload: {
          conferenceId: OPEN,
          situation: 'Gale force winds over the archipelago',
          expectedDevelopment: 'Easing after midnight',
          consequences: 'Power cuts, home care delayed',
          uncertainties: '',
        },
      },
    ],
  },
  {
    name: "conference.setNext sets the next time on the conference and the incident, a few minutes' lag allowed",
    command: buildConferenceSetNextCommand({ conferenceId: OPEN, nextConferenceAt: m(26) }),
    by: leadTib,
    events: [
      { type: 'conference.nextSet', payload: { conferenceId: OPEN, nextConferenceAt: m(26) } },
      { type: 'incident.updated', payload: { incidentId: INCIDENT, nextConferenceAt: m(26) } },
    ],
  },
  {
    name: 'conference.close schedules the next conference at the time set, as the one closed',
    command: buildConferenceCloseCommand({ conferenceId: OPEN, nextConferenceId: NEW }),
    by: leadCoord,
    events: [
      { type: 'conference.closed', payload: { conferenceId: OPEN } },
      {
        type: 'conference.scheduled',
        payload: {
          conference: {
            id: NEW,
            incidentId: INCIDENT,
            title: 'Konferens 2',
            scheduledAt: m(180),
            convenerActorId: 'lansstyrelsen',
            summonedActorIds: SUMMONED,
            recurrence: null,
            previousConferenceId: OPEN,
          },
        },
      },
    ],
  },
  {
    name: 'conference.approveMinutes approves the minutes generated from the log (version 1)',
    command: buildConferenceApproveMinutesCommand({ conferenceId: EARLIER }),
    by: leadTib,
    events: [
      {
        type: 'conference.minutesApproved',
        payload: {
          conferenceId: EARLIER,
          version: 1,
          correction: '',
          minutes: {
            conferenceId: EARLIER,
            incidentId: INCIDENT,
            incidentTitle: 'Storm Ylva',
            title: 'Konferens 1',
            convenerActorId: 'lansstyrelsen',
            scheduledAt: m(10),
            openedAt: m(7),
            closedAt: m(9),
            participants: [
              { actorId: 'lansstyrelsen', presence: 'present', representedBy: null, acknowledged: true },
              { actorId: 'nacka', presence: 'present', representedBy: null, acknowledged: true },
              {
                actorId: 'polisen',
                presence: 'represented',
                representedBy: { actorId: 'stockholm', functionId: 'coordinator' },
                acknowledged: false,
              },
            ],
            rounds: [
              { actorId: 'lansstyrelsen', reported: false, note: '', reportId: null, status: null },
              {
                actorId: 'nacka',
                reported: true,
                note: 'Two care homes on generators',
                reportId: NACKA_REPORT,
                status: 'strained',
              },
              // Polisen's newest report is its own: the minutes, read by all, name the newest
              // one the region could read.
              { actorId: 'polisen', reported: false, note: '', reportId: POLIS_OLD, status: 'strained' },
            ],
            assessment: ASSESSMENT,
            decisions: [
              {
                id: ITEM_EARLIER,
                kind: 'decision',
                text: 'Polisen closes Värmdöleden',
                ownerActorId: 'polisen',
                dueAt: m(60),
                status: 'open',
              },
            ],
            nextConferenceAt: null,
          },
        },
      },
    ],
  },
  {
    name: 'conference.approveMinutes approves a correction as version 2, the rest as approved',
    command: buildConferenceApproveMinutesCommand({
      conferenceId: ORDINARY,
      version: 2,
      correction: 'Nacka sent apologies; the assessment was left out',
      roundNotes: { nacka: 'Sent apologies' },
      assessment: { ...ASSESSMENT, situation: 'Calm week' },
    }),
    by: leadTib,
    events: [
      {
        type: 'conference.minutesApproved',
        payload: {
          conferenceId: ORDINARY,
          version: 2,
          correction: 'Nacka sent apologies; the assessment was left out',
          minutes: {
            ...ORDINARY_MINUTES,
            rounds: [
              { actorId: 'lansstyrelsen', reported: false, note: '', reportId: null, status: null },
              { actorId: 'nacka', reported: false, note: 'Sent apologies', reportId: null, status: null },
              { actorId: 'polisen', reported: true, note: 'Nothing to report', reportId: null, status: null },
            ],
            assessment: { ...ASSESSMENT, situation: 'Calm week' },
          },
        },
      },
    ],
  },
  {
    name: 'conference.approveMinutes approves a correction of the roll call and the next time',
    command: buildConferenceApproveMinutesCommand({
      conferenceId: ORDINARY,
      version: 2,
      correction: 'Stockholm stood in for Nacka; the next conference was moved to Wednesday',
      participants: {
        nacka: {
          presence: 'represented',
          representedBy: { actorId: 'stockholm', functionId: 'coordinator' },
        },
      },
      nextConferenceAt: inStockholm('2024-05-08T07:00:00.000Z'),
    }),
    by: leadTib,
    events: [
      {
        type: 'conference.minutesApproved',
        payload: {
          conferenceId: ORDINARY,
          version: 2,
          correction: 'Stockholm stood in for Nacka; the next conference was moved to Wednesday',
          minutes: {
            ...ORDINARY_MINUTES,
            participants: [
              { actorId: 'lansstyrelsen', presence: null, representedBy: null, acknowledged: true },
              {
                actorId: 'nacka',
                presence: 'represented',
                representedBy: { actorId: 'stockholm', functionId: 'coordinator' },
                acknowledged: true,
              },
              { actorId: 'polisen', presence: 'present', representedBy: null, acknowledged: true },
            ],
            nextConferenceAt: '2024-05-08T07:00:00.000Z',
          },
        },
      },
    ],
  },
  {
    name: 'actionItem.record records a decision with its owner, the incident and the hub’s time',
    command: buildActionItemRecordCommand({ itemId: NEW, conferenceId: OPEN, ownerActorId: 'polisen' }),
    by: leadCoord,
    events: [
      {
        type: 'actionItem.recorded',
        payload: {
          item: {
            id: NEW,
            conferenceId: OPEN,
            incidentId: INCIDENT,
            kind: 'decision',
            text: 'Nacka opens an evacuation centre at Nacka sporthall',
            ownerActorId: 'polisen',
            dueAt: m(120),
            at: NOW,
            by: leadCoord,
          },
        },
      },
    ],
  },
  {
    name: 'actionItem.record still records on a closed conference whose minutes wait',
    command: buildActionItemRecordCommand({
      itemId: NEW,
      conferenceId: EARLIER,
      kind: 'action',
      dueAt: null,
    }),
    by: leadTib,
    events: [
      {
        type: 'actionItem.recorded',
        payload: {
          item: {
            id: NEW,
            conferenceId: EARLIER,
            incidentId: INCIDENT,
            kind: 'action',
            text: 'Nacka opens an evacuation centre at Nacka sporthall',
            ownerActorId: 'nacka',
            dueAt: null,
            at: NOW,
            by: leadTib,
          },
        },
      },
    ],
  },
  {
    name: 'actionItem.setStatus lets the owner mark its item done',
    command: buildActionItemStatusCommand({ itemId: ITEM, status: 'done' }),
    by: nackaTib,
    events: [{ type: 'actionItem.statusSet', payload: { itemId: ITEM, status: 'done' } }],
  },
  {
    name: 'actionItem.setStatus lets the owner open a done item again',
    command: buildActionItemStatusCommand({ itemId: ITEM_DONE, status: 'open' }),
    by: polisCoord,
    events: [{ type: 'actionItem.statusSet', payload: { itemId: ITEM_DONE, status: 'open' } }],
  },
  {
    name: 'actionItem.setStatus lets the chair reopen a cancelled item',
    command: buildActionItemStatusCommand({ itemId: ITEM_CANCELLED, status: 'open' }),
    by: leadTib,
    events: [{ type: 'actionItem.statusSet', payload: { itemId: ITEM_CANCELLED, status: 'open' } }],
  },
  {
    name: 'actionItem.setStatus lets the chair cancel an item',
    command: buildActionItemStatusCommand({ itemId: ITEM_EARLIER, status: 'cancelled' }),
    by: leadCoord,
    events: [{ type: 'actionItem.statusSet', payload: { itemId: ITEM_EARLIER, status: 'cancelled' } }],
  },
  {
    name: 'offer.make answers the newest report, shared as that report is',
    command: buildOfferMakeCommand({
      offerId: NEW,
      incidentId: INCIDENT,
      reportId: NACKA_REPORT,
      what: 'Generators, 50 kVA',
    }),
    by: healthTib,
    events: [
      {
        type: 'offer.made',
        payload: {
          offer: {
            id: NEW,
            incidentId: INCIDENT,
            needActorId: 'nacka',
            reportId: NACKA_REPORT,
            fromActorId: 'region-stockholm',
            what: 'Generators, 50 kVA',
            quantity: '2',
            availableAt: m(60),
            note: '',
            sharing: { scope: 'region' },
            at: NOW,
            by: healthTib,
          },
        },
      },
    ],
  },
  {
    name: 'offer.answer lets the needing actor decline',
    command: buildOfferAnswerCommand({ offerId: OFFER, answer: 'declined' }),
    by: nackaTib,
    events: [
      {
        type: 'offer.answered',
        payload: {
          offerId: OFFER,
          answer: 'declined',
          needActorId: 'nacka',
          fromActorId: 'polisen',
          sharing: { scope: 'region' },
        },
      },
    ],
  },
  {
    name: 'need.settle judges the newest report’s needs, shared as the report is',
    command: buildNeedSettleCommand({
      incidentId: INCIDENT,
      reportId: NACKA_REPORT,
      coverage: 'partlyCovered',
      note: 'One generator still missing',
    }),
    by: nackaTib,
    events: [
      {
        type: 'need.settled',
        payload: {
          incidentId: INCIDENT,
          actorId: 'nacka',
          reportId: NACKA_REPORT,
          coverage: 'partlyCovered',
          note: 'One generator still missing',
          sharing: { scope: 'region' },
        },
      },
    ],
  },
  {
    name: 'need.settle takes a new note on the same coverage',
    command: buildNeedSettleCommand({
      incidentId: INCIDENT,
      reportId: HEALTH_REPORT,
      coverage: 'covered',
      note: 'Two from Uppsala',
    }),
    by: healthTib,
    events: [
      {
        type: 'need.settled',
        payload: {
          incidentId: INCIDENT,
          actorId: 'region-stockholm',
          reportId: HEALTH_REPORT,
          coverage: 'covered',
          note: 'Two from Uppsala',
          sharing: { scope: 'region' },
        },
      },
    ],
  },
];

const CONFERENCE_COMMANDS = new Set(
  COMMAND_TYPES.filter((type) => Object.hasOwn(conferenceCommandPayloads, type)),
);

describe('decide: conferences and coordinated resources', () => {
  it.each(named(refusals))('%s', (_name, { command, by, code, message, stale }) => {
    const before = stateHash(world);
    const { state, error } = send(world, wire(valid(command)), by);
    expect(error).toEqual(stale ? { code, message, stale } : { code, message });
    expect(stateHash(state)).toBe(before);
  });

  it.each(named(acceptances))('%s', (_name, { command, by, events }) => {
    expect(decide(world, valid(command), by, NOW, region)).toEqual({ ok: true, data: events });
    // And the events fold: the state moves on.
    expect(stateHash(send(world, wire(command), by).state)).not.toBe(stateHash(world));
  });

  it('has refusal and acceptance cases for every conference and resource command', () => {
    const covered = (cases: { command: Command }[]) => new Set(cases.map((c) => c.command.type));
    expect(covered(refusals)).toEqual(CONFERENCE_COMMANDS);
    expect(covered(acceptances)).toEqual(CONFERENCE_COMMANDS);
  });
});

describe('bad input from the issue: a clear error, and nothing changed', () => {
  // prettier-ignore
  const BAD = [
    { name: 'a step out of order', input: wire(buildConferenceStepCommand({ conferenceId: OPEN, fromStep: 'rounds', toStep: 'jointMessage' })), by: leadTib, code: 'bad_request', message: /Steps run in order: the next step after rounds is assessment/ },
    { name: 'roll call for an actor not summoned', input: wire(buildConferenceRollCallCommand({ conferenceId: OPEN, actorId: 'trafikverket' })), by: leadTib, code: 'bad_request', message: /trafikverket is not summoned to this conference/ },
    { name: 'an offer on a covered need', input: wire(buildOfferMakeCommand({ incidentId: INCIDENT, needActorId: 'region-stockholm', reportId: HEALTH_REPORT })), by: polisCoord, code: 'conflict', message: /The need is already covered/ },
    { name: 'an edit of approved minutes', input: wire(buildConferenceRoundCommand({ conferenceId: ORDINARY, actorId: 'nacka' })), by: leadTib, code: 'conflict', message: /The minutes are approved; correct them as a new version/ },
    { name: 'a decision without an owner', input: (() => { const { ownerActorId: _owner, ...payload } = buildActionItemRecordCommand({ conferenceId: OPEN }).payload; return { id: testUuid(600), type: 'actionItem.record', payload }; })(), by: leadTib, code: 'bad_request', message: /ownerActorId/ },
  ] as const;

  it.each(named(BAD))('refuses %s', (_name, { input, by, code, message }) => {
    const before = stateHash(world);
    const { state, error } = send(world, input, by);
    expect(error?.code).toBe(code);
    expect(error?.message).toMatch(message);
    expect(stateHash(state)).toBe(before);
  });
});

describe('a conference over its life', () => {
  it('keeps the approved minutes, and schedules a recurring conference’s next occurrence in Stockholm time', () => {
    const ordinary = world.conferences[ORDINARY];
    expect(ordinary?.minutes.map((v) => [v.version, v.correction])).toEqual([[1, '']]);
    expect(ordinary?.minutes[0]?.minutes).toEqual(ORDINARY_MINUTES);
    expect(world.conferences[NEXT_ORDINARY]).toMatchObject({
      status: 'scheduled',
      incidentId: null,
      title: 'Veckokonferens',
      scheduledAt: NEXT_TUESDAY_0900,
      summonedActorIds: SUMMONED,
      recurrence: WEEKLY,
      previousConferenceId: ORDINARY,
    });
  });

  it('keeps the minutes as approved when an item changes status afterwards', () => {
    const { state } = send(
      world,
      wire(buildConferenceApproveMinutesCommand({ conferenceId: EARLIER })),
      leadTib,
    );
    const done = send(state, wire(buildActionItemStatusCommand({ itemId: ITEM_EARLIER })), polisCoord);
    expect(done.error).toBeNull();
    expect(done.state.actionItems[ITEM_EARLIER]?.status).toBe('done');
    expect(done.state.conferences[EARLIER]?.minutes[0]?.minutes.decisions[0]?.status).toBe('open');
  });

  it('carries the dial-in to the next conference of a recurring one', () => {
    const { state } = runCommands(
      [
        {
          command: buildConferenceRescheduleCommand({ conferenceId: NEXT_ORDINARY, dialIn: DIAL_IN }),
          by: leadTib,
          at: m(21),
        },
        { command: buildConferenceOpenCommand({ conferenceId: NEXT_ORDINARY }), by: leadTib, at: m(22) },
        // A Thursday after the Tuesday: the next one is the Tuesday after.
        {
          command: buildConferenceCloseCommand({ conferenceId: NEXT_ORDINARY, nextConferenceId: NEW }),
          by: leadTib,
          at: '2024-05-09T12:00:00.000Z',
        },
      ],
      { state: world, firstSeq: 500 },
    );
    expect(state.conferences[NEW]).toMatchObject({
      scheduledAt: '2024-05-14T07:00:00.000Z',
      previousConferenceId: NEXT_ORDINARY,
      recurrence: WEEKLY,
    });
    expect(state.conferenceDialIns[NEW]).toMatchObject({ dialIn: DIAL_IN, summonedActorIds: SUMMONED });
  });

  it('schedules no next conference for an incident that has closed', () => {
    const { state } = runCommands([{ command: buildCloseCommand({ incidentId: INCIDENT }), by: leadTib }], {
      state: world,
      firstSeq: 500,
    });
    const decision = decide(
      state,
      valid(buildConferenceCloseCommand({ conferenceId: OPEN, nextConferenceId: NEW })),
      leadTib,
      NOW,
      region,
    );
    expect(decision).toEqual({
      ok: true,
      data: [{ type: 'conference.closed', payload: { conferenceId: OPEN } }],
    });
  });

  it('lets a closed conference that does not recur end without a next one', () => {
    const { state } = runCommands(
      [
        {
          command: buildConferenceSetNextCommand({ conferenceId: OPEN, nextConferenceAt: null }),
          by: leadTib,
        },
      ],
      { state: world, firstSeq: 500 },
    );
    const close = valid(buildConferenceCloseCommand({ conferenceId: OPEN, nextConferenceId: SCHEDULED }));
    expect(decide(state, close, leadTib, NOW, region)).toEqual({
      ok: true,
      data: [{ type: 'conference.closed', payload: { conferenceId: OPEN } }],
    });
  });
});

describe('incident.update and the incident’s conferences', () => {
  it('moves the conference scheduled next when the next conference time moves', () => {
    const command = valid(
      buildUpdateCommand({ incidentId: INCIDENT, description: undefined, nextConferenceAt: m(100) }),
    );
    expect(decide(world, command, leadTib, NOW, region)).toEqual({
      ok: true,
      data: [
        { type: 'incident.updated', payload: { incidentId: INCIDENT, nextConferenceAt: m(100) } },
        { type: 'conference.rescheduled', payload: { conferenceId: SCHEDULED, scheduledAt: m(100) } },
      ],
    });
  });

  it('leaves the scheduled conference when the next time is cleared, and the incident’s time at it', () => {
    const command = valid(
      buildUpdateCommand({ incidentId: INCIDENT, description: undefined, nextConferenceAt: null }),
    );
    expect(decide(world, command, leadTib, NOW, region)).toEqual({
      ok: true,
      data: [{ type: 'incident.updated', payload: { incidentId: INCIDENT, nextConferenceAt: m(120) } }],
    });
  });

  it('summons newly summoned actors to the coming and running conferences, with the dial-in', () => {
    const command = valid(
      buildUpdateCommand({
        incidentId: INCIDENT,
        description: undefined,
        summonedActorIds: [...SUMMONED, 'sos-alarm', 'trafikverket'],
      }),
    );
    const decision = decide(world, command, leadTib, NOW, region);
    expect(decision).toEqual({
      ok: true,
      data: [
        {
          type: 'incident.updated',
          payload: { incidentId: INCIDENT, summonedActorIds: [...SUMMONED, 'sos-alarm', 'trafikverket'] },
        },
        {
          type: 'conference.summonsExtended',
          payload: { conferenceId: OPEN, summonedActorIds: [...SUMMONED, 'sos-alarm', 'trafikverket'] },
        },
        {
          type: 'conference.summonsExtended',
          payload: { conferenceId: SCHEDULED, summonedActorIds: [...SUMMONED, 'sos-alarm', 'trafikverket'] },
        },
        {
          type: 'conference.dialInSet',
          payload: {
            conferenceId: SCHEDULED,
            dialIn: DIAL_IN,
            summonedActorIds: [...SUMMONED, 'sos-alarm', 'trafikverket'],
          },
        },
      ],
    });
    // SOS Alarm, summoned mid-course, says "present" at the running conference.
    const { state } = send(world, wire(command), leadTib);
    expect(state.conferences[SCHEDULED]?.summonedActorIds).toEqual([
      ...SUMMONED,
      'sos-alarm',
      'trafikverket',
    ]);
    const present = send(
      state,
      wire(buildConferenceRollCallCommand({ conferenceId: OPEN, actorId: 'sos-alarm' })),
      sosTib,
    );
    expect(present.error).toBeNull();
    expect(present.state.conferences[OPEN]?.rollCall['sos-alarm']?.presence).toBe('present');
  });
});

describe('incident.update: the next conference time by the conference rules', () => {
  it('refuses a next conference time hours in the past, and nothing changes', () => {
    const before = stateHash(world);
    const { state, error } = send(
      world,
      wire(buildUpdateCommand({ incidentId: INCIDENT, description: undefined, nextConferenceAt: m(-600) })),
      leadTib,
    );
    expect(error).toEqual({ code: 'bad_request', message: 'The next conference cannot be in the past' });
    expect(stateHash(state)).toBe(before);
  });

  it("keeps the incident's time at the real next conference when the one moved goes past it", () => {
    // SCHEDULED (m 120) moves to m 240; the conference the running one set comes first (m 180).
    const command = valid(
      buildUpdateCommand({
        incidentId: INCIDENT,
        description: undefined,
        nextConferenceAt: inStockholm(m(240)),
      }),
    );
    expect(decide(world, command, leadTib, NOW, region)).toEqual({
      ok: true,
      data: [
        { type: 'incident.updated', payload: { incidentId: INCIDENT, nextConferenceAt: m(180) } },
        { type: 'conference.rescheduled', payload: { conferenceId: SCHEDULED, scheduledAt: m(240) } },
      ],
    });
  });
});

describe('findings of the conference review', () => {
  /** Folds one event as an older hub wrote it, before summons grew with the incident. */
  const fold = (state: State, draft: EventDraft, seq = 900): State =>
    apply(state, buildEvent(draft, { seq, at: m(25), by: leadTib, commandId: testUuid(seq) }));

  it('lets the region’s lead actor close a conference another actor convened and left running', () => {
    const { state } = send(
      world,
      wire(buildConferenceOpenCommand({ conferenceId: NACKA_MEETING })),
      nackaTib,
    );
    const close = valid(buildConferenceCloseCommand({ conferenceId: NACKA_MEETING, nextConferenceId: NEW }));
    expect(decide(state, close, leadTib, NOW, region)).toEqual({
      ok: true,
      data: [{ type: 'conference.closed', payload: { conferenceId: NACKA_MEETING } }],
    });
    expect(decide(state, close, polisCoord, NOW, region)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it("schedules the next conference with the incident's actors summoned since, and the dial-in for them", () => {
    // An older log: SOS Alarm was summoned to the incident, and got the dial-in, but the
    // running conference's summons stayed as called.
    const older = fold(world, {
      type: 'incident.updated',
      payload: { incidentId: INCIDENT, summonedActorIds: [...SUMMONED, 'sos-alarm'] },
    });
    const withDialIn = fold(
      older,
      {
        type: 'conference.dialInSet',
        payload: { conferenceId: OPEN, dialIn: DIAL_IN, summonedActorIds: SUMMONED },
      },
      901,
    );
    const close = valid(buildConferenceCloseCommand({ conferenceId: OPEN, nextConferenceId: NEW }));
    const decision = decide(withDialIn, close, leadTib, NOW, region);
    expect(decision.ok && decision.data.slice(1, 3)).toEqual([
      {
        type: 'conference.scheduled',
        payload: {
          conference: {
            id: NEW,
            incidentId: INCIDENT,
            title: 'Konferens 2',
            scheduledAt: m(180),
            convenerActorId: 'lansstyrelsen',
            summonedActorIds: [...SUMMONED, 'sos-alarm'],
            recurrence: null,
            previousConferenceId: OPEN,
          },
        },
      },
      {
        type: 'conference.dialInSet',
        payload: { conferenceId: NEW, dialIn: DIAL_IN, summonedActorIds: [...SUMMONED, 'sos-alarm'] },
      },
    ]);
  });

  it('keeps everyone who had the dial-in on it when the details change', () => {
    // The old incident.update sent the dial-in to SOS Alarm without summoning it.
    const older = fold(world, {
      type: 'conference.dialInSet',
      payload: { conferenceId: SCHEDULED, dialIn: DIAL_IN, summonedActorIds: [...SUMMONED, 'sos-alarm'] },
    });
    const command = valid({
      id: testUuid(503),
      type: 'conference.reschedule',
      payload: { conferenceId: SCHEDULED, dialIn: 'Rakel SSR-2' },
    });
    expect(decide(older, command, leadTib, NOW, region)).toEqual({
      ok: true,
      data: [
        {
          type: 'conference.dialInSet',
          payload: {
            conferenceId: SCHEDULED,
            dialIn: 'Rakel SSR-2',
            summonedActorIds: [...SUMMONED, 'sos-alarm'],
          },
        },
      ],
    });
  });

  it('schedules a recurring conference closed before its slot for the slot after, not the same one again', () => {
    // The weekly conference of Tuesday 7 May is held early, on 1 May: the next is 14 May.
    const { state } = send(world, wire(buildConferenceOpenCommand({ conferenceId: NEXT_ORDINARY })), leadTib);
    const close = valid(buildConferenceCloseCommand({ conferenceId: NEXT_ORDINARY, nextConferenceId: NEW }));
    const decision = decide(state, close, leadTib, NOW, region);
    expect(decision.ok && decision.data[1]).toMatchObject({
      type: 'conference.scheduled',
      payload: {
        conference: { scheduledAt: '2024-05-14T07:00:00.000Z', previousConferenceId: NEXT_ORDINARY },
      },
    });
  });

  it('refuses to close with a next time that has passed, and nothing changes', () => {
    const later = m(200);
    const close = valid(buildConferenceCloseCommand({ conferenceId: OPEN, nextConferenceId: NEW }));
    expect(decide(world, close, leadTib, later, region)).toEqual({
      ok: false,
      error: {
        code: 'bad_request',
        message: 'Set a new time for the next conference: the one set has passed',
      },
    });
  });

  it('names in the minutes the report a round rested on, not one filed after the close', () => {
    const { state } = send(
      world,
      wire(buildReportCommand({ reportId: NEW, incidentId: INCIDENT, status: 'severe' })),
      nackaTib,
    );
    const approve = send(
      state,
      wire(buildConferenceApproveMinutesCommand({ conferenceId: EARLIER })),
      leadTib,
    );
    expect(approve.error).toBeNull();
    const nacka = approve.state.conferences[EARLIER]?.minutes[0]?.minutes.rounds.find(
      (r) => r.actorId === 'nacka',
    );
    expect(nacka).toMatchObject({ reportId: NACKA_REPORT, status: 'strained' });
  });

  it('corrects a decision in approved minutes, and the item itself stays as recorded', () => {
    const { state } = send(
      world,
      wire(buildConferenceApproveMinutesCommand({ conferenceId: EARLIER })),
      leadTib,
    );
    const corrected = send(
      state,
      wire(
        buildConferenceApproveMinutesCommand({
          conferenceId: EARLIER,
          version: 2,
          correction: 'Nacka, not Polisen, closes the road, by 10:00 Stockholm time',
          decisions: { [ITEM_EARLIER]: { ownerActorId: 'nacka', dueAt: '2024-05-01T10:00:00+02:00' } },
        }),
      ),
      leadTib,
    );
    expect(corrected.error).toBeNull();
    expect(corrected.state.conferences[EARLIER]?.minutes[1]?.minutes.decisions).toEqual([
      {
        id: ITEM_EARLIER,
        kind: 'decision',
        text: 'Polisen closes Värmdöleden',
        ownerActorId: 'nacka',
        dueAt: '2024-05-01T08:00:00.000Z',
        status: 'open',
      },
    ]);
    expect(corrected.state.actionItems[ITEM_EARLIER]?.ownerActorId).toBe('polisen');
  });

  it('refuses minutes larger than the limit, and nothing is approved', () => {
    // 70 items of 4 000 characters, with their ids and owners: 285 KB of minutes.
    const items = Array.from({ length: 70 }, (_, i) => ({
      command: buildActionItemRecordCommand({
        itemId: testUuid(700 + i),
        conferenceId: EARLIER,
        text: 'x'.repeat(4000),
      }),
      by: leadTib,
      at: m(25),
    }));
    const { state } = runCommands(items, { state: world, firstSeq: 500 });
    const before = stateHash(state);
    const { state: after, error } = send(
      state,
      wire(buildConferenceApproveMinutesCommand({ conferenceId: EARLIER })),
      leadTib,
    );
    expect(error).toEqual({
      code: 'bad_request',
      message: `The minutes would take 285 KB; at most ${LIMITS.maxMinutesBytes / 1024} KB is kept`,
    });
    expect(stateHash(after)).toBe(before);
  });

  it("moves the incident's next time off a conference once it opens, to the next scheduled or none", () => {
    const { state } = runCommands(
      [
        {
          command: buildConferenceCloseCommand({ conferenceId: OPEN, nextConferenceId: NEW }),
          by: leadTib,
          at: NOW,
        },
      ],
      { state: world, firstSeq: 500 },
    );
    // SCHEDULED (m 120) opens: the next is the one the close scheduled (m 180).
    const open = valid(buildConferenceOpenCommand({ conferenceId: SCHEDULED }));
    expect(decide(state, open, leadTib, NOW, region)).toEqual({
      ok: true,
      data: [
        { type: 'conference.opened', payload: { conferenceId: SCHEDULED } },
        { type: 'incident.updated', payload: { incidentId: INCIDENT, nextConferenceAt: m(180) } },
      ],
    });
  });

  it("clears the incident's next time when its last conference opens, and when one closes with no next", () => {
    const incidentId = testUuid(800);
    const conferenceId = testUuid(801);
    const { state } = runCommands([
      { command: buildActivateCommand({ incidentId, summonedActorIds: ['nacka'], area: null }), by: leadTib },
      {
        command: buildConferenceScheduleCommand({ conferenceId, incidentId, scheduledAt: m(20) }),
        by: leadTib,
      },
    ]);
    const opened = send(state, wire(buildConferenceOpenCommand({ conferenceId })), leadTib);
    expect(opened.state.incidents[incidentId]?.nextConferenceAt).toBeNull();
    // A time set on the incident by hand while the conference runs, not on the conference.
    const handSet = send(
      opened.state,
      wire(buildUpdateCommand({ incidentId, description: undefined, nextConferenceAt: m(90) })),
      leadTib,
    );
    expect(handSet.state.incidents[incidentId]?.nextConferenceAt).toBe(m(90));
    const close = valid(buildConferenceCloseCommand({ conferenceId, nextConferenceId: NEW }));
    expect(decide(handSet.state, close, leadTib, NOW, region)).toEqual({
      ok: true,
      data: [
        { type: 'conference.closed', payload: { conferenceId } },
        { type: 'incident.updated', payload: { incidentId, nextConferenceAt: null } },
      ],
    });
  });
});
