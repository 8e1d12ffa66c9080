import type { CommandPayload } from './commands.js';
import {
  notFound,
  placeProblem,
  requireOpenIncident,
  unique,
  unknownActors,
  type Context,
  type Decision,
  type Refusal,
} from './decide-helpers.js';
import type { EventDraft } from './events.js';
import { LIMITS } from './limits.js';
import type { JointMessage, MessageContent, MessageVersion } from './message-model.js';
import {
  currentMessageOf,
  hasApproved,
  latestAgreedVersion,
  latestMessageVersion,
} from './message-selectors.js';
import type { Incident, State } from './model.js';
import { ownEntry } from './records.js';
import { fail, succeed } from './result.js';
import { authorize } from './rights.js';

// Joint messages to the public: one function per command, pure like the rest of `decide`.
// The region file says which functions may send each command (communicators, coordinators
// and duty officers draft; communicators and duty officers sign off, publish and cancel);
// here what depends on the state is checked: the sender's actor takes part in the incident,
// the version is the latest, the actor is one the version names.
//
// Drafting and answering (approving, asking for a change) need an active incident: the
// message is worked out while the incident is handled. Recording a publication and
// withdrawing the message stay allowed after the incident is closed: an actor may record
// afterwards that it published, and an agreed message must be withdrawable whatever
// happened to the incident.

/**
 * How far a publication's time may lie ahead of the server's clock, or before the version
 * was agreed: clocks differ a little between the actors' systems and the servers.
 */
const PUBLISHED_AT_LEEWAY_MS = 5 * 60 * 1000;

const isRefusal = <T extends object>(value: T | Refusal): value is Refusal =>
  'ok' in value && value.ok === false;

/**
 * Whether an actor takes part in the incident: summoned to it, or the region's lead actor,
 * which coordinates every incident whether summoned or not. An activation names its summoned
 * actors (every actor when the sender named none), so an empty list is only in logs from
 * before that rule: it meant everybody, as the screens read it.
 */
const takesPart = (incident: Incident | undefined, actorId: string, ctx: Context): boolean =>
  actorId === ctx.region.leadActorId ||
  (incident !== undefined &&
    (incident.summonedActorIds.length === 0 || incident.summonedActorIds.includes(actorId)));

/**
 * Whether the sender may approve a version under the function it sent the command as. A
 * drafter whose function may only draft (a coordinator) saves a version without approving
 * it: its actor's communicator or duty officer still has to sign off.
 */
const mayApprove = (ctx: Context): boolean =>
  authorize(ctx.region, { ...ctx.by, functionIds: [ctx.by.functionId] }, 'jointMessage.approve').ok;

/** The message while it is not cancelled, or the refusal. */
function findOpenMessage(state: State, messageId: string): JointMessage | Refusal {
  const message = ownEntry(state.jointMessages, messageId);
  if (!message) return notFound('joint message');
  if (message.cancelled) return fail('conflict', 'The joint message has been cancelled');
  return message;
}

/** What the schema cannot see in a message's content: times in order, the place, codes, actors, the directive. */
function contentProblem(
  state: State,
  incidentId: string,
  content: MessageContent,
  ctx: Context,
): Refusal | null {
  if (Date.parse(content.validUntil) <= Date.parse(content.validFrom)) {
    return fail('bad_request', 'The message is valid until a time before it is valid from');
  }
  const { polygon, municipalityCodes } = content.area;
  const badArea = polygon && placeProblem(ctx.region, "The message's area", polygon);
  if (badArea) return badArea;
  const codes = new Set(
    ctx.region.actors.flatMap((a) => (a.kind === 'municipality' && a.municipalityCode) || []),
  );
  const unknownCodes = unique(municipalityCodes.filter((code) => !codes.has(code)));
  if (unknownCodes.length > 0) {
    return fail('bad_request', `Unknown municipality code(s) for this region: ${unknownCodes.join(', ')}`);
  }
  if (new Set(municipalityCodes).size !== municipalityCodes.length) {
    return fail('bad_request', 'A municipality is named twice in the area');
  }
  const actorIds = new Set(ctx.region.actors.map((a) => a.id));
  const unknownChannels = unique(content.moreInfo.channels.map((c) => c.actorId)).filter(
    (id) => !actorIds.has(id),
  );
  if (unknownChannels.length > 0) {
    return fail('bad_request', `A channel names unknown actor(s): ${unknownChannels.join(', ')}`);
  }
  if (content.directiveId !== null) {
    const directive = ownEntry(state.directives, content.directiveId);
    if (directive?.incidentId !== incidentId) {
      return fail('bad_request', 'The cited directive is not a directive of this incident');
    }
  }
  return null;
}

