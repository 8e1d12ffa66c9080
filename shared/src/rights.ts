import type { CommandType } from './commands.js';
import type { RegionConfig } from './region.js';
import { fail, type AppError } from './result.js';

/** The signed-in party behind a command: a person acting for an actor in some functions. */
export type Sender = {
  userId: string;
  userName: string;
  actorId: string;
  functionIds: readonly string[];
};

/**
 * Finds the function under which the sender may send this command, following the region's
 * rights. The first matching function is the one the command is attributed to.
 */
export function authorize(
  region: RegionConfig,
  sender: Sender,
  type: CommandType,
): { ok: true; functionId: string } | { ok: false; error: AppError } {
  const rules = region.rights[type] ?? [];
  for (const functionId of sender.functionIds) {
    const allowed = rules.some(
      (rule) => rule.functions.includes(functionId) && (!rule.actors || rule.actors.includes(sender.actorId)),
    );
    if (allowed) return { ok: true, functionId };
  }
  return fail('forbidden', `Your functions (${sender.functionIds.join(', ') || 'none'}) may not ${type}`);
}

/**
 * Whether the sender may decide on a requested incident. Deciding means activating it or
 * declining it, and a request is declined by closing it, so either right is enough: a
 * region may give the two to different functions, and both need to see who asked.
 */
export function canDecideRequests(region: RegionConfig, sender: Sender): boolean {
  return authorize(region, sender, 'incident.activate').ok || authorize(region, sender, 'incident.close').ok;
}
