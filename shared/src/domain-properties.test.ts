import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply, applyInPlace } from './apply.js';
import { COMMAND_TYPES, parseCommand, type Command, type CommandType } from './commands.js';
import type { conferenceCommandPayloads } from './conference-commands.js';
import type { directiveCommandPayloads } from './directive-commands.js';
import type { messageCommandPayloads } from './message-commands.js';
import { PUBLICATION_CHANNELS } from './message-model.js';
import {
  currentMessageOf,
  hasApproved,
  latestAgreedVersion,
  latestMessageVersion,
  messagesOf,
} from './message-selectors.js';
import { confirmationOf, directiveOfIncident, inForce } from './directive-selectors.js';
import { directiveTemplatesOf } from './directive-templates.js';
import {
  ActionItemStatus,
  CONFERENCE_STEPS,
  NEED_COVERAGES,
  PRESENCES,
  type Conference,
  type ConferenceStatus,
} from './conference-model.js';
import { itemsOfConference } from './conference-selectors.js';
import { decide } from './decide.js';
import { isDirectoryEventType } from './directory.js';
import { EVENT_TYPES, parseStoredEvent, type StoredEvent } from './events.js';
import type { MapFeature } from './geo.js';
import { stateHash } from './hash.js';
import { ITEM_OUTCOMES, type DirectiveVersion } from './directive-model.js';
import {
  CHECKIN_STATUSES,
  INCIDENT_KINDS,
  State,
  initialState,
  type Attribution,
  type Sharing,
  type State as DomainState,
} from './model.js';
import { authorize } from './rights.js';
import {
  buildAcknowledgeCommand,
  buildActionItemRecordCommand,
  buildActionItemStatusCommand,
  buildActivateCommand,
  buildArea,
  buildAttribution,
  buildCheckinCommand,
  buildCheckoutCommand,
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
  buildDirectiveConfirmCommand,
  buildDirectiveContent,
  buildDirectiveCosignCommand,
  buildDirectiveDecideCommand,
  buildDirectiveDraftCommand,
  buildDirectiveReportCommand,
  buildDirectiveTemplate,
  buildEvent,
  buildFieldReportCommand,
  buildJointMessageApproveCommand,
  buildJointMessageCancelCommand,
  buildJointMessageDraftCommand,
  buildJointMessagePublishCommand,
  buildJointMessageRequestChangeCommand,
  buildLogEntryCommand,
  buildMessageContent,
  buildMessageText,
  buildMapFeature,
  buildNeedSettleCommand,
  buildOfferAnswerCommand,
  buildOfferMakeCommand,
  buildReadinessCommand,
  buildReportCommand,
  buildRequestCommand,
  buildTemplateRemoveCommand,
  buildTemplateRestoreCommand,
  buildTemplateSaveCommand,
  cloneJson,
  minutesAfterNow,
  stockholmRegion,
  testUuid,
} from './testing/test-factories.js';
import { eventsForViewer, projectState, type Viewer } from './visibility.js';

const region = stockholmRegion();

/** People of a few actors, in the functions they hold; each command goes to one allowed to send it. */
const PEOPLE = [
  { userId: 'u-lst-tib', userName: 'Lena', actorId: 'lansstyrelsen', functionIds: ['dutyOfficer'] },
  { userId: 'u-lst-coord', userName: 'Lars', actorId: 'lansstyrelsen', functionIds: ['coordinator'] },
  { userId: 'u-nacka-tib', userName: 'Nils', actorId: 'nacka', functionIds: ['dutyOfficer'] },
  { userId: 'u-nacka-field', userName: 'Frida', actorId: 'nacka', functionIds: ['field'] },
  { userId: 'u-polis', userName: 'Per', actorId: 'polisen', functionIds: ['coordinator'] },
  { userId: 'u-sos', userName: 'Sara', actorId: 'sos-alarm', functionIds: ['dutyOfficer'] },
  { userId: 'u-sthlm-comm', userName: 'Stina', actorId: 'stockholm', functionIds: ['communicator'] },
  { userId: 'u-lst-head', userName: 'Dag', actorId: 'lansstyrelsen', functionIds: ['directing'] },
  { userId: 'u-region-head', userName: 'Rut', actorId: 'region-stockholm', functionIds: ['directing'] },
  { userId: 'u-admin', userName: 'Ada', actorId: 'lansstyrelsen', functionIds: ['admin'] },
];
const ACTORS_IN_PLAY = [...new Set(PEOPLE.map((p) => p.actorId))];

/**
 * The sender of a step: the chosen person if allowed, else the next person who is; a person
 * of the `preferred` actor first when there is one allowed.
 */
function senderFor(type: CommandType, choice: number, preferred?: string): Attribution {
  const order = PEOPLE.map((_, i) => PEOPLE[(choice + i) % PEOPLE.length]);
  const ranked = [...order.filter((p) => p?.actorId === preferred), ...order];
  for (const person of ranked) {
    if (!person) continue;
    const allowed = authorize(region, person, type);
    if (allowed.ok) {
      const { functionIds: _functions, ...who } = person;
      return buildAttribution({ ...who, functionId: allowed.functionId });
    }
  }
  throw new Error(`nobody in the test cast may send ${type}`);
}

/** The statuses of the conference each chair's command is aimed at. */
const CHAIR_TARGETS: Partial<Record<CommandType, readonly ConferenceStatus[]>> = {
  'conference.reschedule': ['scheduled'],
  'conference.open': ['scheduled'],
  'conference.step': ['open'],
  'conference.rollCall': ['open'],
  'conference.round': ['open'],
  'conference.assess': ['open'],
  'conference.close': ['open'],
  'conference.setNext': ['open', 'closed'],
  'actionItem.record': ['open', 'closed'],
  'conference.approveMinutes': ['closed'],
};

/**
 * The actor that can send the step's command, for commands only one actor may send (the
 * chair, the owner of an item, the needing actor): most steps are sent by it, so that whole
 * conferences run; every fifth is left to chance, to reach the refusals.
 */
