import type { Viewer } from '@lagesbild/shared';
import { create } from 'zustand';

/**
 * `connecting` before the first connection; `online` once the hub has said hello;
 * `reconnecting` while socket.io retries after a loss; `offline` when the browser has
 * no network or we stopped trying (signed out, refused).
 */
export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'offline';

/** A problem worth showing or logging, with the code the UI translates. */
export type ConnectionProblem = { code: string; message: string };

type ConnectionStore = {
  status: ConnectionStatus;
  /** When (client clock, ms) the last event or snapshot arrived; null before any. */
  lastEventAt: number | null;
  hubId: string | null;
  viewer: Viewer | null;
  /** The hub's head when it said hello: the picture is caught up once it reaches this. */
  helloHeadSeq: number | null;
  lastProblem: ConnectionProblem | null;
  /** Messages the hub sent that did not parse; should stay 0. */
  invalidMessages: number;
  /** False while the hub says it cannot store commands (its log is unreachable). */
  canStore: boolean;
  /**
   * When (ISO, the log's clock) the hub last heard from its log, while it says its picture
   * may be stale (cut off from the log: other hubs' events may not be arriving); else null.
   */
  staleSince: string | null;
  setStatus: (status: ConnectionStatus) => void;
  setHello: (hello: { hubId: string; viewer: Viewer; headSeq?: number }) => void;
  markEventReceived: (at: number) => void;
  setProblem: (problem: ConnectionProblem | null) => void;
  countInvalidMessage: (problem: ConnectionProblem) => void;
  setCanStore: (canStore: boolean) => void;
  setStaleSince: (since: string | null) => void;
  reset: () => void;
};

const initial = {
  status: 'connecting' as ConnectionStatus,
  lastEventAt: null,
  hubId: null,
  viewer: null,
  helloHeadSeq: null,
  lastProblem: null,
  invalidMessages: 0,
  canStore: true,
  staleSince: null,
};

/** The realtime link's health, as the header shows it. Fed only by the realtime module. */
export const useConnection = create<ConnectionStore>()((set) => ({
  ...initial,
  setStatus: (status) => set({ status }),
  // A hub that cannot store, or is cut off from its log, says so right after its hello;
  // until then, assume all is well.
  setHello: ({ hubId, viewer, headSeq }) =>
    set({
      status: 'online',
      hubId,
      viewer,
      helloHeadSeq: headSeq ?? null,
      lastProblem: null,
      canStore: true,
      staleSince: null,
    }),
  markEventReceived: (at) => set({ lastEventAt: at }),
  setProblem: (lastProblem) => set({ lastProblem }),
  countInvalidMessage: (problem) =>
    set((s) => ({ invalidMessages: s.invalidMessages + 1, lastProblem: problem })),
  setCanStore: (canStore) => set({ canStore }),
  setStaleSince: (staleSince) => set({ staleSince }),
  reset: () => set(initial),
}));
