import { usePreferences } from './stores/preferences';

const SOUND_KEY = 'lagesbild.sound';

/** Reads the saved preferences into the store; sound is on unless the user turned it off. */
export function loadPreferences(): void {
  let sound: string | null = null;
  try {
    sound = globalThis.localStorage?.getItem(SOUND_KEY) ?? null;
  } catch {
    // Storage blocked: the defaults hold.
  }
  usePreferences.getState().setSoundEnabled(sound !== 'off');
}

/** Turns the activation sound on or off, and remembers it. */
export function setSoundEnabled(enabled: boolean): void {
  usePreferences.getState().setSoundEnabled(enabled);
  try {
    globalThis.localStorage?.setItem(SOUND_KEY, enabled ? 'on' : 'off');
  } catch {
    // Remembered for this visit only.
  }
}
