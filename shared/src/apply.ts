import { noteCheckin, shareCheckinIndex } from './checkin-index.js';
import { noteReport, shareReportIndex } from './report-index.js';
import type { StoredEvent } from './events.js';
import type { Conference } from './conference-model.js';
import type { ReadinessDecision } from './directive-commands.js';
import { followUpKey, type Directive } from './directive-model.js';
import { publicationKey, type JointMessage, type MessageVersion } from './message-model.js';
import { ownEntry } from './records.js';
import { Checkin, type Incident, type NewCheckin, type Readiness, type State } from './model.js';

type Collection =
  | 'incidents'
  | 'reports'
  | 'fieldReports'
  | 'checkins'
  | 'logEntries'
  | 'conferences'
  | 'conferenceDialIns'
  | 'actionItems'
  | 'offers'
  | 'needSettlements'
  | 'directives'
  | 'directiveTemplates'
  | 'jointMessages';

/**
 * Folds one event into the state without touching the input: the client's stores rely
 * on new references for changed parts. Only the collection the event touches is copied.
 */
export function apply(state: State, event: StoredEvent): State {
  const next: State = { ...state };
  fold(next, event, (key) => {
    next[key] = { ...state[key] } as never;
  });
  return next;
}

/**
 * Folds many events into a state the caller owns, reusing its collections. This is what
 * the hub uses for replay and live updates: a log of a million events folds in linear
 * time. The result equals folding the same events with `apply`.
 */
export function applyInPlace(state: State, events: Iterable<StoredEvent>): State {
  for (const event of events) fold(state, event, () => undefined);
  return state;
}

/**
 * A copy of the state that `applyInPlace` may fold into without changing the original: the
 * reducer writes only to collections and replaces the items it changes, so copying the
 * collections (not the items) is enough.
 */
export function detachedCopy(state: State): State {
  const copy = {
    ...state,
    incidents: { ...state.incidents },
    reports: { ...state.reports },
    fieldReports: { ...state.fieldReports },
    checkins: { ...state.checkins },
    logEntries: { ...state.logEntries },
    conferences: { ...state.conferences },
    conferenceDialIns: { ...state.conferenceDialIns },
    actionItems: { ...state.actionItems },
    offers: { ...state.offers },
    needSettlements: { ...state.needSettlements },
    directives: { ...state.directives },
    directiveTemplates: { ...state.directiveTemplates },
    jointMessages: { ...state.jointMessages },
  };
  shareCheckinIndex(state.checkins, copy.checkins);
  shareReportIndex(state.reports, copy.reports);
  return copy;
}

/**
 * The reducer itself. `own(key)` makes `state[key]` safe to write before the first write.
 * Events the state cannot place (an acknowledgement of an unknown incident, say) are
 * ignored rather than thrown: `apply` must be total, and `decide` never emits them.
 *
 * Every item takes its time and its place from the event, not from what the deciding hub
 * put in the payload: the log stamps events with one clock (the journal writer's, or
 * Redis's), so times shown side by side were read from the same clock, and the seq orders
 * items whatever the clocks said.
 */
