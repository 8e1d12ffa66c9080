import { latestReportOf, type Actor, type ActorStatus, type Report, type State } from '@lagesbild/shared';

/**
 * A place name reduced to what survives every spelling the region file and the border
 * file use: "Upplands Väsby", "upplands-vasby" and "Upplands-Väsby" all give
 * "upplands-vasby". Diacritics go because actor ids are ASCII slugs.
 */
export function placeKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The official name without "kommun"/"stad" and the genitive s: "Danderyds kommun" → "Danderyd". */
const plainName = (name: string): string[] => {
  const base = /^(?<base>.+) (?:kommun|stad)$/i.exec(name)?.groups?.base;
  return base ? [base, base.replace(/s$/, '')] : [name];
};

type MunicipalityName = { code: string; name: string };
type ActorNames = Pick<Actor, 'id' | 'name' | 'shortName' | 'kind'>;

/**
 * Which actor each municipality of a border file is, by SCB code. Only actors of kind
 * 'municipality' are candidates, so "Region Stockholm" or a port named after a town never
 * colours a municipality. An actor is found by its short name, its id or its official
 * name, in that order, so an actor an administrator added with an unusual id still
 * matches. A municipality with no such actor is left out: it stays uncoloured.
 */
export function municipalityActorIds(
  municipalities: readonly MunicipalityName[],
  actors: readonly ActorNames[],
): Map<string, string> {
  const candidates = actors.filter((actor) => actor.kind === 'municipality');
  const ways: ((actor: ActorNames) => string[])[] = [
    (actor) => [actor.shortName],
    (actor) => [actor.id],
    (actor) => plainName(actor.name),
  ];
  const found = new Map<string, string>();
  for (const municipality of municipalities) {
    const key = placeKey(municipality.name);
    for (const names of ways) {
      const actor = candidates.find((a) => names(a).some((n) => placeKey(n) === key));
      if (actor) {
        found.set(municipality.code, actor.id);
        break;
      }
    }
  }
  return found;
}

/** The region's municipalities as actors, by their Swedish short names. */
export const municipalityActors = <A extends ActorNames>(actors: readonly A[]): A[] =>
  actors
    .filter((actor) => actor.kind === 'municipality')
    .sort((a, b) => a.shortName.localeCompare(b.shortName, 'sv'));

/** One municipality's standing on an incident: its latest report, or none. */
export type MunicipalStatus = {
  actorId: string;
  name: string;
  status: ActorStatus | null;
  report: Report | null;
};

/**
 * Each municipality's latest report on the incident (the one logged last, which the
 * picture shows), in name order; a municipality that has not reported has status null.
 */
export function municipalStatuses(
  reports: State['reports'],
  incidentId: string,
  actors: readonly ActorNames[],
): MunicipalStatus[] {
  return municipalityActors(actors).map((actor) => {
    const report = latestReportOf(reports, incidentId, actor.id) ?? null;
    return { actorId: actor.id, name: actor.shortName, status: report?.status ?? null, report };
  });
}

/** Status by actor id, as the map reads it when it colours the municipalities. */
export const statusByActor = (
  statuses: readonly MunicipalStatus[],
): ReadonlyMap<string, ActorStatus | null> => new Map(statuses.map((s) => [s.actorId, s.status]));

/** How many municipalities stand at each status ('none' for those without a report). */
export function countByStatus(statuses: readonly MunicipalStatus[]): Record<ActorStatus | 'none', number> {
  const counts = { severe: 0, strained: 0, normal: 0, none: 0 };
  for (const { status } of statuses) counts[status ?? 'none'] += 1;
  return counts;
}
