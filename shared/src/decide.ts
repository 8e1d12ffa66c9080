import { openCheckinsOf } from './checkin-index.js';
import type { Command, CommandPayload } from './commands.js';
import type { EventDraft } from './events.js';
import type { Geometry, LatLng, MapFeature } from './geo.js';
import type { Attribution, Sharing, State } from './model.js';
import type { RegionConfig } from './region.js';
import { canonicalJson } from './hash.js';
import { ownEntry } from './records.js';
import { latestReportOf } from './report-index.js';
import { fail, succeed } from './result.js';
import {
  notFound,
  placeProblem,
  requireOpenIncident,
  stale,
  unique,
  unknownActors,
  type Context,
  type Decision,
} from './decide-helpers.js';
import {
  decideActionItemRecord,
  decideActionItemStatus,
  decideConferenceApproveMinutes,
  decideConferenceAssess,
  decideConferenceClose,
  decideConferenceOpen,
  decideConferenceReschedule,
  decideConferenceRollCall,
  decideConferenceRound,
  decideConferenceSchedule,
  decideConferenceSetNext,
  decideConferenceStep,
  decideNeedSettle,
  decideOfferAnswer,
  decideIncidentUpdate,
  decideOfferMake,
} from './decide-conference.js';
import {
  decideDirectiveConfirm,
  decideDirectiveCosign,
  decideDirectiveDecide,
  decideDirectiveDraft,
  decideDirectiveReport,
  decideTemplateRemove,
  decideTemplateRestore,
  decideTemplateSave,
} from './decide-directive.js';
import {
  decideMessageApprove,
  decideMessageCancel,
  decideMessageDraft,
  decideMessagePublish,
  decideMessageRequestChange,
} from './decide-message.js';

export type { Decision } from './decide-helpers.js';

/**
 * Decides what a command means in the current state: pure, so that every hub decides the
 * same way and the rules are table-tested. The sender is already authorised for the
 * command type; here only the rules that depend on state are checked.
 */
export function decide(
  state: State,
  command: Command,
  by: Attribution,
  now: string,
  region: RegionConfig,
): Decision {
  const ctx: Context = { by, now, region };
  switch (command.type) {
    case 'incident.request':
      return decideRequest(state, command.payload);
    case 'incident.activate':
      return decideActivate(state, command.payload, ctx);
    case 'incident.update':
      return decideUpdate(state, command.payload, ctx);
    case 'incident.close':
      return decideClose(state, command.payload);
    case 'readiness.set':
      return decideReadiness(state, command.payload);
    case 'activation.acknowledge':
      return decideAcknowledge(state, command.payload, ctx);
    case 'report.submit':
      return decideReport(state, command.payload, ctx);
    case 'fieldReport.submit':
      return decideFieldReport(state, command.payload, ctx);
    case 'checkin.create':
      return decideCheckin(state, command.payload, ctx);
    case 'checkin.checkout':
      return decideCheckout(state, command.payload, ctx);
    case 'logEntry.add':
      return decideLogEntry(state, command.payload, ctx);
    case 'conference.schedule':
      return decideConferenceSchedule(state, command.payload, ctx);
    case 'conference.reschedule':
      return decideConferenceReschedule(state, command.payload, ctx);
    case 'conference.open':
      return decideConferenceOpen(state, command.payload, ctx);
    case 'conference.step':
      return decideConferenceStep(state, command.payload, ctx);
    case 'conference.rollCall':
      return decideConferenceRollCall(state, command.payload, ctx);
    case 'conference.round':
      return decideConferenceRound(state, command.payload, ctx);
    case 'conference.assess':
      return decideConferenceAssess(state, command.payload, ctx);
    case 'conference.setNext':
      return decideConferenceSetNext(state, command.payload, ctx);
    case 'conference.close':
      return decideConferenceClose(state, command.payload, ctx);
    case 'conference.approveMinutes':
      return decideConferenceApproveMinutes(state, command.payload, ctx);
    case 'actionItem.record':
      return decideActionItemRecord(state, command.payload, ctx);
    case 'actionItem.setStatus':
      return decideActionItemStatus(state, command.payload, ctx);
    case 'offer.make':
      return decideOfferMake(state, command.payload, ctx);
    case 'offer.answer':
      return decideOfferAnswer(state, command.payload, ctx);
    case 'need.settle':
      return decideNeedSettle(state, command.payload, ctx);
    case 'directive.draft':
      return decideDirectiveDraft(state, command.payload, ctx);
    case 'directive.decide':
      return decideDirectiveDecide(state, command.payload, ctx);
    case 'directive.cosign':
      return decideDirectiveCosign(state, command.payload, ctx);
    case 'directive.confirm':
      return decideDirectiveConfirm(state, command.payload, ctx);
    case 'directive.reportItem':
      return decideDirectiveReport(state, command.payload, ctx);
    case 'directiveTemplate.save':
      return decideTemplateSave(state, command.payload, ctx);
    case 'directiveTemplate.remove':
      return decideTemplateRemove(state, command.payload, ctx);
    case 'directiveTemplate.restore':
      return decideTemplateRestore(state, command.payload, ctx);
    case 'jointMessage.draft':
      return decideMessageDraft(state, command.payload, ctx);
    case 'jointMessage.approve':
      return decideMessageApprove(state, command.payload, ctx);
    case 'jointMessage.requestChange':
      return decideMessageRequestChange(state, command.payload, ctx);
    case 'jointMessage.publish':
      return decideMessagePublish(state, command.payload, ctx);
    case 'jointMessage.cancel':
      return decideMessageCancel(state, command.payload, ctx);
  }
}