function fold(state: State, event: StoredEvent, own: (key: Collection) => void): void {
  const { at, seq } = event;
  const updateIncident = (id: string, change: (incident: Incident) => Incident) => {
    const incident = state.incidents[id];
    if (!incident) return;
    own('incidents');
    state.incidents[id] = change(incident);
  };
  // Every event of a directive stamps it with its seq; `change` answers null to ignore the event.
  const updateDirective = (id: string, change: (directive: Directive) => Partial<Directive> | null) => {
    const directive = state.directives[id];
    const changed = directive && change(directive);
    if (!changed) return;
    own('directives');
    state.directives[id] = { ...directive, ...changed, version: seq };
  };
  // Every event of a conference stamps it with its seq, as an incident's do.
  const updateConference = (id: string, change: (conference: Conference) => Partial<Conference>) => {
    const conference = state.conferences[id];
    if (!conference) return;
    own('conferences');
    state.conferences[id] = { ...conference, ...change(conference), version: seq };
  };
  // Every event of a joint message stamps it with its seq; `change` answers null to ignore the event.
  const updateMessage = (id: string, change: (message: JointMessage) => Partial<JointMessage> | null) => {
    const message = ownEntry(state.jointMessages, id);
    const changed = message && change(message);
    if (!changed) return;
    own('jointMessages');
    state.jointMessages[id] = { ...message, ...changed, version: seq };
  };
  // Changes one saved version of a message; an event naming a version it lacks is ignored.
  const updateMessageVersion = (
    id: string,
    version: number,
    change: (saved: MessageVersion) => MessageVersion | null,
  ) =>
    updateMessage(id, (m) => {
      const saved = m.versions[version - 1];
      const changed = saved && change(saved);
      return changed ? { versions: m.versions.with(version - 1, changed) } : null;
    });

  switch (event.type) {
    case 'incident.requested': {
      const p = event.payload;
      own('incidents');
      state.incidents[p.incidentId] = {
        ...blankIncident(p.incidentId),
        title: p.title,
        reason: p.reason,
        requestedAt: at,
        requestedBy: event.by,
        requestedSeq: seq,
        version: seq,
      };
      return;
    }
    case 'incident.activated': {
      const { incidentId, ...p } = event.payload;
      own('incidents');
      const base = state.incidents[incidentId] ?? blankIncident(incidentId);
      state.incidents[incidentId] = {
        ...base,
        ...p,
        status: 'active',
        activatedAt: at,
        activatedBy: event.by,
        activatedSeq: seq,
        version: seq,
      };
      return;
    }
    case 'incident.updated': {
      const { incidentId, ...changes } = event.payload;
      const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
      updateIncident(incidentId, (incident) => ({ ...incident, ...defined, version: seq }));
      return;
    }
    case 'incident.closed': {
      const p = event.payload;
      updateIncident(p.incidentId, (incident) => ({
        ...incident,
        status: 'closed',
        closedAt: at,
        closedBy: event.by,
        closedSeq: seq,
        closingSummary: p.summary,
        version: seq,
      }));
      return;
    }
    case 'readiness.changed': {
      const { heightened, note, decision } = event.payload;
      // Editing the note must not move the time readiness was raised.
      const raisedAt = state.readiness.heightened ? state.readiness.since : at;
      state.readiness = {
        heightened,
        note,
        since: heightened ? raisedAt : null,
        by: event.by,
        ...readinessDecisionAfter(state.readiness, heightened, decision),
      };
      return;
    }
    case 'activation.acknowledged': {
      const p = event.payload;
      updateIncident(p.incidentId, (incident) => ({
        ...incident,
        acknowledgements: { ...incident.acknowledgements, [p.actorId]: { at, by: event.by, seq } },
      }));
      return;
    }
    case 'report.submitted': {
      const report = { ...event.payload.report, at, seq };
      own('reports');
      state.reports[report.id] = report;
      noteReport(state.reports, report);
      return;
    }
    case 'fieldReport.submitted':
      own('fieldReports');
      state.fieldReports[event.payload.fieldReport.id] = { ...event.payload.fieldReport, at, seq };
      return;
    case 'checkin.created': {
      const checkin = { ...withCheckinDefaults(event.payload.checkin), at, seq };
      own('checkins');
      state.checkins[checkin.id] = checkin;
      noteCheckin(state.checkins, checkin);
      return;
    }
    case 'checkin.checkedOut': {
      const checkin = state.checkins[event.payload.checkinId];
      if (!checkin) return;
      own('checkins');
      state.checkins[checkin.id] = { ...checkin, checkedOutAt: at };
      return;
    }
    case 'logEntry.added':
      own('logEntries');
      state.logEntries[event.payload.entry.id] = { ...event.payload.entry, at, seq };
      return;
    case 'conference.scheduled': {
      const { conference } = event.payload;
      own('conferences');
      state.conferences[conference.id] = {
        ...conference,
        status: 'scheduled',
        step: null,
        scheduledBy: event.by,
        scheduledSeq: seq,
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
        version: seq,
      };
      return;
    }
    case 'conference.dialInSet': {
      // Kept apart from the conference, which everybody sees, and without changing its
      // version: the others receive this event without the details (visibility.ts).
      const { conferenceId, dialIn, summonedActorIds } = event.payload;
      if (!state.conferences[conferenceId]) return;
      own('conferenceDialIns');
      state.conferenceDialIns[conferenceId] = { conferenceId, dialIn, summonedActorIds, seq };
      return;
    }
    case 'conference.rescheduled':
      updateConference(event.payload.conferenceId, () => ({ scheduledAt: event.payload.scheduledAt }));
      return;
    case 'conference.summonsExtended':
      updateConference(event.payload.conferenceId, () => ({
        summonedActorIds: event.payload.summonedActorIds,
      }));
      return;
    case 'conference.opened':
      updateConference(event.payload.conferenceId, () => ({
        status: 'open',
        step: 'rollCall',
        openedAt: at,
        openedBy: event.by,
        openedSeq: seq,
      }));
      return;
    case 'conference.stepped':
      updateConference(event.payload.conferenceId, () => ({ step: event.payload.step }));
      return;
    case 'conference.rollCalled': {
      const { conferenceId, actorId, presence, representedBy } = event.payload;
      updateConference(conferenceId, (c) => ({
        rollCall: { ...c.rollCall, [actorId]: { presence, representedBy, at, by: event.by, seq } },
      }));
      return;
    }
    case 'conference.roundNoted': {
      const { conferenceId, actorId, reported, note } = event.payload;
      updateConference(conferenceId, (c) => ({
        rounds: { ...c.rounds, [actorId]: { reported, note, at, by: event.by, seq } },
      }));
      return;
    }
    case 'conference.assessed': {
      const { conferenceId, ...content } = event.payload;
      updateConference(conferenceId, (c) => ({
        assessments: [
          ...c.assessments,
          { ...content, version: c.assessments.length + 1, at, by: event.by, seq },
        ],
      }));
      return;
    }
    case 'conference.nextSet':
      updateConference(event.payload.conferenceId, () => ({
        nextConferenceAt: event.payload.nextConferenceAt,
      }));
      return;
    case 'conference.closed':
      // The step stays where the chair left it: the minutes show how far the agenda got.
      updateConference(event.payload.conferenceId, () => ({
        status: 'closed',
        closedAt: at,
        closedBy: event.by,
        closedSeq: seq,
      }));
      return;
    case 'conference.minutesApproved': {
      const { conferenceId, version, minutes, correction } = event.payload;
      updateConference(conferenceId, (c) => ({
        minutes: [...c.minutes, { version, minutes, correction, at, by: event.by, seq }],
      }));
      return;
    }
    case 'actionItem.recorded': {
      const { item } = event.payload;
      own('actionItems');
      state.actionItems[item.id] = { ...item, at, status: 'open', statusAt: null, statusBy: null, seq };
      return;
    }
    case 'actionItem.statusSet': {
      const item = state.actionItems[event.payload.itemId];
      if (!item) return;
      own('actionItems');
      state.actionItems[item.id] = {
        ...item,
        status: event.payload.status,
        statusAt: at,
        statusBy: event.by,
      };
      return;
    }
    case 'offer.made': {
      const { offer } = event.payload;
      own('offers');
      state.offers[offer.id] = { ...offer, at, status: 'offered', answeredAt: null, answeredBy: null, seq };
      return;
    }
    case 'offer.answered': {
      const offer = state.offers[event.payload.offerId];
      if (!offer) return;
      own('offers');
      state.offers[offer.id] = {
        ...offer,
        status: event.payload.answer,
        answeredAt: at,
        answeredBy: event.by,
      };
      return;
    }
    case 'need.settled': {
      const settlement = { ...event.payload, at, by: event.by, seq };
      own('needSettlements');
      state.needSettlements[settlement.reportId] = settlement;
      return;
    }
    case 'directive.drafted': {
      const { directiveId, incidentId, content, templateId, templateFilledAt, baseVersion } = event.payload;
      const draft = { content, templateId, templateFilledAt, baseVersion, at, by: event.by, seq };
      const directive = state.directives[directiveId] ?? newDirective(directiveId, incidentId);
      own('directives');
      state.directives[directiveId] = { ...directive, draft, version: seq };
      return;
    }
    case 'directive.decided': {
      const { directiveId, version, content, templateId, changedFields, draftedBy } = event.payload;
      const decided = { version, content, templateId, changedFields, draftedBy };
      updateDirective(directiveId, (d) =>
        // Versions only grow by one: a replayed or foreign event cannot rewrite history.
        version !== d.versions.length + 1
          ? null
          : {
              draft: null,
              versions: [...d.versions, { ...decided, deciders: [event.by], decidedAt: at, seq }],
            },
      );
      return;
    }
    case 'directive.cosigned': {
      const { directiveId, version } = event.payload;
      updateDirective(directiveId, (d) => {
        const decided = d.versions[version - 1];
        if (!decided) return null;
        const versions = d.versions.with(version - 1, {
          ...decided,
          deciders: [...decided.deciders, event.by],
        });
        return { versions };
      });
      return;
    }
    case 'directive.confirmed': {
      const { directiveId, itemId, version } = event.payload;
      const followUp = {
        itemId,
        version,
        confirmedAt: at,
        confirmedBy: event.by,
        outcome: null,
        outcomeText: '',
        reportedAt: null,
        reportedBy: null,
        seq,
      };
      // Keyed by version too: the confirmation of an earlier version stays in the record.
      const key = followUpKey(itemId, version);
      updateDirective(directiveId, (d) => ({ followUps: { ...d.followUps, [key]: followUp } }));
      return;
    }
    case 'directive.itemReported': {
      const { directiveId, itemId, version, outcome, text } = event.payload;
      const key = followUpKey(itemId, version);
      updateDirective(directiveId, (d) => {
        const followUp = ownEntry(d.followUps, key);
        if (!followUp) return null;
        const reported = { ...followUp, outcome, outcomeText: text, reportedAt: at, reportedBy: event.by };
        return { followUps: { ...d.followUps, [key]: reported } };
      });
      return;
    }
    case 'directiveTemplate.saved': {
      const { template } = event.payload;
      own('directiveTemplates');
      state.directiveTemplates[template.id] = { template, at, by: event.by, seq };
      return;
    }
    case 'directiveTemplate.removed':
      own('directiveTemplates');
      state.directiveTemplates[event.payload.templateId] = { template: null, at, by: event.by, seq };
      return;
    case 'directiveTemplate.restored': {
      const { templateId } = event.payload;
      if (!ownEntry(state.directiveTemplates, templateId)) return;
      // A new map without the entry: the region file's template is offered again.
      state.directiveTemplates = Object.fromEntries(
        Object.entries(state.directiveTemplates).filter(([id]) => id !== templateId),
      );
      return;
    }
    case 'jointMessage.drafted': {
      const {
        messageId,
        incidentId,
        version,
        content,
        approverActorIds,
        ownerActorId,
        incidentTitle,
        incidentKind,
      } = event.payload;
      const message =
        ownEntry(state.jointMessages, messageId) ?? newMessage(messageId, incidentId, ownerActorId);
      // Versions only grow by one: a replayed or foreign event cannot rewrite history.
      if (version !== message.versions.length + 1) return;
      const saved: MessageVersion = {
        version,
        content,
        approverActorIds,
        incidentTitle,
        incidentKind,
        draftedBy: event.by,
        at,
        seq,
        signOffs: {},
        agreedAt: null,
        agreedSeq: null,
      };
      own('jointMessages');
      state.jointMessages[messageId] = { ...message, versions: [...message.versions, saved], version: seq };
      return;
    }
    case 'jointMessage.approved': {
      const { messageId, version, actorId, comment, byDrafting } = event.payload;
      const signOff = { actorId, decision: 'approved' as const, comment, byDrafting, at, by: event.by, seq };
      // Keyed by actor: the latest answer replaces an earlier one (a change asked for, then approved).
      updateMessageVersion(messageId, version, (v) => ({
        ...v,
        signOffs: { ...v.signOffs, [actorId]: signOff },
      }));
      return;
    }
    case 'jointMessage.changeRequested': {
      const { messageId, version, actorId, comment } = event.payload;
      const signOff = {
        actorId,
        decision: 'changeRequested' as const,
        comment,
        byDrafting: false,
        at,
        by: event.by,
        seq,
      };
      updateMessageVersion(messageId, version, (v) => ({
        ...v,
        signOffs: { ...v.signOffs, [actorId]: signOff },
      }));
      return;
    }
    case 'jointMessage.agreed': {
      const { messageId, version } = event.payload;
      // Agreed once: the time it was agreed does not move.
      updateMessageVersion(messageId, version, (v) =>
        v.agreedAt !== null ? null : { ...v, agreedAt: at, agreedSeq: seq },
      );
      return;
    }
    case 'jointMessage.published': {
      const { messageId, version, actorId, channel, publishedAt, note } = event.payload;
      const publication = { actorId, channel, version, publishedAt, note, at, by: event.by, seq };
      const key = publicationKey(actorId, channel);
      updateMessage(messageId, (m) => ({ publications: { ...m.publications, [key]: publication } }));
      return;
    }
    case 'jointMessage.cancelled': {
      const { messageId, reason } = event.payload;
      updateMessage(messageId, (m) =>
        m.cancelled ? null : { cancelled: { reason, at, by: event.by, seq } },
      );
      return;
    }
    default:
      // Directory events (accounts, devices, sessions) are folded by the hubs only.
      return;
  }
}