function actorFor(state: DomainState, step: Step): string | undefined {
  if (step.choice % 5 === 0) return undefined;
  const statuses = CHAIR_TARGETS[step.type];
  if (statuses) {
    const conferences = Object.values(state.conferences).filter((c) => statuses.includes(c.status));
    return pickOne(conferences, step.pick)?.convenerActorId;
  }
  switch (step.type) {
    case 'actionItem.setStatus': {
      const item = pickOne(Object.values(state.actionItems), step.pick);
      return step.flag ? item?.ownerActorId : item && state.conferences[item.conferenceId]?.convenerActorId;
    }
    case 'offer.answer':
      return pickOne(Object.values(state.offers), step.pick)?.needActorId;
    case 'need.settle':
      return pickOne(Object.values(state.reports), step.pick)?.actorId;
    case 'jointMessage.approve':
    case 'jointMessage.requestChange': {
      // An actor the latest version names that has not approved it yet.
      const awaiting = openMessages(state).flatMap((m) => {
        const latest = latestMessageVersion(m);
        return latest && latest.agreedAt === null
          ? latest.approverActorIds.filter((id) => !hasApproved(latest, id))
          : [];
      });
      return pickOne(awaiting, step.pick);
    }
    case 'jointMessage.cancel':
      return pickOne(openMessages(state), step.pick)?.ownerActorId;
    case 'directive.confirm':
    case 'directive.reportItem': {
      const decided = Object.values(state.directives).filter((d) => d.versions.length > 0);
      const directive = pickOne(decided, step.pick);
      const items = directive?.versions.at(-1)?.content.items ?? [];
      // Reports are on confirmed items: their owners are the ones who can send one.
      const confirmed = items.filter((i) => directive && confirmationOf(directive, i.id));
      const candidates = step.type === 'directive.reportItem' && confirmed.length > 0 ? confirmed : items;
      return pickOne(candidates, step.choice)?.ownerActorId;
    }
    default:
      return undefined;
  }
}

/** The random choices behind one command; turned into a command against the current state. */
type Step = {
  type: CommandType;
  sender: number;
  pick: number;
  choice: number;
  flag: boolean;
  actors: string[];
  text: string;
};

const stepArb: fc.Arbitrary<Step> = fc.record({
  // Extra activations keep incidents open for the many commands that need one, extra
  // conferences give the chair's commands something to run, and extra directive reports
  // run directives through their steps.
  type: fc.oneof(
    { arbitrary: fc.constantFrom(...COMMAND_TYPES), weight: 4 },
    { arbitrary: fc.constant<CommandType>('incident.activate'), weight: 1 },
    { arbitrary: fc.constant<CommandType>('conference.schedule'), weight: 1 },
    // A report on a directive's item climbs the steps before it (`effectiveType`): drafted,
    // decided, confirmed, reported.
    { arbitrary: fc.constant<CommandType>('directive.reportItem'), weight: 1 },
  ),
  sender: fc.nat({ max: PEOPLE.length - 1 }),
  pick: fc.nat(),
  choice: fc.nat({ max: 11 }),
  flag: fc.boolean(),
  actors: fc.subarray(ACTORS_IN_PLAY),
  text: fc.constantFrom('Storm Ylva', 'Brand i Värtahamnen', '  Översvämning i Kista ', 'Power cut', 'x'),
});
const historyArb = fc.array(stepArb, { minLength: 1, maxLength: 40, size: 'max' });

const pickOne = <T>(items: readonly T[], pick: number): T | undefined =>
  items[pick % Math.max(items.length, 1)];

/**
 * The command a step sends: its own type, except that a directive command with nothing to act
 * on takes the step before it (decide a draft, write one, confirm before reporting), so that
 * histories reach the later steps; every fifth is left to be refused. Chosen before the
 * sender, since the steps before need other rights.
 */
function effectiveType(state: DomainState, step: Step): CommandType {
  const { type } = step;
  if (type.startsWith('jointMessage.') && type !== 'jointMessage.draft' && step.choice % 5 !== 0) {
    const open = openMessages(state);
    if (open.length === 0) return 'jointMessage.draft';
    const agreed = open.some((m) => latestAgreedVersion(m));
    return type === 'jointMessage.publish' && !agreed ? 'jointMessage.approve' : type;
  }
  if (!type.startsWith('directive.') || type === 'directive.draft' || step.choice % 5 === 0) return type;
  const directives = Object.values(state.directives);
  const decided = directives.filter((d) => d.versions.length > 0);
  const before = directives.some((d) => d.draft !== null) ? 'directive.decide' : 'directive.draft';
  if (type === 'directive.decide') return before;
  if (decided.length === 0) return before;
  const confirmed = decided.some((d) =>
    Object.values(d.followUps).some((followUp) => confirmationOf(d, followUp.itemId)),
  );
  return type === 'directive.reportItem' && !confirmed ? 'directive.confirm' : type;
}