function decideRequest(state: State, p: CommandPayload<'incident.request'>): Decision {
  if (state.incidents[p.incidentId]) return fail('conflict', 'An incident with this id already exists');
  return succeed([
    { type: 'incident.requested', payload: { incidentId: p.incidentId, title: p.title, reason: p.reason } },
  ]);
}

function decideActivate(state: State, p: CommandPayload<'incident.activate'>, ctx: Context): Decision {
  const existing = state.incidents[p.incidentId];
  if (existing && existing.status !== 'requested') {
    return fail(
      'conflict',
      existing.status === 'active' ? 'The incident is already active' : 'The incident is closed',
    );
  }
  const unknown = unknownActors(ctx.region, p.summonedActorIds);
  if (unknown) return unknown;
  const badArea = p.area && placeProblem(ctx.region, "The incident's area", p.area);
  if (badArea) return badArea;
  // The activating actor convenes the joint handling, so it takes part even when the
  // summons names only others; and having made the decision, it has received it: its
  // acknowledgement is recorded with who activated and when.
  const summoned =
    p.summonedActorIds.length > 0
      ? unique([...p.summonedActorIds, ctx.by.actorId])
      : ctx.region.actors.map((a) => a.id);
  return succeed([
    { type: 'incident.activated', payload: { ...p, summonedActorIds: summoned } },
    { type: 'activation.acknowledged', payload: { incidentId: p.incidentId, actorId: ctx.by.actorId } },
  ]);
}

function decideUpdate(state: State, p: CommandPayload<'incident.update'>, ctx: Context): Decision {
  const incident = state.incidents[p.incidentId];
  if (!incident) return notFound('incident');
  if (incident.status !== 'active') return fail('conflict', 'Only an active incident can be updated');
  const { incidentId: _incidentId, baseVersion, ...changes } = p;
  if (baseVersion !== undefined && baseVersion !== incident.version) {
    return stale(
      `The incident has changed since version ${baseVersion}; it is at version ${incident.version} now`,
      { item: 'incident', incident },
    );
  }
  if (Object.values(changes).every((v) => v === undefined)) return fail('bad_request', 'Nothing to update');
  if (changes.summonedActorIds) {
    const unknown = unknownActors(ctx.region, changes.summonedActorIds);
    if (unknown) return unknown;
    if (changes.summonedActorIds.length === 0)
      return fail('bad_request', 'At least one actor must be summoned');
    changes.summonedActorIds = unique(changes.summonedActorIds);
  }
  const badArea = changes.area && placeProblem(ctx.region, "The incident's area", changes.area);
  if (badArea) return badArea;
  return decideIncidentUpdate(state, incident, changes, ctx);
}

