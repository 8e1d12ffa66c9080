import { create } from 'zustand';

type PreferencesStore = {
  /** Whether an activation sounds here: the person's own choice, else the default. */
  soundEnabled: boolean;
  /** What the person chose on this browser; null until they touch the switch. */
  soundChoice: boolean | null;
  /** What the person's functions suggest when they have not chosen. */
  soundDefault: boolean;
  setSoundChoice: (choice: boolean | null) => void;
  setSoundDefault: (soundDefault: boolean) => void;
};

/** The user's choices for this browser. Persisted by `preferences.ts`, not by the setters. */
export const usePreferences = create<PreferencesStore>()((set) => ({
  soundEnabled: true,
  soundChoice: null,
  soundDefault: true,
  setSoundChoice: (soundChoice) => set((s) => ({ soundChoice, soundEnabled: soundChoice ?? s.soundDefault })),
  setSoundDefault: (soundDefault) =>
    set((s) => ({ soundDefault, soundEnabled: s.soundChoice ?? soundDefault })),
}));
