import { create } from 'zustand';

/** The views of one incident, in tab order. */
export const INCIDENT_TABS = [
  'picture',
  'acknowledgements',
  'reports',
  'newReport',
  'log',
  'conference',
  'directive',
  'message',
] as const;
export type IncidentTab = (typeof INCIDENT_TABS)[number];

/** The dialog on top of the dashboard, if any. */
export type DialogState =
  | { kind: 'request' }
  | { kind: 'activate'; requestId: string | null }
  | { kind: 'close'; incidentId: string };

type ViewStore = {
  /** The incident the operator looks at; null shows the overview. */
  incidentId: string | null;
  tab: IncidentTab;
  outboxOpen: boolean;
  dialog: DialogState | null;
  /** Bumped when a draft is replaced from outside a form (editing a refused command). */
  draftEpoch: number;
  /** The outbox item of the user's latest command, whose fate the page shows. */
  lastSubmitted: string | null;
  /** Activation banners closed by the user (only those not asking for an acknowledgement). */
  dismissedBanners: readonly string[];
  openIncident: (incidentId: string | null, tab?: IncidentTab) => void;
  setTab: (tab: IncidentTab) => void;
  setOutboxOpen: (open: boolean) => void;
  openDialog: (dialog: DialogState | null) => void;
  bumpDraftEpoch: () => void;
  setLastSubmitted: (itemId: string | null) => void;
  dismissBanner: (incidentId: string) => void;
  reset: () => void;
};

const initial = {
  incidentId: null,
  tab: 'picture' as IncidentTab,
  outboxOpen: false,
  dialog: null,
  draftEpoch: 0,
  lastSubmitted: null,
  dismissedBanners: [],
};

/** What the dashboard shows. Plain UI state: setters only set. */
export const useView = create<ViewStore>()((set) => ({
  ...initial,
  openIncident: (incidentId, tab) => set((s) => ({ incidentId, tab: tab ?? s.tab })),
  setTab: (tab) => set({ tab }),
  setOutboxOpen: (outboxOpen) => set({ outboxOpen }),
  openDialog: (dialog) => set({ dialog }),
  bumpDraftEpoch: () => set((s) => ({ draftEpoch: s.draftEpoch + 1 })),
  setLastSubmitted: (lastSubmitted) => set({ lastSubmitted }),
  dismissBanner: (incidentId) => set((s) => ({ dismissedBanners: [...s.dismissedBanners, incidentId] })),
  reset: () => set(initial),
}));
