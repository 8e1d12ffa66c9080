import type { directiveInForceOf, State } from '@lagesbild/shared';

// What the wall shows of joint directives, derived from the picture by pure functions: how
// many priorities fit, and which incidents just got a new version. The version in force
// itself is the shared `directiveInForceOf`, so every surface shows the same one.

/** Lines the priorities may take on the wall, in large type. */
export const PRIORITY_LINES = 4;

/** A directive with the version of it that is in force (shared `directiveInForceOf`). */
export type DirectiveInForce = NonNullable<ReturnType<typeof directiveInForceOf>>;

/**
 * The priorities the wall lists, and how many more there are: all of them when they fit
 * the lines, else one line fewer and a count of the rest on the last.
 */
export function wallPriorities(
  priorities: readonly string[],
  lines = PRIORITY_LINES,
): { shown: string[]; more: number } {
  if (priorities.length <= lines) return { shown: [...priorities], more: 0 };
  const shown = priorities.slice(0, Math.max(0, lines - 1));
  return { shown, more: priorities.length - shown.length };
}

/**
 * How many versions of each directive the wall has seen. `baseline` is false until the
 * first picture arrives: what was decided before the wall started is not news.
 */
export type DirectiveWatch = { baseline: boolean; versions: ReadonlyMap<string, number> };

export const initialDirectiveWatch = (): DirectiveWatch => ({ baseline: false, versions: new Map() });

/**
 * Compares the picture with what the wall has seen and returns the incidents that got a
 * newly decided version, in log order, so the wall can put the new direction on screen.
 * `hasData` is false while the picture is being replaced (a new log epoch): that emptiness
 * must neither announce nor forget anything.
 */
export function watchDirectives(
  watch: DirectiveWatch,
  state: Pick<State, 'directives'>,
  hasData: boolean,
): { watch: DirectiveWatch; decided: string[] } {
  if (!hasData) return { watch, decided: [] };
  const versions = new Map<string, number>();
  const fresh: { seq: number; incidentId: string }[] = [];
  for (const directive of Object.values(state.directives)) {
    versions.set(directive.id, directive.versions.length);
    const latest = directive.versions.at(-1);
    if (!watch.baseline || latest === undefined) continue;
    if (directive.versions.length > (watch.versions.get(directive.id) ?? 0))
      fresh.push({ seq: latest.seq, incidentId: directive.incidentId });
  }
  fresh.sort((a, b) => a.seq - b.seq);
  const decided = [...new Set(fresh.map((f) => f.incidentId))];
  return { watch: { baseline: true, versions }, decided };
}
