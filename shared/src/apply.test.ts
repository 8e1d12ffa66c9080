import { describe, expect, it } from 'vitest';
import { apply, applyInPlace, fillLogPlaces } from './apply.js';
import { isDirectoryEventType } from './directory.js';
import { EVENT_TYPES, type StoredEvent } from './events.js';
import { stateHash } from './hash.js';
import type { ActionItem, Conference, Minutes, Offer } from './conference-model.js';
import { DIRECTIVE_FIELDS, type Directive, type DirectiveVersion } from './directive-model.js';
import type { JointMessage, MessageVersion, SignOff } from './message-model.js';
import { initialState, State, type Checkin, type Incident } from './model.js';
import {
  TEST_NOW,
  buildArea,
  buildAttribution,
  buildCheckin,
  buildDirectingAttribution,
  buildDirectiveContent,
  buildDirectiveTemplate,
  buildEvent,
  buildFieldReport,
  buildIncident,
  buildLogEntry,
  buildMessageContent,
  buildMessageText,
  buildReport,
  buildState,
  cloneJson,
  deepFreeze,
  minutesAfterNow,
  named,
  testUuid,
} from './testing/test-factories.js';
import { projectState } from './visibility.js';

const AT = minutesAfterNow(15);
const leadTib = buildAttribution();
const nackaTib = buildAttribution({ userId: 'user-nacka-tib', userName: 'Nils Nord', actorId: 'nacka' });

const ACTIVE = testUuid(1);
const REQUESTED = testUuid(2);
const NEW_ID = testUuid(3);
const UNKNOWN = testUuid(99);
const CHECKIN = testUuid(20);

const activeIncident = buildIncident({ id: ACTIVE, summonedActorIds: ['lansstyrelsen', 'nacka'] });
const requestedIncident = buildIncident({
  id: REQUESTED,
  status: 'requested',
  title: 'Water main burst',
  reason: 'Nacka needs drinking water',
  summonedActorIds: [],
  requestedAt: TEST_NOW,
  requestedBy: nackaTib,
  activatedAt: null,
  activatedBy: null,
});
const checkin = buildCheckin({ id: CHECKIN });
const newReport = buildReport({ id: NEW_ID, incidentId: ACTIVE, at: AT });
const newFieldReport = buildFieldReport({ id: NEW_ID, incidentId: ACTIVE, at: AT });
const newCheckin = buildCheckin({ id: NEW_ID, at: AT });
const newEntry = buildLogEntry({ id: NEW_ID, at: AT });

const SCHEDULED = testUuid(40);
const OPEN = testUuid(41);
const ITEM = testUuid(42);
const OFFER = testUuid(43);
const NEEDS_REPORT = testUuid(44);

/** Conferences, items and offers are built here: only these cases need them whole. */
const scheduledConference: Conference = {
  id: SCHEDULED,
  incidentId: ACTIVE,
  title: 'Samverkanskonferens 1',
  scheduledAt: minutesAfterNow(60),
  convenerActorId: 'lansstyrelsen',
  summonedActorIds: ['lansstyrelsen', 'nacka'],
  recurrence: null,
  previousConferenceId: null,
  status: 'scheduled',
  step: null,
  scheduledBy: leadTib,
  scheduledSeq: 0,
  openedAt: null,
  openedBy: null,
  openedSeq: null,
  closedAt: null,
  closedBy: null,
  closedSeq: null,
  rollCall: {},
  rounds: {},
  assessments: [],
  nextConferenceAt: null,
  minutes: [],
  version: 0,
};
const assessment = {
  situation: 'Water out in Nacka centrum',
  expectedDevelopment: 'Repaired by Friday',
  consequences: 'Care homes need water',
  uncertainties: 'Second main may fail',
};
const openConference: Conference = {
  ...scheduledConference,
  id: OPEN,
  title: 'Samverkanskonferens 0',
  status: 'open',
  step: 'rounds',
  openedAt: TEST_NOW,
  openedBy: leadTib,
  openedSeq: 0,
  rollCall: {
    lansstyrelsen: { presence: 'present', representedBy: null, at: TEST_NOW, by: leadTib, seq: 0 },
  },
  assessments: [{ ...assessment, version: 1, at: TEST_NOW, by: leadTib, seq: 0 }],
};
const item: ActionItem = {
  id: ITEM,
  conferenceId: OPEN,
  incidentId: ACTIVE,
  kind: 'decision',
  text: 'Nacka opens a water distribution point',
  ownerActorId: 'nacka',
  dueAt: minutesAfterNow(120),
  at: TEST_NOW,
  by: leadTib,
  status: 'open',
  statusAt: null,
  statusBy: null,
  seq: 0,
};
const offer: Offer = {
  id: OFFER,
  incidentId: ACTIVE,
  needActorId: 'nacka',
  reportId: NEEDS_REPORT,
  fromActorId: 'lansstyrelsen',
  what: 'Water tanks',
  quantity: '4',
  availableAt: minutesAfterNow(90),
  note: '',
  sharing: { scope: 'region' },
  at: TEST_NOW,
  by: leadTib,
  status: 'offered',
  answeredAt: null,
  answeredBy: null,
  seq: 0,
};
const minutes: Minutes = {
  conferenceId: OPEN,
  incidentId: ACTIVE,
  incidentTitle: 'Storm Ylva',
  title: 'Samverkanskonferens 0',
  convenerActorId: 'lansstyrelsen',
  scheduledAt: minutesAfterNow(60),
  openedAt: TEST_NOW,
  closedAt: AT,
  participants: [{ actorId: 'lansstyrelsen', presence: 'present', representedBy: null, acknowledged: true }],
  rounds: [],
  assessment,
  decisions: [],
  nextConferenceAt: null,
};

/**
 * An item as `decide` put it into its event on a hub whose clock read TEST_NOW: folding
 * gives it the log's time (the event's `at`, AT here) and its place (the event's seq, 1).
 */
const asDecided = <T extends { seq: number }>(item: T): Omit<T, 'seq'> => {
  const { seq: _seq, ...decided } = item;
  return { ...decided, at: TEST_NOW };
};
const folded = <T extends { seq: number }>(item: T): T => ({ ...item, seq: 1 });