/** The sharing the check-in schema gives check-ins logged before sharing existed. */
const OLD_CHECKIN_SHARING = Checkin.shape.sharing.parse(undefined);

/**
 * The check-in with the fields added since it may have been logged filled in as the schema
 * would: journal replay and catch-up read events without the schema (journal-format.ts),
 * so a check-in from an older hub arrives without `sharing`, which every projection needs.
 * Returns the same object when nothing is missing, so replay stays allocation-free.
 */
export function withCheckinDefaults<C extends NewCheckin>(checkin: C): C {
  // Read as stored: older events lack the field the type promises.
  if ((checkin as Partial<NewCheckin>).sharing !== undefined) return checkin;
  return { ...checkin, sharing: OLD_CHECKIN_SHARING };
}

/**
 * Fills in, in place, the places in the log that items of a state read without the schema
 * lack when an older hub folded them (format-2 snapshots, which are checked by checksum
 * rather than parsed): as the schema's defaults would, seq 0 for items and acknowledgements
 * (before everything logged since, see `byLogOrder`) and no seq for incidents' steps. Items
 * that have them are left as they are, so a current snapshot costs one check per item.
 */
export function fillLogPlaces(state: State): void {
  for (const key of ['reports', 'fieldReports', 'checkins', 'logEntries'] as const) {
    const items: Record<string, { seq?: number }> = state[key];
    for (const [id, item] of Object.entries(items)) {
      // Read as stored: older snapshots lack the field the type promises.
      if (item.seq === undefined) items[id] = { ...item, seq: 0 };
    }
  }
  for (const [id, incident] of Object.entries(state.incidents)) {
    const stored: Partial<Incident> = incident;
    const acknowledgements = Object.entries(incident.acknowledgements);
    const oldAcknowledgement = acknowledgements.some(([, a]) => (a as Partial<typeof a>).seq === undefined);
    if (stored.requestedSeq !== undefined && !oldAcknowledgement) continue;
    state.incidents[id] = {
      ...incident,
      requestedSeq: stored.requestedSeq ?? null,
      activatedSeq: stored.activatedSeq ?? null,
      closedSeq: stored.closedSeq ?? null,
      acknowledgements: Object.fromEntries(
        acknowledgements.map(([actorId, a]) => [actorId, { ...a, seq: a.seq ?? 0 }]),
      ),
    };
  }
}