function decideClose(state: State, p: CommandPayload<'incident.close'>): Decision {
  const incident = state.incidents[p.incidentId];
  if (!incident) return notFound('incident');
  if (incident.status === 'closed') return fail('conflict', 'The incident is already closed');
  return succeed([{ type: 'incident.closed', payload: { incidentId: p.incidentId, summary: p.summary } }]);
}

function decideReadiness(state: State, p: CommandPayload<'readiness.set'>): Decision {
  const { decision } = p;
  // Heightened readiness stands on a government decision: raising (or keeping it raised)
  // names it, with its reference and date. Lifting needs none.
  if (p.heightened && !decision) {
    return fail('bad_request', 'Name the government decision that raises readiness');
  }
  if (decision) {
    if (p.heightened !== (decision.level !== 'none')) {
      return fail('bad_request', `Heightened must be ${!p.heightened} for the level ${decision.level}`);
    }
    if (decision.level !== 'none' && decision.decisionRef.trim() === '') {
      return fail('bad_request', 'Name the government decision that raises readiness');
    }
    if (decision.level !== 'none' && decision.decisionDate === null) {
      return fail('bad_request', 'Give the date of the government decision that raises readiness');
    }
    if (decision.level !== 'none' && decision.scope === 'parts' && decision.parts.trim() === '') {
      return fail('bad_request', 'Name the parts of the country the decision covers');
    }
  }
  // Lifting without a decision compares only the flag and the note.
  const now = state.readiness;
  const sameDecision =
    !decision ||
    canonicalJson(decision) ===
      canonicalJson({
        level: now.level,
        scope: now.scope,
        parts: now.parts,
        decisionRef: now.decisionRef,
        decisionDate: now.decisionDate,
      });
  if (now.heightened === p.heightened && now.note === p.note && sameDecision) {
    return fail('conflict', 'Heightened readiness is already in that state');
  }
  return succeed([{ type: 'readiness.changed', payload: p }]);
}

function decideAcknowledge(
  state: State,
  p: CommandPayload<'activation.acknowledge'>,
  ctx: Context,
): Decision {
  const incident = state.incidents[p.incidentId];
  if (!incident) return notFound('incident');
  if (incident.status !== 'active') return fail('conflict', 'Only an active incident can be acknowledged');
  if (!incident.summonedActorIds.includes(ctx.by.actorId)) {
    return fail('forbidden', 'Your actor is not summoned to this incident');
  }
  if (ownEntry(incident.acknowledgements, ctx.by.actorId)) {
    return fail('conflict', 'Your actor has already acknowledged this activation');
  }
  return succeed([
    { type: 'activation.acknowledged', payload: { incidentId: p.incidentId, actorId: ctx.by.actorId } },
  ]);
}

function decideReport(state: State, p: CommandPayload<'report.submit'>, ctx: Context): Decision {
  const open = requireOpenIncident(state.incidents[p.incidentId], 'active');
  if (open) return open;
  if (state.reports[p.reportId]) return fail('conflict', 'A report with this id already exists');
  const badSharing = checkSharing(ctx.region, p.sharing);
  if (badSharing) return badSharing;
  const featureIds = new Set(p.features.map((f) => f.id));
  if (featureIds.size !== p.features.length) return fail('bad_request', 'Two map features have the same id');
  for (const [i, feature] of p.features.entries()) {
    const badPlace = placeProblem(ctx.region, featureName(feature, i), feature.geometry);
    if (badPlace) return badPlace;
  }
  const { reportId, supersedes, ...content } = p;
  if (supersedes !== undefined) {
    const latest = latestReportOf(state.reports, p.incidentId, ctx.by.actorId);
    if (supersedes !== null && !latest) {
      return fail('bad_request', 'Your actor has no report on this incident for this one to supersede');
    }
    if (latest && latest.id !== supersedes) {
      return stale('Your actor has reported on this incident since this report was begun', {
        item: 'report',
        report: latest,
      });
    }
  }
  const report = { ...content, id: reportId, actorId: ctx.by.actorId, at: ctx.now, by: ctx.by };
  return succeed([{ type: 'report.submitted', payload: { report } }]);
}

