import type { SessionInfo } from '@lagesbild/shared';
import { create } from 'zustand';

/**
 * `loading` until the first GET /api/session answers; `unreachable` when the hub did not
 * answer at all (distinct from signed out, so we do not show a sign-in form to someone
 * whose session is fine but whose network is not).
 */
export type SessionStatus = 'loading' | 'signedOut' | 'signedIn' | 'unreachable';

/** Why the sign-in page is shown, when it is not the first visit. */
export type SignedOutReason = 'expired' | null;

type SessionStore = {
  status: SessionStatus;
  session: SessionInfo | null;
  signedOutReason: SignedOutReason;
  setSignedIn: (session: SessionInfo) => void;
  setSignedOut: (reason?: SignedOutReason) => void;
  setUnreachable: () => void;
};

/** Who is signed in. Setters only set; the network calls live in `api/` and `session-flow`. */
export const useSession = create<SessionStore>()((set) => ({
  status: 'loading',
  session: null,
  signedOutReason: null,
  setSignedIn: (session) => set({ status: 'signedIn', session, signedOutReason: null }),
  setSignedOut: (reason = null) => set({ status: 'signedOut', session: null, signedOutReason: reason }),
  setUnreachable: () => set({ status: 'unreachable' }),
}));
