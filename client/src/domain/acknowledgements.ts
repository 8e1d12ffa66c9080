import type { Incident } from '@lagesbild/shared';

/**
 * How many of the summoned actors have acknowledged an activation. An empty summons means
 * every actor of the region (commands.ts), so the region's actor list is needed.
 */
export function acknowledgementCount(
  incident: Incident,
  regionActorIds: readonly string[],
): { acknowledged: number; summoned: number } {
  const summoned = incident.summonedActorIds.length > 0 ? incident.summonedActorIds : regionActorIds;
  const acknowledged = summoned.filter((id) => Object.hasOwn(incident.acknowledgements, id)).length;
  return { acknowledged, summoned: summoned.length };
}