function decideFieldReport(state: State, p: CommandPayload<'fieldReport.submit'>, ctx: Context): Decision {
  const open = requireOpenIncident(state.incidents[p.incidentId], 'active');
  if (open) return open;
  if (state.fieldReports[p.fieldReportId])
    return fail('conflict', 'A field report with this id already exists');
  const badSharing = checkSharing(ctx.region, p.sharing);
  if (badSharing) return badSharing;
  const badPosition =
    p.position && placeProblem(ctx.region, "The field report's position", pointAt(p.position));
  if (badPosition) return badPosition;
  const { fieldReportId, ...content } = p;
  const fieldReport = { ...content, id: fieldReportId, actorId: ctx.by.actorId, at: ctx.now, by: ctx.by };
  return succeed([{ type: 'fieldReport.submitted', payload: { fieldReport } }]);
}

function decideCheckin(state: State, p: CommandPayload<'checkin.create'>, ctx: Context): Decision {
  if (state.checkins[p.checkinId]) return fail('conflict', 'A check-in with this id already exists');
  if (p.incidentId !== null) {
    const closed = requireOpenIncident(state.incidents[p.incidentId], 'open');
    if (closed) return closed;
  }
  const badSharing = checkSharing(ctx.region, p.sharing);
  if (badSharing) return badSharing;
  const badPosition = p.position && placeProblem(ctx.region, "The check-in's position", pointAt(p.position));
  if (badPosition) return badPosition;
  // A person is checked in once: a new check-in ends the previous one.
  const previous = openCheckinsOf(state.checkins, ctx.by.userId);
  const checkin = {
    id: p.checkinId,
    incidentId: p.incidentId,
    status: p.status,
    position: p.position,
    note: p.note,
    at: ctx.now,
    by: ctx.by,
    checkedOutAt: null,
    sharing: p.sharing,
  };
  return succeed([
    ...previous.map((c): EventDraft => ({ type: 'checkin.checkedOut', payload: { checkinId: c.id } })),
    { type: 'checkin.created', payload: { checkin } },
  ]);
}

function decideCheckout(state: State, p: CommandPayload<'checkin.checkout'>, ctx: Context): Decision {
  const checkin = state.checkins[p.checkinId];
  if (!checkin) return notFound('check-in');
  if (checkin.by.actorId !== ctx.by.actorId)
    return fail('forbidden', 'The check-in belongs to another actor');
  if (checkin.checkedOutAt !== null) return fail('conflict', 'Already checked out');
  return succeed([{ type: 'checkin.checkedOut', payload: { checkinId: p.checkinId } }]);
}

function decideLogEntry(state: State, p: CommandPayload<'logEntry.add'>, ctx: Context): Decision {
  if (state.logEntries[p.entryId]) return fail('conflict', 'A log entry with this id already exists');
  if (p.incidentId !== null && !state.incidents[p.incidentId]) return notFound('incident');
  const badSharing = checkSharing(ctx.region, p.sharing);
  if (badSharing) return badSharing;
  const entry = {
    id: p.entryId,
    incidentId: p.incidentId,
    text: p.text,
    sharing: p.sharing,
    at: ctx.now,
    by: ctx.by,
  };
  return succeed([{ type: 'logEntry.added', payload: { entry } }]);
}

function checkSharing(region: RegionConfig, sharing: Sharing) {
  return sharing.scope === 'actors' ? unknownActors(region, sharing.actorIds) : null;
}

const GEOMETRY_WORDS: Record<Geometry['type'], string> = {
  Point: 'point',
  LineString: 'line',
  Polygon: 'polygon',
};

/** "Map feature 2 (polygon "Avspärrning")": the number as the form lists them, and the label. */
const featureName = (feature: MapFeature, index: number) =>
  `Map feature ${index + 1} (${GEOMETRY_WORDS[feature.geometry.type]}${feature.label ? ` "${feature.label}"` : ''})`;

const pointAt = (position: LatLng): Geometry => ({
  type: 'Point',
  coordinates: [position.lng, position.lat],
});
