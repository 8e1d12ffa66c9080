import {
  confirmationOf,
  directiveInForceOf,
  itemsOwnedBy,
  type DirectiveItem,
  type ItemFollowUp,
  type State,
} from '@lagesbild/shared';
import { isPending, type OutboxItem } from '../outbox/outbox-item';
import type { DirectiveInForce } from '../wall/wall-directive';

// The directive in force as a phone shows it: the items the person's actor owns, each with
// how far the actor has got (confirmed, reported), derived from the picture by pure functions.

/** One item the actor owns, with its confirmation for this version, if it still holds. */
export type OwnDirectiveItem = { item: DirectiveItem; followUp: ItemFollowUp | undefined };

/** The directive in force of an incident, with the items the actor owns in it. */
export type PhoneDirective = DirectiveInForce & { items: OwnDirectiveItem[] };

/**
 * The directive in force of an incident and the items of it that the actor owns, or
 * undefined when none is in force (an expired directive asks nothing more of anyone).
 */
export function phoneDirective(
  state: Pick<State, 'directives'>,
  incidentId: string,
  actorId: string,
  now: string,
): PhoneDirective | undefined {
  const shown = directiveInForceOf(state, incidentId, now);
  if (!shown) return undefined;
  const items = itemsOwnedBy(shown.directive, actorId).map((item) => ({
    item,
    followUp: confirmationOf(shown.directive, item.id),
  }));
  return { ...shown, items };
}

/** This user's confirmations and reports still on their way to the hub, by item id. */
export type PendingDirectiveCommands = { confirm: Set<string>; report: Set<string> };

/** Read from the outbox, so a tap already made is not offered again, even after a reload. */
export function pendingDirectiveCommands(items: readonly OutboxItem[]): PendingDirectiveCommands {
  const pending: PendingDirectiveCommands = { confirm: new Set(), report: new Set() };
  for (const item of items) {
    if (!isPending(item)) continue;
    const { command } = item;
    if (command.type === 'directive.confirm') pending.confirm.add(command.payload.itemId);
    if (command.type === 'directive.reportItem') pending.report.add(command.payload.itemId);
  }
  return pending;
}