const DIRECTIVE = testUuid(50);
const NACKA_ITEM = testUuid(0xd1);
const HEALTH_ITEM = testUuid(0xd2);
const head = buildDirectingAttribution();
const directiveContent = buildDirectiveContent();
const newPurpose = buildDirectiveContent({ purpose: 'Återställa elförsörjningen' });
const nackaConfirmation = {
  itemId: NACKA_ITEM,
  version: 1,
  confirmedAt: TEST_NOW,
  confirmedBy: nackaTib,
  outcome: null,
  outcomeText: '',
  reportedAt: null,
  reportedBy: null,
  seq: 4,
};
const firstVersion: DirectiveVersion = {
  version: 1,
  content: directiveContent,
  templateId: null,
  changedFields: [...DIRECTIVE_FIELDS],
  draftedBy: leadTib,
  deciders: [head],
  decidedAt: TEST_NOW,
  seq: 3,
};
/** Version 1 decided and confirmed by Nacka; a draft of version 2 with a new purpose waits. */
const directive: Directive = {
  id: DIRECTIVE,
  incidentId: ACTIVE,
  draft: {
    content: newPurpose,
    templateId: null,
    templateFilledAt: null,
    baseVersion: 1,
    at: TEST_NOW,
    by: leadTib,
    seq: 5,
  },
  versions: [firstVersion],
  followUps: { [`${NACKA_ITEM}@1`]: nackaConfirmation },
  version: 5,
};
const withDirective = (state: State, change: Partial<Directive>): State => ({
  ...state,
  directives: { ...state.directives, [DIRECTIVE]: { ...directive, ...change, version: 1 } },
});

const MESSAGE = testUuid(60);
const messageContent = buildMessageContent();
const editedContent = buildMessageContent({
  texts: { sv: buildMessageText({ headline: 'Stormen: trygghetspunkt i Nacka' }), en: null, svEasy: null },
});
const stockholmComm = buildAttribution({
  userId: 'user-stockholm-comm',
  userName: 'Stina Ström',
  actorId: 'stockholm',
  functionId: 'communicator',
});
const signOff = (actorId: string, by: typeof leadTib, seq: number, byDrafting = false): SignOff => ({
  actorId,
  decision: 'approved',
  comment: '',
  byDrafting,
  at: TEST_NOW,
  by,
  seq,
});
/** Version 1, agreed by Stockholm stad (by drafting) and Nacka. */
const agreedV1: MessageVersion = {
  version: 1,
  content: messageContent,
  approverActorIds: ['stockholm', 'nacka'],
  incidentTitle: 'Storm Ylva',
  incidentKind: 'weather',
  draftedBy: stockholmComm,
  at: TEST_NOW,
  seq: 6,
  signOffs: { stockholm: signOff('stockholm', stockholmComm, 7, true), nacka: signOff('nacka', nackaTib, 8) },
  agreedAt: TEST_NOW,
  agreedSeq: 9,
};
/** Version 2, an edit by Stockholm stad (its approval by drafting), awaiting Nacka. */
const draftedV2: MessageVersion = {
  ...agreedV1,
  version: 2,
  content: editedContent,
  seq: 10,
  signOffs: { stockholm: signOff('stockholm', stockholmComm, 11, true) },
  agreedAt: null,
  agreedSeq: null,
};
const nackaWeb = {
  actorId: 'nacka',
  channel: 'web' as const,
  version: 1,
  publishedAt: TEST_NOW,
  note: '',
  at: TEST_NOW,
  by: nackaTib,
  seq: 12,
};
/** Owned by Stockholm stad: version 1 agreed and published on Nacka's web, version 2 being signed off. */
const jointMessage: JointMessage = {
  id: MESSAGE,
  incidentId: ACTIVE,
  ownerActorId: 'stockholm',
  versions: [agreedV1, draftedV2],
  publications: { 'nacka:web': nackaWeb },
  cancelled: null,
  version: 12,
};
/** The state with the message changed as the event did, at its seq (1 in these cases). */
const withMessage = (state: State, change: Partial<JointMessage>): State => ({
  ...state,
  jointMessages: { ...state.jointMessages, [MESSAGE]: { ...jointMessage, ...change, version: 1 } },
});
/** Version 2 of the message changed as the event did. */
const withV2 = (state: State, change: Partial<MessageVersion>): State =>
  withMessage(state, { versions: [agreedV1, { ...draftedV2, ...change }] });

/** Builds the state before each case afresh, so cases cannot leak into each other. */
const before = (): State => ({
  ...buildState({
    incidents: [activeIncident, requestedIncident],
    checkins: [checkin],
    readiness: {
      heightened: true,
      level: 'heightened',
      note: 'Government decision',
      since: TEST_NOW,
      by: leadTib,
    },
  }),
  conferences: { [SCHEDULED]: scheduledConference, [OPEN]: openConference },
  actionItems: { [ITEM]: item },
  offers: { [OFFER]: offer },
  directives: { [DIRECTIVE]: directive },
  directiveTemplates: { pandemi: { template: null, at: TEST_NOW, by: leadTib, seq: 2 } },
  jointMessages: { [MESSAGE]: jointMessage },
});

/** The state with one conference changed as the event did, at its seq (1 in these cases). */
const withConference = (state: State, conference: Conference): State => ({
  ...state,
  conferences: { ...state.conferences, [conference.id]: { ...conference, version: 1 } },
});

const withIncident = (state: State, incident: Incident): State => ({
  ...state,
  incidents: { ...state.incidents, [incident.id]: incident },
});

type Case = { name: string; event: StoredEvent; after: (before: State) => State };

const at = { at: AT, by: nackaTib };