/**
 * The event as the schema would have read it, for events read without it (journal replay
 * and catch-up): the one place defaults added to stored events since are filled in.
 */
export function withEventDefaults(event: StoredEvent): StoredEvent {
  if (event.type !== 'checkin.created') return event;
  const checkin = withCheckinDefaults(event.payload.checkin);
  return checkin === event.payload.checkin ? event : { ...event, payload: { ...event.payload, checkin } };
}

function newMessage(id: string, incidentId: string, ownerActorId: string): JointMessage {
  return { id, incidentId, ownerActorId, versions: [], publications: {}, cancelled: null, version: 0 };
}

function newDirective(id: string, incidentId: string): Directive {
  return { id, incidentId, draft: null, versions: [], followUps: {}, version: 0 };
}

/**
 * The government decision readiness stands on after a change: the one the event names; else,
 * while readiness stays heightened (a note edited, or an event of an older hub), the one it
 * had, at least 'heightened'; lifted without one, none.
 */
function readinessDecisionAfter(
  before: Readiness,
  heightened: boolean,
  decision: ReadinessDecision | undefined,
): ReadinessDecision {
  if (decision) return decision;
  if (!heightened) return { level: 'none', scope: 'country', parts: '', decisionRef: '', decisionDate: null };
  const { scope, parts, decisionRef, decisionDate } = before;
  return {
    level: before.level === 'none' ? 'heightened' : before.level,
    scope,
    parts,
    decisionRef,
    decisionDate,
  };
}

function blankIncident(id: string): Incident {
  return {
    id,
    status: 'requested',
    title: '',
    kind: 'other',
    description: '',
    reason: '',
    area: null,
    summonedActorIds: [],
    nextConferenceAt: null,
    requestedAt: null,
    requestedBy: null,
    activatedAt: null,
    activatedBy: null,
    closedAt: null,
    closedBy: null,
    closingSummary: '',
    requestedSeq: null,
    activatedSeq: null,
    closedSeq: null,
    acknowledgements: {},
    version: 0,
  };
}