/**
 * Refuses approvers the region does not know, and approvers that do not take part in the
 * incident: only a taking-part actor's people may sign off, so nobody could approve for them.
 */
function approverProblem(
  incident: Incident,
  approverActorIds: readonly string[],
  ownerActorId: string,
  ctx: Context,
): Refusal | null {
  const unknown = unknownActors(ctx.region, approverActorIds);
  if (unknown) return unknown;
  if (!takesPart(incident, ownerActorId, ctx)) {
    return fail(
      'conflict',
      `The owner of the message (${ownerActorId}) no longer takes part in the incident, so nobody can approve for it: withdraw the message and draft a new one`,
    );
  }
  const outside = approverActorIds.filter((id) => !takesPart(incident, id, ctx));
  return outside.length > 0
    ? fail(
        'bad_request',
        `Only actors summoned to the incident can approve; not summoned: ${outside.join(', ')}`,
      )
    : null;
}

/**
 * What a new version may not change from the one before: whether it is an exercise (the
 * public, and CAP's `status`, must never see one turn into the other), and, unless the owner
 * drafts it, who approves it: an approver dropped by anyone else could be edited out of a
 * message it objects to.
 */
function versionChangeProblem(
  previous: MessageVersion,
  content: MessageContent,
  approverActorIds: readonly string[],
  ownerActorId: string,
  ctx: Context,
): Refusal | null {
  if (previous.content.exercise && !content.exercise) {
    return fail('bad_request', 'An exercise message stays an exercise; withdraw it and start a new one');
  }
  if (!previous.content.exercise && content.exercise) {
    return fail(
      'bad_request',
      'A message to the public cannot become an exercise; withdraw it and start a new one',
    );
  }
  const dropped = previous.approverActorIds.filter((id) => !approverActorIds.includes(id));
  if (dropped.length > 0 && ctx.by.actorId !== ownerActorId) {
    return fail(
      'bad_request',
      `Only the owner of the message (${ownerActorId}) may remove an approver; left out: ${dropped.join(', ')}`,
    );
  }
  return null;
}

/**
 * Refuses an edit of another version than the latest saved one, as `stale` (without details:
 * the sender's picture has the newer version, which the log brings it), and a message at
 * its last version.
 */
function requireBaseVersion(message: JointMessage | undefined, baseVersion: number): Refusal | null {
  const saved = message?.versions.length ?? 0;
  if (!message) {
    return baseVersion === 0
      ? null
      : fail('bad_request', `A new joint message starts from version 0, not ${baseVersion}`);
  }
  if (baseVersion < saved) return fail('stale', `Version ${saved} of the message has been saved since`);
  if (baseVersion > saved) {
    return fail('bad_request', `The message has no version ${baseVersion}; ${saved} are saved`);
  }
  if (saved >= LIMITS.maxMessageVersions) {
    return fail('conflict', `The message has reached its ${LIMITS.maxMessageVersions} versions`);
  }
  return null;
}