/** Builds a valid command for the step, aimed at what exists so that most are accepted. */
function commandFor(state: DomainState, step: Step, by: Attribution, newId: () => string): Command {
  const { pick, choice, flag, actors, text } = step;
  const incidents = Object.values(state.incidents);
  const withStatus = (status: string) => incidents.filter((i) => i.status === status);
  const anyIncident = () => pickOne(incidents, pick)?.id ?? newId();
  const activeIncident = () => pickOne(withStatus('active'), pick)?.id ?? anyIncident();
  const sharing = (): Sharing =>
    choice % 3 === 0
      ? { scope: 'region' }
      : choice % 3 === 1
        ? { scope: 'own' }
        : { scope: 'actors', actorIds: actors.length > 0 ? actors : ['polisen'] };
  const commandId = newId();
  switch (step.type) {
    case 'incident.request':
      return buildRequestCommand({ commandId, incidentId: newId(), title: text, reason: text });
    case 'incident.activate':
      return buildActivateCommand({
        commandId,
        incidentId: flag ? (pickOne(withStatus('requested'), pick)?.id ?? newId()) : newId(),
        title: text,
        kind: INCIDENT_KINDS[choice % INCIDENT_KINDS.length],
        area: choice % 2 === 0 ? buildArea() : null,
        summonedActorIds: actors,
        nextConferenceAt: flag ? minutesAfterNow(90) : null,
      });
    case 'incident.update': {
      // Mostly an incident with a coming conference, so that summoning more actors reaches it.
      const conferring = incidents.filter(
        (i) =>
          i.status === 'active' &&
          Object.values(state.conferences).some((c) => c.incidentId === i.id && c.status !== 'closed'),
      );
      const incident = flag ? pickOne(conferring, pick) : undefined;
      const incidentId = incident?.id ?? activeIncident();
      const changes = [
        { description: text },
        // Ahead of every step's clock (a minute a step): a past next time is refused.
        { nextConferenceAt: minutesAfterNow(60 + choice) },
        { nextConferenceAt: null },
        // Solna sends no commands here: summoning it is new to most incidents.
        { summonedActorIds: [...(incident?.summonedActorIds ?? []), ...actors, 'solna'] },
        { area: null },
        { area: buildArea() },
        {},
      ];
      return {
        id: commandId,
        type: 'incident.update',
        payload: { incidentId, ...changes[choice % changes.length] },
      };
    }
    case 'incident.close':
      return buildCloseCommand({
        commandId,
        incidentId: flag ? anyIncident() : activeIncident(),
        summary: text,
      });
    case 'readiness.set':
      return buildReadinessCommand({ commandId, heightened: flag, note: choice % 2 === 0 ? text : '' });
    case 'activation.acknowledge':
      return buildAcknowledgeCommand({ commandId, incidentId: activeIncident() });
    case 'report.submit': {
      const geometries: MapFeature['geometry'][] = [
        { type: 'Point', coordinates: [18.07, 59.33] },
        {
          type: 'LineString',
          coordinates: [
            [18.2, 59.31],
            [18.3, 59.32],
          ],
        },
        buildArea(),
      ];
      const features = Array.from({ length: choice % 4 }, (_, i) =>
        buildMapFeature({ id: newId(), geometry: geometries[i % geometries.length] }),
      );
      return buildReportCommand({
        commandId,
        reportId: newId(),
        incidentId: activeIncident(),
        sharing: sharing(),
        features,
        happened: text,
      });
    }
    case 'fieldReport.submit':
      return buildFieldReportCommand({
        commandId,
        fieldReportId: newId(),
        incidentId: activeIncident(),
        eventType: text,
        position: flag ? { lat: 59.3 + choice / 100, lng: 18.0 } : null,
        sharing: sharing(),
      });
    case 'checkin.create':
      return buildCheckinCommand({
        commandId,
        checkinId: newId(),
        incidentId: flag ? anyIncident() : null,
        status: CHECKIN_STATUSES[choice % CHECKIN_STATUSES.length],
        position: flag ? { lat: 59.3 + choice / 100, lng: 18.0 } : null,
        note: text,
        sharing: sharing(),
      });
    case 'checkin.checkout': {
      // Mostly an open check-in of the sender's own actor; sometimes any, to hit the refusals.
      const mine = Object.values(state.checkins).filter(
        (c) => c.by.actorId === by.actorId && c.checkedOutAt === null,
      );
      const open = flag ? Object.values(state.checkins) : mine;
      return buildCheckoutCommand({ commandId, checkinId: pickOne(open, pick)?.id ?? newId() });
    }
    case 'logEntry.add':
      return buildLogEntryCommand({
        commandId,
        entryId: newId(),
        incidentId: flag ? anyIncident() : null,
        text,
        sharing: sharing(),
      });
    case 'conference.schedule':
    case 'conference.reschedule':
    case 'conference.open':
    case 'conference.step':
    case 'conference.rollCall':
    case 'conference.round':
    case 'conference.assess':
    case 'conference.setNext':
    case 'conference.close':
    case 'conference.approveMinutes':
    case 'actionItem.record':
    case 'actionItem.setStatus':
    case 'offer.make':
    case 'offer.answer':
    case 'need.settle':
      return conferenceCommandFor(state, step.type, step, by, newId, commandId);
    case 'directive.draft':
    case 'directive.decide':
    case 'directive.cosign':
    case 'directive.confirm':
    case 'directive.reportItem':
    case 'directiveTemplate.save':
    case 'directiveTemplate.remove':
    case 'directiveTemplate.restore':
      return directiveCommandFor(state, step.type, step, by, newId, commandId);
    case 'jointMessage.draft':
    case 'jointMessage.approve':
    case 'jointMessage.requestChange':
    case 'jointMessage.publish':
    case 'jointMessage.cancel':
      return messageCommandFor(state, step.type, step, by, newId, commandId);
  }
}

/** The joint messages not cancelled, in log order. */
const openMessages = (state: DomainState) =>
  Object.values(state.incidents)
    .flatMap((i) => messagesOf(state, i.id))
    .filter((m) => m.cancelled === null);

/** The actors here whose people may sign off joint messages (communicators or duty officers). */
const SIGNING_ACTORS = ['lansstyrelsen', 'nacka', 'sos-alarm', 'stockholm'];
const MUNICIPALITY_CODES = ['0180', '0182', '0186'];

/**
 * Joint-message commands, aimed mostly at what exists (a message awaiting the sender's actor,
 * its agreed version); every fifth at random, to reach the refusals. Approvers are actors
 * summoned to the incident whose people can sign off, so that messages become agreed.
 */
