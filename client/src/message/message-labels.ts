import {
  hasApproved,
  type Incident,
  type JointMessage,
  type MessageVersion,
  type RegionConfig,
  type SessionInfo,
} from '@lagesbild/shared';
import { actorLabel, summonedActorIds } from '../domain/actors';
import { can } from '../domain/rights';

/** The CAP 1.2 alert of an agreed version, as the server offers it without sign-in. */
export const capUrl = (messageId: string, version: number): string =>
  `/api/public/messages/${encodeURIComponent(messageId)}/versions/${version}/cap.xml`;

/**
 * The actors a drafter may name to approve: those the incident summons and the region's lead
 * actor, whom the server accepts too. Sorted by name, the drafter's own actor first.
 */
export function approverCandidates(incident: Incident, region: RegionConfig, ownActorId: string): string[] {
  const ids = new Set([...summonedActorIds(incident, region), region.leadActorId]);
  const named = [...ids].sort((a, b) => actorLabel(region, a).localeCompare(actorLabel(region, b), 'sv'));
  return named.includes(ownActorId) ? [ownActorId, ...named.filter((id) => id !== ownActorId)] : named;
}

/**
 * Whether the actor may draft the incident's message as the server checks it: the incident
 * is active and summons the actor, or the actor leads the region.
 */
export const actorTakesPart = (incident: Incident, region: RegionConfig, actorId: string): boolean =>
  region.leadActorId === actorId || summonedActorIds(incident, region).includes(actorId);

/** Whether the actor is named to approve the version. */
export const isNamed = (version: MessageVersion, actorId: string): boolean =>
  version.approverActorIds.includes(actorId);

/** Whether the actor may withdraw the message: its owner, or an actor its latest version names. */
export const mayWithdrawFor = (message: JointMessage, actorId: string): boolean =>
  message.ownerActorId === actorId || (message.versions.at(-1)?.approverActorIds.includes(actorId) ?? false);

/**
 * Whether the user may answer the version for its actor now, as the server checks it: the
 * incident is active, the message open, the version not agreed, its actor named on it and
 * still taking part, its function one that signs off, and its actor has not approved it yet.
 */
export const mayAnswerNow = (
  session: SessionInfo,
  incident: Incident,
  message: JointMessage,
  version: MessageVersion,
): boolean =>
  incident.status === 'active' &&
  message.cancelled === null &&
  version.agreedAt === null &&
  isNamed(version, session.actorId) &&
  actorTakesPart(incident, session.region, session.actorId) &&
  can(session, 'jointMessage.approve') &&
  !hasApproved(version, session.actorId);

/**
 * Whether the user works on messages (drafts or signs off). Others (viewers, field staff)
 * are shown only what was agreed: a draft is not yet anything to act on or pass on.
 */
export const worksOnMessages = (session: SessionInfo): boolean =>
  can(session, 'jointMessage.draft') || can(session, 'jointMessage.approve');

/** The message with only its agreed versions, for those who see nothing else. */
export const agreedOnly = (message: JointMessage): JointMessage => ({
  ...message,
  versions: message.versions.filter((v) => v.agreedAt !== null),
});

/** Whether a version's validity has ended by `nowMs`. */
export const isExpired = (version: MessageVersion, nowMs: number): boolean =>
  Date.parse(version.content.validUntil) <= nowMs;
