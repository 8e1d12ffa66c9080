import { FUNCTION_LEVELS, type FunctionLevel, type SessionInfo } from '@lagesbild/shared';

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

/**
 * The levels of the collaboration agreement the user's functions place them at, highest
 * first and each once: a head is "Inriktande nivå", a duty officer "Samordnande nivå".
 * Functions outside the levels (viewer, admin) add none.
 */
export function levelsOf(session: SessionInfo): FunctionLevel[] {
  const levels = new Set(
    session.functionIds.map((id) => session.region.functions.find((f) => f.id === id)?.level),
  );
  return FUNCTION_LEVELS.filter((level) => levels.has(level));
}