function messageCommandFor(
  state: DomainState,
  type: keyof typeof messageCommandPayloads,
  step: Step,
  by: Attribution,
  newId: () => string,
  commandId: string,
): Command {
  const { pick, choice, flag, text } = step;
  const loose = choice % 5 === 0;
  const open = openMessages(state);
  switch (type) {
    case 'jointMessage.draft': {
      const editable = open.filter((m) => state.incidents[m.incidentId]?.status !== 'closed');
      const free = Object.values(state.incidents).filter(
        (i) => loose || (i.status === 'active' && !currentMessageOf(state, i.id)),
      );
      const existing = flag || free.length === 0 ? pickOne(editable, pick) : undefined;
      const incident = existing ? state.incidents[existing.incidentId] : pickOne(free, pick);
      const signers = SIGNING_ACTORS.filter(
        (id) => loose || id === region.leadActorId || incident?.summonedActorIds.includes(id),
      );
      const approvers = Array.from(
        { length: 1 + (choice % 3) },
        (_, i) => signers[(pick + i) % signers.length],
      );
      return buildJointMessageDraftCommand({
        commandId,
        messageId: existing?.id ?? newId(),
        incidentId: incident?.id ?? newId(),
        content: buildMessageContent({
          texts: {
            sv: buildMessageText({ headline: `${text} ${choice}` }),
            en: flag ? buildMessageText({ headline: 'Storm warning' }) : null,
            svEasy: null,
          },
          area: {
            polygon: choice % 2 === 0 ? buildArea() : null,
            municipalityCodes: MUNICIPALITY_CODES.slice(0, choice % 4),
            description: text,
          },
        }),
        approverActorIds: approvers.flatMap((id) => id ?? []).concat(flag ? [] : [by.actorId]),
        baseVersion: loose ? 0 : (existing?.versions.length ?? 0),
      });
    }
    case 'jointMessage.approve':
    case 'jointMessage.requestChange': {
      const awaiting = open.filter((m) => {
        const latest = latestMessageVersion(m);
        return loose || (latest?.approverActorIds.includes(by.actorId) && !hasApproved(latest, by.actorId));
      });
      const message = pickOne(awaiting, pick);
      const answer = {
        commandId,
        messageId: message?.id ?? newId(),
        version: loose ? 1 : (message?.versions.length ?? 1),
        forActorId: loose && flag ? 'nacka' : by.actorId,
      };
      return type === 'jointMessage.approve'
        ? buildJointMessageApproveCommand({ ...answer, comment: flag ? text : '' })
        : buildJointMessageRequestChangeCommand({ ...answer, comment: text });
    }
    case 'jointMessage.publish': {
      const agreed = open.filter((m) => loose || latestAgreedVersion(m));
      const message = pickOne(agreed, pick);
      return buildJointMessagePublishCommand({
        commandId,
        messageId: message?.id ?? newId(),
        version: loose ? 1 : (message && latestAgreedVersion(message)?.version) || 1,
        channel: PUBLICATION_CHANNELS[choice % PUBLICATION_CHANNELS.length] ?? 'web',
        // When it was agreed: a publication may not be dated (much) before the agreement.
        publishedAt: (message && latestAgreedVersion(message)?.agreedAt) ?? minutesAfterNow(0),
        note: flag ? text : '',
      });
    }
    case 'jointMessage.cancel':
      return buildJointMessageCancelCommand({
        commandId,
        messageId: pickOne(loose ? Object.values(state.jointMessages) : open, pick)?.id ?? newId(),
        reason: text,
      });
  }
}

/** The actors that own directive items here: each has a person who may confirm and report. */
const ITEM_OWNERS = ['lansstyrelsen', 'nacka', 'polisen', 'sos-alarm'];

/**
 * Directive commands, aimed mostly at what exists (a directive with a draft to decide, an
 * item the sender's actor owns); every fifth at random, to reach the refusals. Validity
 * periods are short, so that directives expire within a history.
 */
