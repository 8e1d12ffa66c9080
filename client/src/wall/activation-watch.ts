import { activeIncidents, type Incident, type State } from '@lagesbild/shared';

/**
 * Which incidents in activated mode the wall has already shown to the room. `baseline`
 * is false until the first picture arrives: what is active when the wall starts is not
 * news, and must not fill the screen after every power cut.
 */
export type ActivationWatch = { baseline: boolean; seen: ReadonlySet<string> };

export const initialActivationWatch = (): ActivationWatch => ({ baseline: false, seen: new Set() });

/**
 * Compares the picture with what the wall has shown and returns the activations that are
 * news, oldest first. `hasData` is false while the picture is empty because it is being
 * replaced (a new log epoch): that emptiness must neither announce nor forget anything.
 * The remembered set holds only incidents still active, so it stays as small as the screen.
 */
export function watchActivations(
  watch: ActivationWatch,
  state: State,
  hasData: boolean,
): { watch: ActivationWatch; announced: Incident[] } {
  if (!hasData) return { watch, announced: [] };
  const active = activeIncidents(state);
  const seen = new Set(active.map((i) => i.id));
  if (!watch.baseline) return { watch: { baseline: true, seen }, announced: [] };
  const announced = active.filter((i) => !watch.seen.has(i.id));
  const unchanged = announced.length === 0 && seen.size === watch.seen.size;
  return { watch: unchanged ? watch : { baseline: true, seen }, announced };
}