export function decideMessageDraft(
  state: State,
  p: CommandPayload<'jointMessage.draft'>,
  ctx: Context,
): Decision {
  const incident = state.incidents[p.incidentId];
  const notActive = requireOpenIncident(incident, 'active');
  if (notActive || !incident) return notActive ?? notFound('incident');
  if (!takesPart(incident, ctx.by.actorId, ctx)) {
    return fail('forbidden', 'Your actor is not summoned to this incident');
  }
  const existing = ownEntry(state.jointMessages, p.messageId);
  if (existing && existing.incidentId !== p.incidentId) {
    return fail('bad_request', 'The joint message belongs to another incident');
  }
  if (existing?.cancelled) return fail('conflict', 'The joint message has been cancelled: draft a new one');
  // One message at a time per incident, so every surface and the public hear the same one.
  const current = currentMessageOf(state, p.incidentId);
  if (!existing && current) {
    return fail(
      'conflict',
      `The incident already has a joint message (${current.id}): draft a new version of it`,
    );
  }
  const old = requireBaseVersion(existing, p.baseVersion);
  if (old) return old;
  const ownerActorId = existing?.ownerActorId ?? ctx.by.actorId;
  // The owner of the matter approves every version, named or not: no refusal when the drafter
  // leaves it out, it is put first (the sign-off view shows it as required).
  const approverActorIds = unique([ownerActorId, ...p.approverActorIds]);
  const previous = existing && latestMessageVersion(existing);
  if (previous) {
    const changed = versionChangeProblem(previous, p.content, approverActorIds, ownerActorId, ctx);
    if (changed) return changed;
  }
  const badApprovers = approverProblem(incident, approverActorIds, ownerActorId, ctx);
  if (badApprovers) return badApprovers;
  const bad = contentProblem(state, p.incidentId, p.content, ctx);
  if (bad) return bad;
  const version = p.baseVersion + 1;
  const events: EventDraft[] = [
    {
      type: 'jointMessage.drafted',
      payload: {
        messageId: p.messageId,
        incidentId: p.incidentId,
        version,
        content: p.content,
        approverActorIds,
        ownerActorId,
        // As the incident is now: what CAP says the version is about, even if it is renamed later.
        incidentTitle: incident.title,
        incidentKind: incident.kind,
      },
    },
  ];
  // Saving a version is the drafting actor's approval of it, when the version names the
  // drafter's actor and the drafter may approve (a coordinator's save is no approval).
  if (approverActorIds.includes(ctx.by.actorId) && mayApprove(ctx)) {
    events.push({
      type: 'jointMessage.approved',
      payload: { messageId: p.messageId, version, actorId: ctx.by.actorId, comment: '', byDrafting: true },
    });
    if (approverActorIds.length === 1) {
      events.push({ type: 'jointMessage.agreed', payload: { messageId: p.messageId, version } });
    }
  }
  return succeed(events);
}

/**
 * The checks an answer (approval or change request) shares: the message is open, its incident
 * active, the answer is for the sender's own actor, the version is the latest and names that
 * actor, the actor still takes part in the incident, and the version is not agreed yet.
 * Returns the version answered, or the refusal.
 */
function answerableVersion(
  state: State,
  p: { messageId: string; version: number; forActorId: string },
  ctx: Context,
  doing: string,
): { message: JointMessage; version: MessageVersion } | Refusal {
  const message = findOpenMessage(state, p.messageId);
  if (isRefusal(message)) return message;
  const incident = state.incidents[message.incidentId];
  const notActive = requireOpenIncident(incident, 'active');
  if (notActive) return notActive;
  if (p.forActorId !== ctx.by.actorId) {
    return fail(
      'forbidden',
      `You can answer only for your own actor (${ctx.by.actorId}), not for ${p.forActorId}`,
    );
  }
  const latest = latestMessageVersion(message);
  if (!latest || p.version > latest.version) {
    return fail('bad_request', `The message has no version ${p.version}`);
  }
  if (p.version < latest.version) {
    return fail(
      'stale',
      `Version ${p.version} has been superseded by version ${latest.version}: read it first`,
    );
  }
  if (!latest.approverActorIds.includes(p.forActorId)) {
    return fail('forbidden', `Version ${latest.version} does not name your actor among those who approve it`);
  }
  // Named when the version was saved, but since left out of the incident: it answers no more.
  if (!takesPart(incident, ctx.by.actorId, ctx)) {
    return fail('forbidden', 'Your actor is no longer summoned to this incident');
  }
  if (latest.agreedAt !== null) {
    return fail('conflict', `Version ${latest.version} is already agreed: ${doing}`);
  }
  return { message, version: latest };
}