function directiveCommandFor(
  state: DomainState,
  type: keyof typeof directiveCommandPayloads,
  step: Step,
  by: Attribution,
  newId: () => string,
  commandId: string,
): Command {
  const { pick, choice, flag, text } = step;
  const loose = choice % 5 === 0;
  const directives = Object.values(state.directives);
  const decided = directives.filter((d) => d.versions.length > 0);
  switch (type) {
    case 'directive.draft': {
      const open = directives.filter((d) => state.incidents[d.incidentId]?.status === 'active');
      // An incident has one directive: a new one goes to an incident without (else a rewrite).
      const active = Object.values(state.incidents).filter(
        (i) => loose || (i.status === 'active' && !directiveOfIncident(state, i.id)),
      );
      const existing = flag || active.length === 0 ? pickOne(open, pick) : undefined;
      const before = existing?.draft?.content ?? existing?.versions.at(-1)?.content;
      const items = before
        ? before.items.map((item, i) => (i === 0 && choice % 2 === 0 ? { ...item, text } : item))
        : Array.from({ length: 1 + (choice % 3) }, (_, i) => ({
            id: newId(),
            text,
            ownerActorId: ITEM_OWNERS[(choice + i) % ITEM_OWNERS.length] ?? 'nacka',
          }));
      const template = choice % 4 === 1 ? pickOne(directiveTemplatesOf(region, state), pick) : undefined;
      return buildDirectiveDraftCommand({
        commandId,
        directiveId: existing?.id ?? newId(),
        incidentId: existing?.incidentId ?? pickOne(active, pick)?.id ?? newId(),
        content: buildDirectiveContent({
          purpose: `${text} ${choice}`,
          priorities: flag ? [text] : [],
          items,
          validFrom: minutesAfterNow(0),
          validUntil: minutesAfterNow(10 + choice * 5),
          reviewAt: choice % 3 === 0 ? null : minutesAfterNow(5 + choice),
          underReadiness: flag && choice % 3 === 1,
        }),
        templateId: template?.id ?? null,
        baseVersion: loose ? 0 : (existing?.versions.length ?? 0),
        baseDraftSeq: loose ? null : (existing?.draft?.seq ?? null),
      });
    }
    case 'directive.decide': {
      const drafted = directives.filter((d) => loose || d.draft !== null);
      const directive = pickOne(drafted, pick);
      return buildDirectiveDecideCommand({
        commandId,
        directiveId: directive?.id ?? newId(),
        baseVersion: loose && flag ? 0 : (directive?.versions.length ?? 0),
        draftSeq: loose && !flag ? 0 : (directive?.draft?.seq ?? 0),
      });
    }
    case 'directive.cosign': {
      const directive = pickOne(decided, pick);
      return buildDirectiveCosignCommand({
        commandId,
        directiveId: directive?.id ?? newId(),
        version: loose ? 1 : Math.max(directive?.versions.length ?? 1, 1),
      });
    }
    case 'directive.confirm':
    case 'directive.reportItem': {
      const directive = pickOne(decided, pick);
      const items = directive?.versions.at(-1)?.content.items ?? [];
      const owned = items.filter((i) => loose || i.ownerActorId === by.actorId);
      const confirmed = owned.filter((i) => directive && confirmationOf(directive, i.id));
      const mine = type === 'directive.reportItem' && confirmed.length > 0 ? confirmed : owned;
      const item = pickOne(mine, choice);
      const itemId = item?.id ?? newId();
      const directiveId = directive?.id ?? newId();
      return type === 'directive.confirm'
        ? buildDirectiveConfirmCommand({ commandId, directiveId, itemId })
        : buildDirectiveReportCommand({
            commandId,
            directiveId,
            itemId,
            outcome: ITEM_OUTCOMES[choice % ITEM_OUTCOMES.length] ?? 'done',
            text: flag ? text : '',
          });
    }
    case 'directiveTemplate.save': {
      const id = ['test-storm', 'storm', 'test-flood'][choice % 3] ?? 'test-storm';
      return buildTemplateSaveCommand({
        commandId,
        template: buildDirectiveTemplate({ id, purpose: text, validityHours: 1 + choice }),
        baseSeq: loose ? null : (state.directiveTemplates[id]?.seq ?? null),
      });
    }
    case 'directiveTemplate.remove': {
      const ids = [...directiveTemplatesOf(region, state).map((t) => t.id), 'atlantis'];
      return buildTemplateRemoveCommand({ commandId, templateId: pickOne(ids, pick) ?? 'atlantis' });
    }
    case 'directiveTemplate.restore': {
      const changed = Object.keys(state.directiveTemplates).filter((id) => loose || id === 'storm');
      return buildTemplateRestoreCommand({ commandId, templateId: pickOne(changed, pick) ?? 'storm' });
    }
  }
}

/**
 * Conference and resource commands, aimed mostly at conferences the sender's actor chairs
 * (every fifth at any, to reach the refusals), so that whole conferences run to approved
 * minutes within a history.
 */
