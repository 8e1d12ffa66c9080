import type { SessionInfo } from '@lagesbild/shared';

/** The signed-in user's actor as people know it, from the region config. */
export function actorName(session: SessionInfo): string {
  return session.region.actors.find((a) => a.id === session.actorId)?.name ?? session.actorId;
}

/** The user's functions in the UI's language, e.g. "Tjänsteman i beredskap". */
export function functionNames(session: SessionInfo, language: 'sv' | 'en'): string[] {
  return session.functionIds.map(
    (id) => session.region.functions.find((f) => f.id === id)?.name[language] ?? id,
  );
}