const cases: Case[] = [
  {
    name: 'incident.requested adds a request, stamped with who asked and when',
    event: buildEvent(
      { type: 'incident.requested', payload: { incidentId: NEW_ID, title: 'Storm', reason: 'Trees down' } },
      at,
    ),
    after: (s) =>
      withIncident(
        s,
        buildIncident({
          id: NEW_ID,
          status: 'requested',
          title: 'Storm',
          kind: 'other',
          description: '',
          reason: 'Trees down',
          area: null,
          summonedActorIds: [],
          requestedAt: AT,
          requestedBy: nackaTib,
          requestedSeq: 1,
          activatedAt: null,
          activatedBy: null,
          version: 1,
        }),
      ),
  },
  {
    name: 'incident.activated turns a request active and keeps who asked for it',
    event: buildEvent(
      {
        type: 'incident.activated',
        payload: {
          incidentId: REQUESTED,
          title: 'Water main burst',
          kind: 'infrastructure',
          description: 'Nacka centrum without water',
          area: buildArea(),
          summonedActorIds: ['nacka', 'lansstyrelsen'],
          nextConferenceAt: minutesAfterNow(60),
        },
      },
      { at: AT, by: leadTib },
    ),
    after: (s) =>
      withIncident(s, {
        ...requestedIncident,
        status: 'active',
        kind: 'infrastructure',
        description: 'Nacka centrum without water',
        area: buildArea(),
        summonedActorIds: ['nacka', 'lansstyrelsen'],
        nextConferenceAt: minutesAfterNow(60),
        activatedAt: AT,
        activatedBy: leadTib,
        activatedSeq: 1,
        version: 1,
      }),
  },
  {
    name: 'incident.activated creates an incident that was never requested',
    event: buildEvent(
      {
        type: 'incident.activated',
        payload: {
          incidentId: NEW_ID,
          title: 'Storm',
          kind: 'weather',
          description: '',
          area: null,
          summonedActorIds: ['nacka'],
          nextConferenceAt: null,
        },
      },
      { at: AT, by: leadTib },
    ),
    after: (s) =>
      withIncident(
        s,
        buildIncident({
          id: NEW_ID,
          title: 'Storm',
          description: '',
          area: null,
          summonedActorIds: ['nacka'],
          activatedAt: AT,
          activatedBy: leadTib,
          activatedSeq: 1,
          version: 1,
        }),
      ),
  },
  {
    name: 'incident.updated changes only the fields it carries, and can clear the area',
    event: buildEvent(
      {
        type: 'incident.updated',
        payload: {
          incidentId: ACTIVE,
          area: null,
          nextConferenceAt: minutesAfterNow(120),
          description: undefined,
        },
      },
      at,
    ),
    // The version is the seq of the event that changed the incident (1 in these cases).
    after: (s) =>
      withIncident(s, { ...activeIncident, area: null, nextConferenceAt: minutesAfterNow(120), version: 1 }),
  },
  {
    name: 'incident.updated of an unknown incident is ignored',
    event: buildEvent({ type: 'incident.updated', payload: { incidentId: UNKNOWN, description: 'x' } }, at),
    after: (s) => s,
  },
  {
    name: 'incident.closed closes with the summary, who and when',
    event: buildEvent({ type: 'incident.closed', payload: { incidentId: ACTIVE, summary: 'All clear' } }, at),
    after: (s) =>
      withIncident(s, {
        ...activeIncident,
        status: 'closed',
        closedAt: AT,
        closedBy: nackaTib,
        closedSeq: 1,
        closingSummary: 'All clear',
        version: 1,
      }),
  },
  {
    name: 'incident.closed of an unknown incident is ignored',
    event: buildEvent({ type: 'incident.closed', payload: { incidentId: UNKNOWN, summary: '' } }, at),
    after: (s) => s,
  },
  {
    name: 'readiness.changed lifts heightened readiness',
    event: buildEvent({ type: 'readiness.changed', payload: { heightened: false, note: '' } }, at),
    after: (s) => ({ ...s, readiness: { ...initialState().readiness, by: nackaTib } }),
  },
  {
    name: 'readiness.changed keeps the time readiness was raised when only the note changes',
    event: buildEvent({ type: 'readiness.changed', payload: { heightened: true, note: 'Whole county' } }, at),
    after: (s) => ({
      ...s,
      readiness: { ...s.readiness, note: 'Whole county', by: nackaTib },
    }),
  },
  {
    name: 'activation.acknowledged records the actor, who and when',
    event: buildEvent(
      { type: 'activation.acknowledged', payload: { incidentId: ACTIVE, actorId: 'nacka' } },
      at,
    ),
    after: (s) =>
      withIncident(s, { ...activeIncident, acknowledgements: { nacka: { at: AT, by: nackaTib, seq: 1 } } }),
  },
  {
    name: 'activation.acknowledged of an unknown incident is ignored',
    event: buildEvent(
      { type: 'activation.acknowledged', payload: { incidentId: UNKNOWN, actorId: 'nacka' } },
      at,
    ),
    after: (s) => s,
  },
  {
    name: "report.submitted adds the report at the log's time and place",
    event: buildEvent({ type: 'report.submitted', payload: { report: asDecided(newReport) } }, at),
    after: (s) => ({ ...s, reports: { [NEW_ID]: folded(newReport) } }),
  },
  {
    name: "fieldReport.submitted adds the field report and leaves the actor's situation reports alone",
    event: buildEvent(
      { type: 'fieldReport.submitted', payload: { fieldReport: asDecided(newFieldReport) } },
      at,
    ),
    after: (s) => ({ ...s, fieldReports: { [NEW_ID]: folded(newFieldReport) } }),
  },
  {
    name: "checkin.created adds the check-in at the log's time and place",
    event: buildEvent({ type: 'checkin.created', payload: { checkin: asDecided(newCheckin) } }, at),
    after: (s) => ({ ...s, checkins: { ...s.checkins, [NEW_ID]: folded(newCheckin) } }),
  },
  {
    name: 'checkin.checkedOut ends the check-in at the event time and keeps it in the roster',
    event: buildEvent({ type: 'checkin.checkedOut', payload: { checkinId: CHECKIN } }, at),
    after: (s) => ({ ...s, checkins: { [CHECKIN]: { ...checkin, checkedOutAt: AT } } }),
  },
  {
    name: 'checkin.checkedOut of an unknown check-in is ignored',
    event: buildEvent({ type: 'checkin.checkedOut', payload: { checkinId: UNKNOWN } }, at),
    after: (s) => s,
  },
  {
    name: "logEntry.added adds the entry at the log's time and place",
    event: buildEvent({ type: 'logEntry.added', payload: { entry: asDecided(newEntry) } }, at),
    after: (s) => ({ ...s, logEntries: { [NEW_ID]: folded(newEntry) } }),
  },
  {
    name: 'conference.scheduled adds a scheduled conference with no step and nothing recorded',
    event: buildEvent(
      {
        type: 'conference.scheduled',
        payload: {
          conference: {
            id: NEW_ID,
            incidentId: null,
            title: 'Veckomöte',
            scheduledAt: minutesAfterNow(600),
            convenerActorId: 'lansstyrelsen',
            summonedActorIds: ['lansstyrelsen', 'nacka', 'polisen'],
            recurrence: { weekday: 2, time: '09:00' },
            previousConferenceId: OPEN,
          },
        },
      },
      { at: AT, by: leadTib },
    ),
    after: (s) =>
      withConference(s, {
        ...scheduledConference,
        id: NEW_ID,
        incidentId: null,
        title: 'Veckomöte',
        scheduledAt: minutesAfterNow(600),
        summonedActorIds: ['lansstyrelsen', 'nacka', 'polisen'],
        recurrence: { weekday: 2, time: '09:00' },
        previousConferenceId: OPEN,
        scheduledSeq: 1,
      }),
  },
  {
    name: 'conference.dialInSet keeps the dial-in apart from the conference, with whom it is for',
    event: buildEvent(
      {
        type: 'conference.dialInSet',
        payload: { conferenceId: SCHEDULED, dialIn: 'Tel 08-123 45, PIN 999', summonedActorIds: ['nacka'] },
      },
      at,
    ),
    after: (s) => ({
      ...s,
      conferenceDialIns: {
        [SCHEDULED]: {
          conferenceId: SCHEDULED,
          dialIn: 'Tel 08-123 45, PIN 999',
          summonedActorIds: ['nacka'],
          seq: 1,
        },
      },
    }),
  },
  {
    name: 'conference.dialInSet of an unknown conference is ignored',
    event: buildEvent(
      { type: 'conference.dialInSet', payload: { conferenceId: UNKNOWN, dialIn: 'x', summonedActorIds: [] } },
      at,
    ),
    after: (s) => s,
  },
  {
    name: 'conference.rescheduled moves the conference',
    event: buildEvent(
      {
        type: 'conference.rescheduled',
        payload: { conferenceId: SCHEDULED, scheduledAt: minutesAfterNow(90) },
      },
      at,
    ),
    after: (s) => withConference(s, { ...scheduledConference, scheduledAt: minutesAfterNow(90) }),
  },
  {
    name: 'conference.summonsExtended replaces the summoned actors with the longer list',
    event: buildEvent(
      {
        type: 'conference.summonsExtended',
        payload: { conferenceId: SCHEDULED, summonedActorIds: ['lansstyrelsen', 'nacka', 'solna'] },
      },
      at,
    ),
    after: (s) =>
      withConference(s, { ...scheduledConference, summonedActorIds: ['lansstyrelsen', 'nacka', 'solna'] }),
  },
  {
    name: 'conference.opened starts the conference at the roll call, stamped with who and when',
    event: buildEvent(
      { type: 'conference.opened', payload: { conferenceId: SCHEDULED } },
      { at: AT, by: leadTib },
    ),
    after: (s) =>
      withConference(s, {
        ...scheduledConference,
        status: 'open',
        step: 'rollCall',
        openedAt: AT,
        openedBy: leadTib,
        openedSeq: 1,
      }),
  },
  {
    name: 'conference.opened of an unknown conference is ignored',
    event: buildEvent({ type: 'conference.opened', payload: { conferenceId: UNKNOWN } }, at),
    after: (s) => s,
  },
  {
    name: 'conference.stepped moves the agenda',
    event: buildEvent(
      { type: 'conference.stepped', payload: { conferenceId: OPEN, step: 'assessment' } },
      at,
    ),
    after: (s) => withConference(s, { ...openConference, step: 'assessment' }),
  },
  {
    name: "conference.rollCalled adds an actor's roll call and keeps the others",
    event: buildEvent(
      {
        type: 'conference.rollCalled',
        payload: {
          conferenceId: OPEN,
          actorId: 'nacka',
          presence: 'represented',
          representedBy: { actorId: 'lansstyrelsen', functionId: 'coordinator' },
        },
      },
      at,
    ),
    after: (s) =>
      withConference(s, {
        ...openConference,
        rollCall: {
          ...openConference.rollCall,
          nacka: {
            presence: 'represented',
            representedBy: { actorId: 'lansstyrelsen', functionId: 'coordinator' },
            at: AT,
            by: nackaTib,
            seq: 1,
          },
        },
      }),
  },
  {
    name: 'conference.rollCalled again replaces the earlier answer',
    event: buildEvent(
      {
        type: 'conference.rollCalled',
        payload: { conferenceId: OPEN, actorId: 'lansstyrelsen', presence: 'absent', representedBy: null },
      },
      at,
    ),
    after: (s) =>
      withConference(s, {
        ...openConference,
        rollCall: {
          lansstyrelsen: { presence: 'absent', representedBy: null, at: AT, by: nackaTib, seq: 1 },
        },
      }),
  },
  {
    name: "conference.roundNoted marks the actor's round with the chair's note",
    event: buildEvent(
      {
        type: 'conference.roundNoted',
        payload: { conferenceId: OPEN, actorId: 'nacka', reported: true, note: 'Water out since 06:00' },
      },
      { at: AT, by: leadTib },
    ),
    after: (s) =>
      withConference(s, {
        ...openConference,
        rounds: { nacka: { reported: true, note: 'Water out since 06:00', at: AT, by: leadTib, seq: 1 } },
      }),
  },
  {
    name: 'conference.assessed adds the next version of the assessment and keeps the earlier',
    event: buildEvent(
      {
        type: 'conference.assessed',
        payload: { conferenceId: OPEN, ...assessment, situation: 'Water back in half of Nacka' },
      },
      { at: AT, by: leadTib },
    ),
    after: (s) =>
      withConference(s, {
        ...openConference,
        assessments: [
          ...openConference.assessments,
          {
            ...assessment,
            situation: 'Water back in half of Nacka',
            version: 2,
            at: AT,
            by: leadTib,
            seq: 1,
          },
        ],
      }),
  },
  {
    name: 'conference.nextSet sets the time of the next conference',
    event: buildEvent(
      { type: 'conference.nextSet', payload: { conferenceId: OPEN, nextConferenceAt: minutesAfterNow(240) } },
      at,
    ),
    after: (s) => withConference(s, { ...openConference, nextConferenceAt: minutesAfterNow(240) }),
  },
  {
    name: 'conference.closed closes the conference and leaves the step where the chair left it',
    event: buildEvent(
      { type: 'conference.closed', payload: { conferenceId: OPEN } },
      { at: AT, by: leadTib },
    ),
    after: (s) =>
      withConference(s, {
        ...openConference,
        status: 'closed',
        closedAt: AT,
        closedBy: leadTib,
        closedSeq: 1,
      }),
  },
  {
    name: 'conference.minutesApproved keeps the approved minutes as a version',
    event: buildEvent(
      {
        type: 'conference.minutesApproved',
        payload: { conferenceId: OPEN, version: 1, minutes, correction: '' },
      },
      { at: AT, by: leadTib },
    ),
    after: (s) =>
      withConference(s, {
        ...openConference,
        minutes: [{ version: 1, minutes, correction: '', at: AT, by: leadTib, seq: 1 }],
      }),
  },
  {
    name: "actionItem.recorded adds an open item at the log's time and place",
    event: buildEvent(
      {
        type: 'actionItem.recorded',
        payload: {
          item: {
            id: NEW_ID,
            conferenceId: OPEN,
            incidentId: ACTIVE,
            kind: 'action',
            text: 'Police close Värmdöleden',
            ownerActorId: 'polisen',
            dueAt: null,
            at: TEST_NOW,
            by: leadTib,
          },
        },
      },
      { at: AT, by: leadTib },
    ),
    after: (s) => ({
      ...s,
      actionItems: {
        ...s.actionItems,
        [NEW_ID]: {
          ...item,
          id: NEW_ID,
          kind: 'action',
          text: 'Police close Värmdöleden',
          ownerActorId: 'polisen',
          dueAt: null,
          at: AT,
          seq: 1,
        },
      },
    }),
  },
  {
    name: 'actionItem.statusSet marks the item done, by whom and when',
    event: buildEvent({ type: 'actionItem.statusSet', payload: { itemId: ITEM, status: 'done' } }, at),
    after: (s) => ({
      ...s,
      actionItems: { [ITEM]: { ...item, status: 'done', statusAt: AT, statusBy: nackaTib } },
    }),
  },
  {
    name: 'actionItem.statusSet of an unknown item is ignored',
    event: buildEvent({ type: 'actionItem.statusSet', payload: { itemId: UNKNOWN, status: 'done' } }, at),
    after: (s) => s,
  },
  {
    name: 'offer.made adds an offer waiting for an answer',
    event: buildEvent(
      {
        type: 'offer.made',
        payload: {
          offer: {
            ...offer,
            id: NEW_ID,
            fromActorId: 'polisen',
            what: 'Officers for traffic control',
            at: TEST_NOW,
            by: nackaTib,
          },
        },
      },
      at,
    ),
    after: (s) => ({
      ...s,
      offers: {
        ...s.offers,
        [NEW_ID]: {
          ...offer,
          id: NEW_ID,
          fromActorId: 'polisen',
          what: 'Officers for traffic control',
          at: AT,
          by: nackaTib,
          seq: 1,
        },
      },
    }),
  },
  {
    name: 'offer.answered records the answer, by whom and when',
    event: buildEvent(
      {
        type: 'offer.answered',
        payload: {
          offerId: OFFER,
          answer: 'accepted',
          needActorId: 'nacka',
          fromActorId: 'lansstyrelsen',
          sharing: { scope: 'region' },
        },
      },
      at,
    ),
    after: (s) => ({
      ...s,
      offers: { [OFFER]: { ...offer, status: 'accepted', answeredAt: AT, answeredBy: nackaTib } },
    }),
  },
  {
    name: 'offer.answered of an unknown offer is ignored',
    event: buildEvent(
      {
        type: 'offer.answered',
        payload: {
          offerId: UNKNOWN,
          answer: 'declined',
          needActorId: 'nacka',
          fromActorId: 'lansstyrelsen',
          sharing: { scope: 'own' },
        },
      },
      at,
    ),
    after: (s) => s,
  },
  {
    name: "need.settled records the needing actor's judgement of the report's needs",
    event: buildEvent(
      {
        type: 'need.settled',
        payload: {
          incidentId: ACTIVE,
          actorId: 'nacka',
          reportId: NEEDS_REPORT,
          coverage: 'partlyCovered',
          note: 'Two of four care homes',
          sharing: { scope: 'own' },
        },
      },
      at,
    ),
    after: (s) => ({
      ...s,
      needSettlements: {
        [NEEDS_REPORT]: {
          incidentId: ACTIVE,
          actorId: 'nacka',
          reportId: NEEDS_REPORT,
          coverage: 'partlyCovered',
          note: 'Two of four care homes',
          sharing: { scope: 'own' },
          at: AT,
          by: nackaTib,
          seq: 1,
        },
      },
    }),
  },
  {
    name: 'directive.drafted begins a directive with its draft',
    event: buildEvent(
      {
        type: 'directive.drafted',
        payload: {
          directiveId: NEW_ID,
          incidentId: ACTIVE,
          content: directiveContent,
          templateId: 'storm',
          templateFilledAt: '2024-05-01T08:05:00.000Z',
          baseVersion: 0,
        },
      },
      at,
    ),
    after: (s) => ({
      ...s,
      directives: {
        ...s.directives,
        [NEW_ID]: {
          id: NEW_ID,
          incidentId: ACTIVE,
          draft: {
            content: directiveContent,
            templateId: 'storm',
            templateFilledAt: '2024-05-01T08:05:00.000Z',
            baseVersion: 0,
            at: AT,
            by: nackaTib,
            seq: 1,
          },
          versions: [],
          followUps: {},
          version: 1,
        },
      },
    }),
  },
  {
    name: 'directive.drafted replaces the waiting draft and keeps the versions',
    event: buildEvent(
      {
        type: 'directive.drafted',
        payload: {
          directiveId: DIRECTIVE,
          incidentId: ACTIVE,
          content: directiveContent,
          templateId: null,
          templateFilledAt: null,
          baseVersion: 1,
        },
      },
      at,
    ),
    after: (s) =>
      withDirective(s, {
        draft: {
          content: directiveContent,
          templateId: null,
          templateFilledAt: null,
          baseVersion: 1,
          at: AT,
          by: nackaTib,
          seq: 1,
        },
      }),
  },
  {
    name: 'directive.decided appends the next version, decided by the sender, and clears the draft',
    event: buildEvent(
      {
        type: 'directive.decided',
        payload: {
          directiveId: DIRECTIVE,
          version: 2,
          content: newPurpose,
          templateId: null,
          changedFields: ['purpose'],
          draftedBy: leadTib,
        },
      },
      { at: AT, by: head },
    ),
    after: (s) =>
      withDirective(s, {
        draft: null,
        versions: [
          firstVersion,
          {
            version: 2,
            content: newPurpose,
            templateId: null,
            changedFields: ['purpose'],
            draftedBy: leadTib,
            deciders: [head],
            decidedAt: AT,
            seq: 1,
          },
        ],
      }),
  },
  {
    name: 'directive.decided that does not follow the last version is ignored',
    event: buildEvent(
      {
        type: 'directive.decided',
        payload: {
          directiveId: DIRECTIVE,
          version: 1,
          content: newPurpose,
          templateId: null,
          changedFields: ['purpose'],
          draftedBy: leadTib,
        },
      },
      { at: AT, by: head },
    ),
    after: (s) => s,
  },
  {
    name: 'directive.cosigned adds a decider to the version',
    event: buildEvent({ type: 'directive.cosigned', payload: { directiveId: DIRECTIVE, version: 1 } }, at),
    after: (s) => withDirective(s, { versions: [{ ...firstVersion, deciders: [head, nackaTib] }] }),
  },
  {
    name: 'directive.cosigned of an unknown version is ignored',
    event: buildEvent({ type: 'directive.cosigned', payload: { directiveId: DIRECTIVE, version: 7 } }, at),
    after: (s) => s,
  },
  {
    name: "directive.confirmed records the owner's confirmation of the version",
    event: buildEvent(
      { type: 'directive.confirmed', payload: { directiveId: DIRECTIVE, itemId: HEALTH_ITEM, version: 1 } },
      at,
    ),
    after: (s) =>
      withDirective(s, {
        followUps: {
          [`${NACKA_ITEM}@1`]: nackaConfirmation,
          [`${HEALTH_ITEM}@1`]: { ...nackaConfirmation, itemId: HEALTH_ITEM, confirmedAt: AT, seq: 1 },
        },
      }),
  },
  {
    name: "directive.confirmed of a later version keeps the earlier version's confirmation for the record",
    event: buildEvent(
      { type: 'directive.confirmed', payload: { directiveId: DIRECTIVE, itemId: NACKA_ITEM, version: 2 } },
      at,
    ),
    after: (s) =>
      withDirective(s, {
        followUps: {
          [`${NACKA_ITEM}@1`]: nackaConfirmation,
          [`${NACKA_ITEM}@2`]: { ...nackaConfirmation, version: 2, confirmedAt: AT, seq: 1 },
        },
      }),
  },
  {
    name: 'directive.itemReported writes the outcome into the follow-up',
    event: buildEvent(
      {
        type: 'directive.itemReported',
        payload: {
          directiveId: DIRECTIVE,
          itemId: NACKA_ITEM,
          version: 1,
          outcome: 'partlyDone',
          text: 'Två av tre',
        },
      },
      at,
    ),
    after: (s) =>
      withDirective(s, {
        followUps: {
          [`${NACKA_ITEM}@1`]: {
            ...nackaConfirmation,
            outcome: 'partlyDone',
            outcomeText: 'Två av tre',
            reportedAt: AT,
            reportedBy: nackaTib,
          },
        },
      }),
  },
  {
    name: 'directive.itemReported of an item never confirmed is ignored',
    event: buildEvent(
      {
        type: 'directive.itemReported',
        payload: { directiveId: DIRECTIVE, itemId: HEALTH_ITEM, version: 1, outcome: 'done', text: '' },
      },
      at,
    ),
    after: (s) => s,
  },
  {
    name: 'directiveTemplate.saved keeps the template with who saved it',
    event: buildEvent(
      { type: 'directiveTemplate.saved', payload: { template: buildDirectiveTemplate() } },
      at,
    ),
    after: (s) => ({
      ...s,
      directiveTemplates: {
        ...s.directiveTemplates,
        'test-storm': { template: buildDirectiveTemplate(), at: AT, by: nackaTib, seq: 1 },
      },
    }),
  },
  {
    name: 'directiveTemplate.removed leaves a removal that also hides a region-file template',
    event: buildEvent({ type: 'directiveTemplate.removed', payload: { templateId: 'storm' } }, at),
    after: (s) => ({
      ...s,
      directiveTemplates: {
        ...s.directiveTemplates,
        storm: { template: null, at: AT, by: nackaTib, seq: 1 },
      },
    }),
  },
  {
    name: "directiveTemplate.restored drops the app's change, so the region file's template is offered again",
    event: buildEvent({ type: 'directiveTemplate.restored', payload: { templateId: 'pandemi' } }, at),
    after: (s) => ({ ...s, directiveTemplates: {} }),
  },
  {
    name: 'directiveTemplate.restored of a template the app never changed is ignored',
    event: buildEvent({ type: 'directiveTemplate.restored', payload: { templateId: 'storm' } }, at),
    after: (s) => s,
  },
  {
    name: 'jointMessage.drafted begins a message with its first version, owned by the drafting actor',
    event: buildEvent(
      {
        type: 'jointMessage.drafted',
        payload: {
          messageId: NEW_ID,
          incidentId: ACTIVE,
          version: 1,
          content: messageContent,
          approverActorIds: ['nacka', 'lansstyrelsen'],
          ownerActorId: 'nacka',
          incidentTitle: 'Storm Ylva',
          incidentKind: 'weather',
        },
      },
      at,
    ),
    after: (s) => ({
      ...s,
      jointMessages: {
        ...s.jointMessages,
        [NEW_ID]: {
          id: NEW_ID,
          incidentId: ACTIVE,
          ownerActorId: 'nacka',
          versions: [
            {
              version: 1,
              content: messageContent,
              approverActorIds: ['nacka', 'lansstyrelsen'],
              incidentTitle: 'Storm Ylva',
              incidentKind: 'weather',
              draftedBy: nackaTib,
              at: AT,
              seq: 1,
              signOffs: {},
              agreedAt: null,
              agreedSeq: null,
            },
          ],
          publications: {},
          cancelled: null,
          version: 1,
        },
      },
    }),
  },
  {
    name: 'jointMessage.drafted appends the next version with the incident as it is now, and keeps the owner, sign-offs and publications',
    event: buildEvent(
      {
        type: 'jointMessage.drafted',
        payload: {
          messageId: MESSAGE,
          incidentId: ACTIVE,
          version: 3,
          content: messageContent,
          approverActorIds: ['stockholm', 'nacka'],
          ownerActorId: 'stockholm',
          incidentTitle: 'Strömavbrott efter storm Ylva',
          incidentKind: 'infrastructure',
        },
      },
      at,
    ),
    after: (s) =>
      withMessage(s, {
        versions: [
          agreedV1,
          draftedV2,
          {
            version: 3,
            content: messageContent,
            approverActorIds: ['stockholm', 'nacka'],
            incidentTitle: 'Strömavbrott efter storm Ylva',
            incidentKind: 'infrastructure',
            draftedBy: nackaTib,
            at: AT,
            seq: 1,
            signOffs: {},
            agreedAt: null,
            agreedSeq: null,
          },
        ],
      }),
  },
  {
    name: 'jointMessage.drafted that does not follow the last version is ignored',
    event: buildEvent(
      {
        type: 'jointMessage.drafted',
        payload: {
          messageId: MESSAGE,
          incidentId: ACTIVE,
          version: 2,
          content: messageContent,
          approverActorIds: ['stockholm', 'nacka'],
          ownerActorId: 'stockholm',
          incidentTitle: 'Storm Ylva',
          incidentKind: 'weather',
        },
      },
      at,
    ),
    after: (s) => s,
  },
  {
    name: "jointMessage.approved records the actor's approval of the version, with its comment",
    event: buildEvent(
      {
        type: 'jointMessage.approved',
        payload: { messageId: MESSAGE, version: 2, actorId: 'nacka', comment: 'Bra', byDrafting: false },
      },
      at,
    ),
    after: (s) =>
      withV2(s, {
        signOffs: {
          ...draftedV2.signOffs,
          nacka: { ...signOff('nacka', nackaTib, 1), comment: 'Bra', at: AT },
        },
      }),
  },
  {
    name: 'jointMessage.approved of a version the message lacks is ignored',
    event: buildEvent(
      {
        type: 'jointMessage.approved',
        payload: { messageId: MESSAGE, version: 7, actorId: 'nacka', comment: '', byDrafting: false },
      },
      at,
    ),
    after: (s) => s,
  },
  {
    name: "jointMessage.changeRequested replaces the actor's earlier answer to the version",
    event: buildEvent(
      {
        type: 'jointMessage.changeRequested',
        payload: { messageId: MESSAGE, version: 2, actorId: 'stockholm', comment: 'Fel adress' },
      },
      at,
    ),
    after: (s) =>
      withV2(s, {
        signOffs: {
          stockholm: {
            actorId: 'stockholm',
            decision: 'changeRequested',
            comment: 'Fel adress',
            byDrafting: false,
            at: AT,
            by: nackaTib,
            seq: 1,
          },
        },
      }),
  },
  {
    name: 'jointMessage.agreed marks the version agreed at the log time',
    event: buildEvent({ type: 'jointMessage.agreed', payload: { messageId: MESSAGE, version: 2 } }, at),
    after: (s) => withV2(s, { agreedAt: AT, agreedSeq: 1 }),
  },
  {
    name: 'jointMessage.agreed of a version agreed already keeps the time it was agreed',
    event: buildEvent({ type: 'jointMessage.agreed', payload: { messageId: MESSAGE, version: 1 } }, at),
    after: (s) => s,
  },
  {
    name: "jointMessage.published records the actor's publication on a channel, keyed by actor and channel",
    event: buildEvent(
      {
        type: 'jointMessage.published',
        payload: {
          messageId: MESSAGE,
          version: 1,
          actorId: 'nacka',
          channel: 'social',
          publishedAt: TEST_NOW,
          note: 'Facebook',
        },
      },
      at,
    ),
    after: (s) =>
      withMessage(s, {
        publications: {
          'nacka:web': nackaWeb,
          'nacka:social': { ...nackaWeb, channel: 'social', note: 'Facebook', at: AT, seq: 1 },
        },
      }),
  },
  {
    name: "jointMessage.published again on a channel replaces the actor's record there",
    event: buildEvent(
      {
        type: 'jointMessage.published',
        payload: {
          messageId: MESSAGE,
          version: 1,
          actorId: 'nacka',
          channel: 'web',
          publishedAt: AT,
          note: 'Rättad tid',
        },
      },
      at,
    ),
    after: (s) =>
      withMessage(s, {
        publications: { 'nacka:web': { ...nackaWeb, publishedAt: AT, note: 'Rättad tid', at: AT, seq: 1 } },
      }),
  },
  {
    name: 'jointMessage.cancelled withdraws the message, with why, who and when',
    event: buildEvent(
      { type: 'jointMessage.cancelled', payload: { messageId: MESSAGE, reason: 'Över' } },
      at,
    ),
    after: (s) => withMessage(s, { cancelled: { reason: 'Över', at: AT, by: nackaTib, seq: 1 } }),
  },
  {
    name: 'jointMessage.cancelled of an unknown message is ignored',
    event: buildEvent(
      { type: 'jointMessage.cancelled', payload: { messageId: UNKNOWN, reason: 'Över' } },
      at,
    ),
    after: (s) => s,
  },
  {
    name: 'readiness.changed with a government decision raises the level and keeps when readiness was raised',
    event: buildEvent(
      {
        type: 'readiness.changed',
        payload: {
          heightened: true,
          note: 'Högsta beredskap',
          decision: {
            level: 'highest',
            scope: 'parts',
            parts: 'Stockholms län',
            decisionRef: 'Fö2026/01234',
            decisionDate: null,
          },
        },
      },
      at,
    ),
    after: (s) => ({
      ...s,
      readiness: {
        heightened: true,
        note: 'Högsta beredskap',
        since: TEST_NOW,
        by: nackaTib,
        level: 'highest',
        scope: 'parts',
        parts: 'Stockholms län',
        decisionRef: 'Fö2026/01234',
        decisionDate: null,
      },
    }),
  },
];