function conferenceCommandFor(
  state: DomainState,
  type: keyof typeof conferenceCommandPayloads,
  step: Step,
  by: Attribution,
  newId: () => string,
  commandId: string,
): Command {
  const { pick, choice, flag, actors, text } = step;
  const chaired = (...statuses: ConferenceStatus[]): Conference | undefined => {
    const candidates = Object.values(state.conferences).filter(
      (c) => statuses.includes(c.status) && (choice % 5 === 0 || c.convenerActorId === by.actorId),
    );
    return pickOne(candidates, pick);
  };
  const conferenceId = (conference: Conference | undefined) => conference?.id ?? newId();
  const summonedOf = (conference: Conference | undefined) =>
    pickOne(conference?.summonedActorIds ?? [], pick) ?? 'polisen';
  const activeIncident = pickOne(
    Object.values(state.incidents).filter((i) => i.status === 'active'),
    pick,
  );
  // Needs come from reports: a resource command with none to act on writes one instead.
  const reportWithNeeds = () =>
    buildReportCommand({
      commandId,
      reportId: newId(),
      incidentId: activeIncident?.id ?? newId(),
      happened: text,
    });
  // A chair's command with no conference of its kind to act on moves one of the sender's
  // conferences on in its life instead (scheduled, opened, closed), so that histories reach
  // the later steps; every fifth is left to be refused.
  const needs = CHAIR_TARGETS[type];
  if (needs && choice % 5 !== 0 && !chaired(...needs)) {
    const open = chaired('open');
    const scheduled = chaired('scheduled');
    if (open && !needs.includes('open') && needs.includes('closed'))
      return buildConferenceCloseCommand({ commandId, conferenceId: open.id, nextConferenceId: newId() });
    if (scheduled && !needs.includes('scheduled'))
      return buildConferenceOpenCommand({ commandId, conferenceId: scheduled.id });
    return conferenceCommandFor(state, 'conference.schedule', step, by, newId, commandId);
  }
  switch (type) {
    case 'conference.schedule':
      return buildConferenceScheduleCommand({
        commandId,
        conferenceId: newId(),
        incidentId: flag ? (activeIncident?.id ?? newId()) : null,
        title: text,
        scheduledAt: minutesAfterNow(30 + choice),
        // Mostly the sender's own actor convenes (an incident's conference: when it is summoned
        // to the incident); else the region's lead, by default.
        convenerActorId:
          choice % 4 === 0 ||
          (flag && activeIncident && !activeIncident.summonedActorIds.includes(by.actorId))
            ? undefined
            : by.actorId,
        summonedActorIds: actors,
        dialIn: choice % 2 === 0 ? 'PIN 1234' : '',
        recurrence: !flag && choice % 3 === 0 ? { weekday: 1 + (choice % 7), time: '09:00' } : null,
      });
    case 'conference.reschedule': {
      const id = conferenceId(chaired('scheduled'));
      return flag
        ? buildConferenceRescheduleCommand({ commandId, conferenceId: id, dialIn: `PIN ${choice}` })
        : buildConferenceRescheduleCommand({
            commandId,
            conferenceId: id,
            scheduledAt: minutesAfterNow(40 + choice),
          });
    }
    case 'conference.open':
      return buildConferenceOpenCommand({ commandId, conferenceId: conferenceId(chaired('scheduled')) });
    case 'conference.step': {
      const conference = chaired('open');
      const from = conference?.step ?? 'rollCall';
      const next = CONFERENCE_STEPS[CONFERENCE_STEPS.indexOf(from) + 1] ?? 'rollCall';
      return buildConferenceStepCommand({
        commandId,
        conferenceId: conferenceId(conference),
        fromStep: from,
        toStep: flag ? next : (CONFERENCE_STEPS[choice % CONFERENCE_STEPS.length] ?? 'rollCall'),
      });
    }
    case 'conference.rollCall': {
      // Any open conference: an actor may say "present" for itself at another's.
      const conference = pickOne(
        Object.values(state.conferences).filter((c) => c.status === 'open'),
        pick,
      );
      const actorId = flag ? by.actorId : summonedOf(conference);
      const presence = flag ? 'present' : (PRESENCES[choice % PRESENCES.length] ?? 'present');
      return buildConferenceRollCallCommand({
        commandId,
        conferenceId: conferenceId(conference),
        actorId,
        presence,
        representedBy:
          presence === 'represented'
            ? { actorId: actorId === 'stockholm' ? 'solna' : 'stockholm', functionId: 'dutyOfficer' }
            : null,
      });
    }
    case 'conference.round': {
      const conference = chaired('open');
      return buildConferenceRoundCommand({
        commandId,
        conferenceId: conferenceId(conference),
        actorId: summonedOf(conference),
        reported: flag,
        note: text,
      });
    }
    case 'conference.assess': {
      const conference = chaired('open');
      return buildConferenceAssessCommand({
        commandId,
        conferenceId: conferenceId(conference),
        situation: text,
        uncertainties: choice % 2 === 0 ? text : '',
        baseVersion: flag ? conference?.assessments.length : undefined,
      });
    }
    case 'conference.setNext':
      return buildConferenceSetNextCommand({
        commandId,
        conferenceId: conferenceId(chaired('open', 'closed')),
        nextConferenceAt: choice % 4 === 0 ? null : minutesAfterNow(60 + choice * 10),
      });
    case 'conference.close':
      return buildConferenceCloseCommand({
        commandId,
        conferenceId: conferenceId(chaired('open')),
        nextConferenceId: newId(),
      });
    case 'conference.approveMinutes': {
      const conference = chaired('closed');
      const version = (conference?.minutes.length ?? 0) + 1;
      return version === 1
        ? buildConferenceApproveMinutesCommand({ commandId, conferenceId: conferenceId(conference) })
        : buildConferenceApproveMinutesCommand({
            commandId,
            conferenceId: conferenceId(conference),
            version,
            correction: text,
            roundNotes: flag ? { [summonedOf(conference)]: text } : undefined,
            assessment: flag
              ? undefined
              : { situation: text, expectedDevelopment: '', consequences: '', uncertainties: '' },
          });
    }
    case 'actionItem.record':
      return buildActionItemRecordCommand({
        commandId,
        itemId: newId(),
        conferenceId: conferenceId(chaired('open', 'closed')),
        kind: flag ? 'decision' : 'action',
        text,
        ownerActorId: flag ? by.actorId : (pickOne(ACTORS_IN_PLAY, choice) ?? 'polisen'),
        dueAt: choice % 3 === 0 ? null : minutesAfterNow(120),
      });
    case 'actionItem.setStatus': {
      const items = Object.values(state.actionItems).filter(
        (i) =>
          choice % 5 === 0 ||
          i.ownerActorId === by.actorId ||
          state.conferences[i.conferenceId]?.convenerActorId === by.actorId,
      );
      if (items.length === 0 && choice % 5 !== 0)
        return conferenceCommandFor(state, 'actionItem.record', step, by, newId, commandId);
      return buildActionItemStatusCommand({
        commandId,
        itemId: pickOne(items, pick)?.id ?? newId(),
        status: ActionItemStatus.options[choice % ActionItemStatus.options.length] ?? 'done',
      });
    }
    case 'offer.make': {
      const needs = Object.values(state.reports).filter(
        (r) => (choice % 5 === 0 || r.actorId !== by.actorId) && r.needs.trim() !== '',
      );
      const report = pickOne(needs, pick);
      if (!report && choice % 5 !== 0) return reportWithNeeds();
      return buildOfferMakeCommand({
        commandId,
        offerId: newId(),
        incidentId: report?.incidentId ?? newId(),
        needActorId: report?.actorId ?? 'nacka',
        reportId: report?.id ?? newId(),
        what: text,
        availableAt: minutesAfterNow(choice),
      });
    }
    case 'offer.answer': {
      const offers = Object.values(state.offers).filter((o) => flag || o.needActorId === by.actorId);
      const offer = pickOne(offers, pick);
      if (!offer && choice % 5 !== 0)
        return conferenceCommandFor(state, 'offer.make', step, by, newId, commandId);
      return buildOfferAnswerCommand({
        commandId,
        offerId: offer?.id ?? newId(),
        answer: choice % 2 === 0 ? 'accepted' : 'declined',
      });
    }
    case 'need.settle': {
      const own = Object.values(state.reports).filter((r) => choice % 5 === 0 || r.actorId === by.actorId);
      const report = pickOne(own, pick);
      if (!report && choice % 5 !== 0) return reportWithNeeds();
      return buildNeedSettleCommand({
        commandId,
        incidentId: report?.incidentId ?? newId(),
        reportId: report?.id ?? newId(),
        coverage: NEED_COVERAGES[choice % NEED_COVERAGES.length] ?? 'covered',
        note: flag ? text : '',
      });
    }
  }
}

type Played = { state: DomainState; events: StoredEvent[]; commands: number; accepted: number };

