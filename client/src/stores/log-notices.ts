import { create } from 'zustand';

type LogNoticesStore = {
  /** Why the hub's log is lost, as the hub said it (`hub.status` lost); null otherwise. */
  lost: string | null;
  /** The picture was replaced because the hub's log is another than the one it came from. */
  reset: boolean;
  /**
   * How many times the picture has been reset: a wall that clears the notice by itself
   * counts its time again from a second reset, even while the first is still shown.
   */
  resets: number;
  setLost: (reason: string | null) => void;
  showReset: () => void;
  dismissReset: () => void;
};

/**
 * What the user must be told about the log behind the picture: that the hub lost it (its
 * picture must not be trusted), or that the picture was reset to another log's (a Redis
 * that lost its data, a restore): never a silent merge of two logs. Fed by the realtime
 * module; shown by the LogNotices banner.
 */
export const useLogNotices = create<LogNoticesStore>()((set) => ({
  lost: null,
  reset: false,
  resets: 0,
  setLost: (lost) => set({ lost }),
  showReset: () => set((s) => ({ reset: true, resets: s.resets + 1 })),
  dismissReset: () => set({ reset: false }),
}));
