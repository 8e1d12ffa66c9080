import { useState } from 'react';

// Whether this room wants a sound on a new activation. Stored on the display itself (not
// in an account: a wall has none), and off until someone in the room turns it on.

const SOUND_KEY = 'lagesbild.wall.sound';

/** Whether the room turned the activation sound on. */
export function wallSoundEnabled(): boolean {
  try {
    return globalThis.localStorage?.getItem(SOUND_KEY) === 'on';
  } catch {
    return false;
  }
}

function storeWallSound(enabled: boolean): void {
  try {
    globalThis.localStorage?.setItem(SOUND_KEY, enabled ? 'on' : 'off');
  } catch {
    // Storage blocked: the choice holds until the page reloads.
  }
}

/** The toggle's state and setter, persisted on the device. */
export function useWallSound(): [boolean, (enabled: boolean) => void] {
  const [enabled, setEnabled] = useState(wallSoundEnabled);
  const set = (next: boolean) => {
    storeWallSound(next);
    setEnabled(next);
  };
  return [enabled, set];
}