/** Sends every step through the parser, `decide` and `apply`, as one hub would. */
function play(history: readonly Step[]): Played {
  let next = 0;
  const newId = () => testUuid(0x20_0000 + next++);
  let state = initialState();
  const events: StoredEvent[] = [];
  let accepted = 0;
  history.forEach((step, index) => {
    const now = minutesAfterNow(index);
    const sent = { ...step, type: effectiveType(state, step) };
    const by = senderFor(sent.type, sent.sender, actorFor(state, sent));
    const parsed = parseCommand(cloneJson(commandFor(state, sent, by, newId)));
    if (!parsed.ok) throw new Error(`generated an invalid command: ${parsed.message}`);
    const decision = decide(state, parsed.command, by, now, region);
    if (!decision.ok) return;
    accepted++;
    for (const draft of decision.data) {
      const event = buildEvent(draft, { seq: events.length + 1, at: now, by, commandId: parsed.command.id });
      state = apply(state, event);
      events.push(event);
    }
  });
  return { state, events, commands: history.length, accepted };
}

/** Each event's state before and after it, folded one event at a time, and the event. */
function transitions(events: readonly StoredEvent[]): [DomainState, DomainState, StoredEvent][] {
  const pairs: [DomainState, DomainState, StoredEvent][] = [];
  let before = initialState();
  for (const event of events) {
    const after = apply(before, event);
    pairs.push([before, after, event]);
    before = after;
  }
  return pairs;
}

const VIEWERS: Viewer[] = [
  ...ACTORS_IN_PLAY.map((actorId): Viewer => ({ kind: 'actor', actorId })),
  { kind: 'actor', actorId: 'vaxholm' },
  { kind: 'device' },
];

// Generous: the properties take about a second, but the machine may be busy with other suites.
const PROPERTY_TIMEOUT = 30_000;

