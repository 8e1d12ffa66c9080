import type { SessionInfo } from '@lagesbild/shared';
import { can, decidesRequests } from './domain/rights';
import type { PageKind } from './page-kind';
import { usePreferences } from './stores/preferences';
import { useSession } from './stores/session';

const SOUND_KEY = 'lagesbild.sound';

/**
 * Whether signals should sound for this person when they have not chosen: on for those
 * who receive one (the duty officer, who acknowledges activations, and whoever decides on
 * requests for joint handling, such as Länsstyrelsen's coordinator), off for the rest,
 * whose laptops would otherwise beep in an open-plan office.
 */
export const soundDefaultFor = (session: SessionInfo | null): boolean =>
  session === null || can(session, 'activation.acknowledge') || decidesRequests(session);

/**
 * Reads the saved choice into the store. On the operator's app the default then follows
 * the signed-in person's functions; the phone keeps sound on unless turned off, because a
 * phone in a pocket is only noticed by its sound. Returns a function that stops following.
 */
export function loadPreferences(page: PageKind = 'app'): () => void {
  let saved: string | null = null;
  try {
    saved = globalThis.localStorage?.getItem(SOUND_KEY) ?? null;
  } catch {
    // Storage blocked: the defaults hold.
  }
  const preferences = usePreferences.getState();
  preferences.setSoundChoice(saved === 'on' ? true : saved === 'off' ? false : null);
  if (page !== 'app') return () => {};
  const follow = (session: SessionInfo | null) =>
    usePreferences.getState().setSoundDefault(soundDefaultFor(session));
  follow(useSession.getState().session);
  return useSession.subscribe((state, previous) => {
    if (state.session !== previous.session) follow(state.session);
  });
}

/** Turns the activation sound on or off as the person's own choice, and remembers it. */
export function setSoundEnabled(enabled: boolean): void {
  usePreferences.getState().setSoundChoice(enabled);
  try {
    globalThis.localStorage?.setItem(SOUND_KEY, enabled ? 'on' : 'off');
  } catch {
    // Remembered for this visit only.
  }
}
