import { create } from 'zustand';

type PreferencesStore = {
  soundEnabled: boolean;
  setSoundEnabled: (enabled: boolean) => void;
};

/** The user's choices for this browser. Persisted by `preferences.ts`, not by the setters. */
export const usePreferences = create<PreferencesStore>()((set) => ({
  soundEnabled: true,
  setSoundEnabled: (soundEnabled) => set({ soundEnabled }),
}));