describe('domain properties over generated histories', () => {
  it(
    'folding with applyInPlace (the hub) gives the same state as apply (the client)',
    () => {
      fc.assert(
        fc.property(historyArb, (history) => {
          const { state, events } = play(history);
          expect(stateHash(applyInPlace(initialState(), events))).toBe(stateHash(state));
        }),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'only ever produces events the log can read back and states the schema accepts',
    () => {
      fc.assert(
        fc.property(historyArb, (history) => {
          const { state, events } = play(history);
          for (const event of events) expect(parseStoredEvent(cloneJson(event))).toEqual(cloneJson(event));
          expect(State.safeParse(cloneJson(state)).success).toBe(true);
        }),
        { numRuns: 50 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "gives each viewer, from the events it may see, exactly its projection of the hub's state",
    () => {
      fc.assert(
        fc.property(historyArb, (history) => {
          const { state, events } = play(history);
          for (const viewer of VIEWERS) {
            const seen = applyInPlace(initialState(), eventsForViewer(viewer, events));
            expect(stateHash(seen)).toBe(stateHash(projectState(state, viewer)));
          }
        }),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'keeps approved minutes append-only, each version one more than the last',
    () => {
      fc.assert(
        fc.property(historyArb, (history) => {
          for (const [before, after] of transitions(play(history).events)) {
            for (const conference of Object.values(after.conferences)) {
              const versions = conference.minutes.map((v) => v.version);
              expect(versions).toEqual(versions.map((_, i) => i + 1));
              const earlier = before.conferences[conference.id]?.minutes ?? [];
              expect(conference.minutes.slice(0, earlier.length)).toEqual(earlier);
              expect(conference.minutes.length - earlier.length).toBeLessThanOrEqual(1);
            }
          }
        }),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "moves a conference's step only one forward, or back to an earlier step",
    () => {
      fc.assert(
        fc.property(historyArb, (history) => {
          for (const [before, after] of transitions(play(history).events)) {
            for (const conference of Object.values(after.conferences)) {
              const from = before.conferences[conference.id]?.step ?? null;
              const to = conference.step;
              if (from === to) continue;
              if (from === null) expect(to).toBe('rollCall');
              else
                expect(CONFERENCE_STEPS.indexOf(to ?? from)).toBeLessThanOrEqual(
                  CONFERENCE_STEPS.indexOf(from) + 1,
                );
              expect(to).not.toBeNull();
            }
          }
        }),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'never changes the roll call, rounds, assessments, next time or decisions of a conference once approved',
    () => {
      const record = (state: DomainState, conference: Conference) => ({
        rollCall: conference.rollCall,
        rounds: conference.rounds,
        assessments: conference.assessments,
        nextConferenceAt: conference.nextConferenceAt,
        items: itemsOfConference(state, conference.id).map((i) => i.id),
      });
      fc.assert(
        fc.property(historyArb, (history) => {
          for (const [before, after] of transitions(play(history).events)) {
            for (const approved of Object.values(before.conferences).filter((c) => c.minutes.length > 0)) {
              const now = after.conferences[approved.id];
              expect(now && record(after, now)).toEqual(record(before, approved));
            }
          }
        }),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "keeps a directive's versions append-only: each one more than the last, earlier ones unchanged",
    () => {
      // Co-signing adds deciders to a version; nothing else about a decided version changes.
      const decidedPart = ({ deciders: _deciders, ...rest }: DirectiveVersion) => rest;
      fc.assert(
        fc.property(historyArb, (history) => {
          for (const [before, after] of transitions(play(history).events)) {
            for (const directive of Object.values(after.directives)) {
              expect(directive.versions.map((v) => v.version)).toEqual(
                directive.versions.map((_, i) => i + 1),
              );
              const earlier = before.directives[directive.id]?.versions ?? [];
              expect(directive.versions.length - earlier.length).toBeGreaterThanOrEqual(0);
              expect(directive.versions.length - earlier.length).toBeLessThanOrEqual(1);
              earlier.forEach((version, i) => {
                const now = directive.versions[i];
                expect(now && decidedPart(now)).toEqual(decidedPart(version));
                expect(now?.deciders.slice(0, version.deciders.length)).toEqual(version.deciders);
              });
            }
          }
        }),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'never has more than a decided version in force, valid at that moment, and a new version in force once it begins',
    () => {
      // Which version is in force is written out case by case in directive-selectors.test.ts;
      // here only what holds for every history.
      fc.assert(
        fc.property(historyArb, (history) => {
          const { events } = play(history);
          for (const [, after] of transitions(events)) {
            for (const directive of Object.values(after.directives)) {
              for (const minute of [0, 20, 45, 90]) {
                const now = Date.parse(minutesAfterNow(minute));
                const current = inForce(directive, minutesAfterNow(minute));
                if (!current) continue;
                expect(directive.versions).toContain(current);
                expect(Date.parse(current.content.validFrom)).toBeLessThanOrEqual(now);
                expect(Date.parse(current.content.validUntil)).toBeGreaterThan(now);
              }
            }
          }
          // A decided version whose start has come is in force at its decision: the hub
          // refuses a draft whose validity has already ended.
          for (const [, after, event] of transitions(events)) {
            if (event.type !== 'directive.decided') continue;
            if (Date.parse(event.payload.content.validFrom) > Date.parse(event.at)) continue;
            const directive = after.directives[event.payload.directiveId];
            expect(directive && inForce(directive, event.at)?.version).toBe(event.payload.version);
          }
        }),
        { numRuns: 50 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "keeps a joint message's versions append-only and agreed only with every named actor's approval",
    () => {
      fc.assert(
        fc.property(historyArb, (history) => {
          for (const [before, after] of transitions(play(history).events)) {
            for (const message of Object.values(after.jointMessages)) {
              expect(message.versions.map((v) => v.version)).toEqual(message.versions.map((_, i) => i + 1));
              const earlier = before.jointMessages[message.id]?.versions ?? [];
              expect(message.versions.slice(0, earlier.length).map((v) => v.content)).toEqual(
                earlier.map((v) => v.content),
              );
              for (const version of message.versions) {
                if (version.agreedAt === null) continue;
                for (const actorId of version.approverActorIds)
                  expect(hasApproved(version, actorId)).toBe(true);
              }
              // Once agreed, a version stays agreed at the same moment: a later edit is a new version.
              earlier.forEach((version, i) => {
                if (version.agreedAt !== null) expect(message.versions[i]?.agreedAt).toBe(version.agreedAt);
              });
              const agreed = new Set(
                message.versions.filter((v) => v.agreedAt !== null).map((v) => v.version),
              );
              for (const publication of Object.values(message.publications)) {
                expect(agreed.has(publication.version)).toBe(true);
              }
            }
            // One message at a time per incident: the public hears one.
            for (const incidentId of Object.keys(after.incidents)) {
              const open = Object.values(after.jointMessages).filter(
                (m) => m.incidentId === incidentId && m.cancelled === null,
              );
              expect(open.length).toBeLessThanOrEqual(1);
            }
          }
        }),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it('generates histories that are mostly accepted and reach every event type', () => {
    // 200 histories: with forty-five command types, the longer chains (an offer answered, an
    // action item followed up, a directive's item reported) need that many to all appear.
    const samples = fc.sample(historyArb, { numRuns: 200, seed: 20_240_501 }).map(play);
    const commands = samples.reduce((sum, s) => sum + s.commands, 0);
    const accepted = samples.reduce((sum, s) => sum + s.accepted, 0);
    expect(accepted / commands).toBeGreaterThan(0.5);
    const types = new Set(samples.flatMap((s) => s.events.map((e) => e.type)));
    expect(types).toEqual(new Set(EVENT_TYPES.filter((type) => !isDirectoryEventType(type))));
  });
});

describe('actor ids that are names on every JavaScript object', () => {
  const NAMES_ON_EVERY_OBJECT = [
    'constructor',
    'toString',
    'valueOf',
    'hasOwnProperty',
    'isPrototypeOf',
    'propertyIsEnumerable',
    'toLocaleString',
  ];
  const actorIdArb = fc.oneof(
    fc.constantFrom(...NAMES_ON_EVERY_OBJECT),
    fc.stringMatching(/^[a-z][a-zA-Z0-9-]{0,15}$/),
  );

  it('acknowledge an activation exactly once, before and after a JSON round trip', () => {
    fc.assert(
      fc.property(actorIdArb, (actorId) => {
        fc.pre(!region.actors.some((a) => a.id === actorId));
        const withActor = {
          ...region,
          actors: [
            ...region.actors,
            {
              id: actorId,
              name: 'Objektet',
              shortName: 'Obj',
              kind: 'other' as const,
              home: { lat: 59.3, lng: 18 },
            },
          ],
        };
        const lead = senderFor('incident.activate', 0);
        const theirs = buildAttribution({ userId: `u-${actorId}`, actorId, functionId: 'dutyOfficer' });
        const incidentId = testUuid(1);
        let state = initialState();
        const run = (command: Command, by: Attribution, seq: number) => {
          const decision = decide(state, command, by, minutesAfterNow(seq), withActor);
          if (!decision.ok) return decision.error;
          state = decision.data.reduce(
            (s, draft, i) => apply(s, buildEvent(draft, { seq: seq + i, by })),
            state,
          );
          return null;
        };
        expect(run(buildActivateCommand({ incidentId, summonedActorIds: [actorId] }), lead, 1)).toBeNull();
        expect(run(buildAcknowledgeCommand({ incidentId }), theirs, 10)).toBeNull();
        const again = { code: 'conflict', message: 'Your actor has already acknowledged this activation' };
        expect(run(buildAcknowledgeCommand({ incidentId }), theirs, 20)).toEqual(again);
        state = State.parse(JSON.parse(JSON.stringify(state)));
        expect(run(buildAcknowledgeCommand({ incidentId }), theirs, 30)).toEqual(again);
        expect(Object.keys(state.incidents[incidentId]?.acknowledgements ?? {})).toContain(actorId);
        expect(projectState(state, { kind: 'actor', actorId })).toEqual(state);
      }),
    );
  });
});
