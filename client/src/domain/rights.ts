import {
  authorize,
  canDecideRequests,
  type CommandType,
  type Sender,
  type SessionInfo,
} from '@lagesbild/shared';

/** The signed-in user as the hub's rights see them. */
const senderOf = (session: SessionInfo): Sender => ({
  userId: session.user.id,
  userName: session.user.name,
  actorId: session.actorId,
  functionIds: session.functionIds,
});

/**
 * Whether the signed-in user may send this command, by the same rule the hub applies. The
 * UI hides what would be refused; the hub still decides.
 */
export function can(session: SessionInfo, type: CommandType): boolean {
  return authorize(session.region, senderOf(session), type).ok;
}

/**
 * Whether the signed-in user decides on requests for joint handling, by the shared rule:
 * they are the ones alerted to a new request and shown the requester's number.
 */
export const decidesRequests = (session: SessionInfo): boolean =>
  canDecideRequests(session.region, senderOf(session));