export function decideMessageApprove(
  state: State,
  p: CommandPayload<'jointMessage.approve'>,
  ctx: Context,
): Decision {
  const found = answerableVersion(state, p, ctx, 'there is nothing left to approve');
  if (isRefusal(found)) return found;
  const { version } = found;
  if (hasApproved(version, p.forActorId)) {
    return fail('conflict', `Your actor has already approved version ${version.version}`);
  }
  const events: EventDraft[] = [
    {
      type: 'jointMessage.approved',
      payload: {
        messageId: p.messageId,
        version: version.version,
        actorId: p.forActorId,
        comment: p.comment,
        byDrafting: false,
      },
    },
  ];
  // Agreed when this approval is the last one missing: every other named actor's latest answer is an approval.
  const othersApproved = version.approverActorIds.every(
    (id) => id === p.forActorId || hasApproved(version, id),
  );
  if (othersApproved) {
    events.push({
      type: 'jointMessage.agreed',
      payload: { messageId: p.messageId, version: version.version },
    });
  }
  return succeed(events);
}

export function decideMessageRequestChange(
  state: State,
  p: CommandPayload<'jointMessage.requestChange'>,
  ctx: Context,
): Decision {
  const found = answerableVersion(state, p, ctx, 'draft a new version instead');
  if (isRefusal(found)) return found;
  return succeed([
    {
      type: 'jointMessage.changeRequested',
      payload: {
        messageId: p.messageId,
        version: found.version.version,
        actorId: p.forActorId,
        comment: p.comment,
      },
    },
  ]);
}

export function decideMessagePublish(
  state: State,
  p: CommandPayload<'jointMessage.publish'>,
  ctx: Context,
): Decision {
  const message = findOpenMessage(state, p.messageId);
  if (isRefusal(message)) return message;
  const agreed = latestAgreedVersion(message);
  if (!agreed)
    return fail(
      'conflict',
      'The message is not agreed yet: it may be published once every named actor has approved it',
    );
  if (p.version < agreed.version) {
    return fail(
      'stale',
      `Version ${p.version} has been superseded: publish the agreed version ${agreed.version}`,
    );
  }
  if (p.version > agreed.version) {
    return message.versions.some((v) => v.version === p.version)
      ? fail(
          'conflict',
          `Version ${p.version} is not agreed yet; version ${agreed.version} is the agreed one`,
        )
      : fail('bad_request', `The message has no version ${p.version}`);
  }
  // The incident may be closed by now: a publication may be recorded afterwards, so only
  // whether the actor took part matters, not the incident's status.
  if (!takesPart(state.incidents[message.incidentId], ctx.by.actorId, ctx)) {
    return fail('forbidden', 'Your actor is not summoned to this incident');
  }
  const publishedAt = Date.parse(p.publishedAt);
  if (publishedAt > Date.parse(ctx.now) + PUBLISHED_AT_LEEWAY_MS) {
    return fail('bad_request', 'The publication time is in the future');
  }
  if (agreed.agreedAt !== null && publishedAt < Date.parse(agreed.agreedAt) - PUBLISHED_AT_LEEWAY_MS) {
    return fail('bad_request', `The publication time is before version ${agreed.version} was agreed`);
  }
  return succeed([
    {
      type: 'jointMessage.published',
      payload: {
        messageId: p.messageId,
        version: p.version,
        actorId: ctx.by.actorId,
        channel: p.channel,
        publishedAt: p.publishedAt,
        note: p.note,
      },
    },
  ]);
}

export function decideMessageCancel(
  state: State,
  p: CommandPayload<'jointMessage.cancel'>,
  ctx: Context,
): Decision {
  const message = findOpenMessage(state, p.messageId);
  if (isRefusal(message)) return message;
  // Allowed after the incident is closed too: an agreed message must always be withdrawable.
  const named = latestMessageVersion(message)?.approverActorIds.includes(ctx.by.actorId) ?? false;
  if (message.ownerActorId !== ctx.by.actorId && !named) {
    return fail('forbidden', 'Only the owner of the message or an actor it names may cancel it');
  }
  return succeed([{ type: 'jointMessage.cancelled', payload: { messageId: p.messageId, reason: p.reason } }]);
}
