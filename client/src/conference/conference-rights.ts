import {
  mayChair,
  type ActionItem,
  type ActionItemStatus,
  type CommandType,
  type Conference,
  type SessionInfo,
} from '@lagesbild/shared';
import { can } from '../domain/rights';

// The shared rules of the conference as the UI mirrors them: controls show only where the
// hub would accept the command (conference-spec "Rules"); the hub still decides.

/** Once minutes are approved the conference's record is read-only; corrections are new versions. */
export const minutesApproved = (conference: Conference): boolean => conference.minutes.length > 0;

/** Whether the signed-in user may chair the conference (its convener, or the region's lead) and send this command. */
export const chairMay = (session: SessionInfo, conference: Conference, type: CommandType): boolean =>
  mayChair(conference, session.actorId, session.region) && can(session, type);

/** The chair runs the agenda while the conference is open and its record is not approved. */
export const chairRuns = (session: SessionInfo, conference: Conference, type: CommandType): boolean =>
  conference.status === 'open' && !minutesApproved(conference) && chairMay(session, conference, type);

/** Decisions and the next time are recorded while open, or after closing until the minutes are approved. */
export const chairRecords = (session: SessionInfo, conference: Conference, type: CommandType): boolean =>
  conference.status !== 'scheduled' && !minutesApproved(conference) && chairMay(session, conference, type);

/** A summoned actor's own duty officer or coordinator may say it is present; only the chair says more. */
export const maySayPresent = (session: SessionInfo, conference: Conference, actorId: string): boolean =>
  conference.status === 'open' &&
  !minutesApproved(conference) &&
  actorId === session.actorId &&
  conference.summonedActorIds.includes(actorId) &&
  can(session, 'conference.rollCall');

/**
 * The statuses the user may give an item now: its owner toggles open ↔ done, the chair of
 * its conference may also cancel or reopen. The current status is never offered.
 */
export function statusChoices(
  session: SessionInfo,
  item: ActionItem,
  conference: Conference | undefined,
): ActionItemStatus[] {
  if (!can(session, 'actionItem.setStatus')) return [];
  const chair = conference !== undefined && mayChair(conference, session.actorId, session.region);
  const owner = item.ownerActorId === session.actorId;
  const allowed: ActionItemStatus[] = chair
    ? ['done', 'open', 'cancelled']
    : owner && item.status !== 'cancelled'
      ? ['done', 'open']
      : [];
  return allowed.filter((s) => s !== item.status);
}
