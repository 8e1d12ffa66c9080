import {
  acknowledgementOf,
  activationOrder,
  byLogOrder,
  type Incident,
  type RegionConfig,
  type State,
} from '@lagesbild/shared';
import { isSummoned } from '../domain/actors';
import type { OutboxItem } from '../outbox';

/**
 * The activations the phone must alert its user to, oldest first: active incidents that
 * summon the user's actor (an empty summons is everyone) which the actor has not
 * acknowledged, which this user has not already acknowledged from the outbox, and which
 * the user has not put away.
 */
export function pendingActivations(
  state: Pick<State, 'incidents'>,
  region: RegionConfig,
  actorId: string,
  items: readonly OutboxItem[],
  dismissed: ReadonlySet<string>,
): Incident[] {
  const acknowledging = new Set(
    items.flatMap(({ status, command }) =>
      status !== 'failed' && command.type === 'activation.acknowledge' ? [command.payload.incidentId] : [],
    ),
  );
  return Object.values(state.incidents)
    .filter(
      (i) =>
        i.status === 'active' &&
        isSummoned(i, region, actorId) &&
        acknowledgementOf(i, actorId) === null &&
        !acknowledging.has(i.id) &&
        !dismissed.has(i.id),
    )
    .sort((a, b) => byLogOrder(activationOrder(a), activationOrder(b)));
}

const DISMISSED_KEY = 'lagesbild.phone.dismissedAlerts';

/** Activations the user put away on this phone (those they may not acknowledge themselves). */
export function readDismissed(): Set<string> {
  try {
    const raw: unknown = JSON.parse(globalThis.localStorage?.getItem(DISMISSED_KEY) ?? '[]');
    return new Set(Array.isArray(raw) ? raw.filter((id): id is string => typeof id === 'string') : []);
  } catch {
    return new Set();
  }
}

/**
 * Remembers a put-away alert. Only ids of incidents still active are kept, so the list
 * never grows beyond what is going on.
 */
export function writeDismissed(ids: ReadonlySet<string>, stillActive: (id: string) => boolean): void {
  try {
    globalThis.localStorage?.setItem(DISMISSED_KEY, JSON.stringify([...ids].filter(stillActive)));
  } catch {
    // Storage blocked: the alert comes back after a reload, which errs on the safe side.
  }
}
