import type { RegionConfig } from '@lagesbild/shared';
import { create } from 'zustand';
import type { ClientError } from '../api/client-result';
import type { ConnectionStatus } from '../stores/connection';
import { nextLinkHistory, type LinkHistory } from './staleness';

/** Who the wall is to the hub: a paired device, or a person's session on a big screen. */
export type WallIdentity = { kind: 'device'; name: string } | { kind: 'user'; name: string };

/** What the wall needs to draw the region. */
export type WallDisplay = {
  identity: WallIdentity;
  region: RegionConfig;
  tiles: { url: string; attribution: string };
};

/**
 * `loading` until the hub has said who we are; `unpaired` when it does not know this
 * display (never paired, or revoked); `unreachable` while the hub cannot be asked.
 */
export type WallStatus = 'loading' | 'ready' | 'unpaired' | 'unreachable';

/** Why the pairing screen shows, when it is not the first start. */
export type UnpairedReason = 'revoked' | 'codeRefused' | null;

type WallStore = {
  status: WallStatus;
  display: WallDisplay | null;
  unpairedReason: UnpairedReason;
  pairError: ClientError | null;
  /** The link's history, for the stale-data warning (fed from the connection store). */
  link: LinkHistory;
  setReady: (display: WallDisplay) => void;
  setUnpaired: (reason: UnpairedReason, error?: ClientError | null) => void;
  setUnreachable: () => void;
  setLoading: () => void;
  noteConnection: (status: ConnectionStatus, now: number) => void;
};

/** The wall's own state; the picture itself is in the shared stores. Setters only set. */
export const useWall = create<WallStore>()((set) => ({
  status: 'loading',
  display: null,
  unpairedReason: null,
  pairError: null,
  link: { status: 'connecting', lostAt: null, everSynced: false },
  setReady: (display) => set({ status: 'ready', display, unpairedReason: null, pairError: null }),
  setUnpaired: (unpairedReason, pairError = null) =>
    set({ status: 'unpaired', display: null, unpairedReason, pairError }),
  setUnreachable: () => set({ status: 'unreachable' }),
  setLoading: () => set({ status: 'loading' }),
  noteConnection: (status, now) =>
    set((s) => (s.link.status === status ? s : { link: nextLinkHistory(s.link, status, now) })),
}));
