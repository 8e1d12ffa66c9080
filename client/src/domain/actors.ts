import type { Actor, Incident, RegionConfig } from '@lagesbild/shared';

/** An actor's name as people know it; the id when the registry no longer has it. */
export const actorLabel = (region: RegionConfig, actorId: string): string =>
  region.actors.find((a) => a.id === actorId)?.name ?? actorId;

/** The short name, for tight places like map legends and matrices. */
export const actorShortLabel = (region: RegionConfig, actorId: string): string =>
  region.actors.find((a) => a.id === actorId)?.shortName ?? actorId;

/** The actors an incident summons; an empty summons means every actor of the region. */
export function summonedActorIds(incident: Incident, region: RegionConfig): string[] {
  return incident.summonedActorIds.length > 0 ? incident.summonedActorIds : region.actors.map((a) => a.id);
}

/** Whether the actor is summoned to the incident. */
export const isSummoned = (incident: Incident, region: RegionConfig, actorId: string): boolean =>
  summonedActorIds(incident, region).includes(actorId);

/** Actors sorted by their Swedish names, the order of every list and matrix. */
export const byName = (a: Pick<Actor, 'name'>, b: Pick<Actor, 'name'>): number =>
  a.name.localeCompare(b.name, 'sv');

/**
 * A colour per actor, stable as long as the registry's order is: hues spread by the golden
 * angle so neighbours differ, dark enough to read on a light map and on white.
 */
export function actorColour(region: RegionConfig, actorId: string): string {
  const index = Math.max(
    0,
    region.actors.findIndex((a) => a.id === actorId),
  );
  const hue = Math.round((index * 137.508) % 360);
  return `hsl(${hue} 85% 32%)`;
}
