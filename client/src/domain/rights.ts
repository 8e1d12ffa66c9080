import { authorize, type CommandType, type SessionInfo } from '@lagesbild/shared';

/**
 * Whether the signed-in user may send this command, by the same rule the hub applies. The
 * UI hides what would be refused; the hub still decides.
 */
export function can(session: SessionInfo, type: CommandType): boolean {
  const sender = {
    userId: session.user.id,
    userName: session.user.name,
    actorId: session.actorId,
    functionIds: session.functionIds,
  };
  return authorize(session.region, sender, type).ok;
}