describe('apply', () => {
  it.each(named(cases))('%s', (_name, { event, after }) => {
    // Frozen, so any write to the input or the event throws instead of passing unnoticed.
    const input = deepFreeze(before());
    const snapshot = cloneJson(input);
    const next = apply(input, deepFreeze(cloneJson(event)));
    expect(next).toEqual(after(before()));
    expect(input).toEqual(snapshot);
    // The hub folds with applyInPlace; both must end in the same state.
    expect(stateHash(applyInPlace(before(), [event]))).toBe(stateHash(next));
  });

  it('has a case for every event type a client folds', () => {
    const domainTypes = EVENT_TYPES.filter((type) => !isDirectoryEventType(type));
    expect(new Set(cases.map((c) => c.event.type))).toEqual(new Set(domainTypes));
  });

  it('leaves the domain state alone for hub-only directory events', () => {
    const input = deepFreeze(before());
    const event = buildEvent({ type: 'session.revoked', payload: { sessionId: 'session-1' } }, at);
    expect(apply(input, event)).toEqual(before());
  });

  it('copies only the collection an event touches, so unchanged views keep their data', () => {
    const state = deepFreeze(before());
    const next = apply(state, buildEvent({ type: 'checkin.checkedOut', payload: { checkinId: CHECKIN } }));
    expect(next).not.toBe(state);
    expect(next.checkins).not.toBe(state.checkins);
    expect(next.incidents).toBe(state.incidents);
    expect(next.reports).toBe(state.reports);
    expect(next.logEntries).toBe(state.logEntries);
    expect(next.incidents[ACTIVE]).toBe(state.incidents[ACTIVE]);
  });

  it('replaces only the conference an event touches, and no other collection', () => {
    const state = deepFreeze(before());
    const next = apply(
      state,
      buildEvent({ type: 'conference.stepped', payload: { conferenceId: OPEN, step: 'directives' } }),
    );
    expect(next.conferences).not.toBe(state.conferences);
    expect(next.conferences[OPEN]).not.toBe(state.conferences[OPEN]);
    expect(next.conferences[SCHEDULED]).toBe(state.conferences[SCHEDULED]);
    expect(next.actionItems).toBe(state.actionItems);
    expect(next.offers).toBe(state.offers);
    expect(next.conferenceDialIns).toBe(state.conferenceDialIns);
  });

  it('folds a whole history from the initial state without reading anything else', () => {
    const events: StoredEvent[] = [
      buildEvent(
        { type: 'incident.requested', payload: { incidentId: NEW_ID, title: 'Storm', reason: 'r' } },
        { seq: 1 },
      ),
      buildEvent(
        { type: 'incident.closed', payload: { incidentId: NEW_ID, summary: 'Declined' } },
        { seq: 2 },
      ),
    ];
    const state = events.reduce(apply, initialState());
    expect(state.incidents[NEW_ID]?.status).toBe('closed');
    expect(state.incidents[NEW_ID]?.closingSummary).toBe('Declined');
  });

  it("folds a check-in an older hub logged without sharing as the actor's own, with and without copying", () => {
    const { sharing: _sharing, ...stored } = buildCheckin({ id: NEW_ID, by: nackaTib });
    // As journal replay hands it over: read without the schema that would add the default.
    const event = buildEvent({ type: 'checkin.created', payload: { checkin: stored as Checkin } });
    const viaApply = apply(initialState(), event);
    const viaReplay = applyInPlace(initialState(), [event]);
    expect(viaApply.checkins[NEW_ID]?.sharing).toEqual({ scope: 'own' });
    expect(viaReplay.checkins[NEW_ID]).toEqual(viaApply.checkins[NEW_ID]);
    expect(
      projectState(viaApply, { kind: 'actor', actorId: 'lansstyrelsen' }).checkins[NEW_ID],
    ).toMatchObject({
      regionSummary: true,
      note: '',
    });
  });

  it('reads the items of a snapshot an older hub wrote as the schema would: seq 0, before all logged since', () => {
    const { seq: _seq, ...oldReport } = buildReport({ id: NEW_ID, incidentId: ACTIVE });
    const { seq: _ackSeq, ...oldAcknowledgement } = { at: TEST_NOW, by: nackaTib, seq: 0 };
    const {
      requestedSeq: _r,
      activatedSeq: _a,
      closedSeq: _c,
      ...oldIncident
    } = { ...activeIncident, acknowledgements: { nacka: oldAcknowledgement } };
    // As the snapshot codec hands it over: parsed JSON, not checked against the schema.
    const state = cloneJson<unknown>({
      ...buildState({ checkins: [checkin] }),
      incidents: { [ACTIVE]: oldIncident },
      reports: { [NEW_ID]: oldReport },
    }) as State;
    const current = state.checkins[CHECKIN];
    fillLogPlaces(state);
    expect(state.reports[NEW_ID]?.seq).toBe(0);
    expect(state.incidents[ACTIVE]).toMatchObject({
      requestedSeq: null,
      activatedSeq: null,
      closedSeq: null,
    });
    expect(state.incidents[ACTIVE]?.acknowledgements.nacka?.seq).toBe(0);
    // What has its place is left as it is.
    expect(state.checkins[CHECKIN]).toBe(current);
    expect(State.parse(state)).toEqual(state);
  });
});
