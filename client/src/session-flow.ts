import type { SessionInfo } from '@lagesbild/shared';
import type { ClientResult } from './api/client-result';
import { deleteSession, getSession, postSession } from './api/session-api';
import { startOutbox, stopOutbox } from './outbox';
import { resumeRealtime, startRealtime, stopRealtime } from './realtime';
import { useConnection } from './stores/connection';
import { usePicture } from './stores/picture';
import { useSession, type SignedOutReason } from './stores/session';

// The steps between signing in and out: HTTP calls, store updates and the realtime link,
// in the order that keeps one user's picture from ever showing under another's name.

const RESTORE_RETRY_BASE_MS = 2_000;
const RESTORE_RETRY_MAX_MS = 60_000;
let restoreAttempts = 0;
let restoreTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * On page load: continue the session the cookie holds, or show the sign-in page. When the
 * hub cannot be reached it tries again by itself, with backoff and jitter: a wall display
 * that starts before the hub after a power cut must come up without anyone touching it.
 */
export async function restoreSession(): Promise<void> {
  clearTimeout(restoreTimer);
  const result = await getSession();
  if (result.ok) {
    restoreAttempts = 0;
    return enterSession(result.data);
  }
  if (result.error.code === 'unauthenticated') {
    restoreAttempts = 0;
    return useSession.getState().setSignedOut();
  }
  useSession.getState().setUnreachable();
  listenForNetwork();
  const delay = Math.min(RESTORE_RETRY_MAX_MS, RESTORE_RETRY_BASE_MS * 2 ** restoreAttempts++);
  restoreTimer = setTimeout(() => void restoreSession(), delay * (0.5 + Math.random()));
}

let listeningForNetwork = false;

// The browser knows before our backoff does when the network is back: try at once then.
function listenForNetwork(): void {
  if (listeningForNetwork || typeof window === 'undefined') return;
  listeningForNetwork = true;
  window.addEventListener('online', () => {
    if (useSession.getState().status === 'unreachable') void restoreSession();
  });
}

/** Signs in; the caller shows the error, if any. */
export async function signIn(username: string, password: string): Promise<ClientResult<SessionInfo>> {
  const result = await postSession({ username, password });
  if (result.ok) enterSession(result.data);
  return result;
}

/** Signs out on the hub, and here whatever the hub answers. */
export async function signOut(): Promise<void> {
  stopOutbox();
  stopRealtime();
  await deleteSession();
  leaveSession(null);
}

function enterSession(session: SessionInfo): void {
  // Another user's projection must not linger: start from nothing for every session.
  usePicture.getState().reset();
  useConnection.getState().reset();
  useSession.getState().setSignedIn(session);
  startOutbox(session.user.id);
  startRealtime({
    onUnauthenticated: () => leaveSession('expired'),
    onProtocolMismatch: reloadForNewVersion,
    onServerDisconnect: () => void recheckSession(),
  });
}

function leaveSession(reason: SignedOutReason): void {
  stopOutbox();
  stopRealtime();
  usePicture.getState().reset();
  useConnection.getState().reset();
  useSession.getState().setSignedOut(reason);
}

// The hub closes our socket when the user signs out anywhere; it may also have other
// reasons. Only a refused session sends the user to the sign-in page.
async function recheckSession(): Promise<void> {
  const result = await getSession();
  if (!result.ok && result.error.code === 'unauthenticated') return leaveSession('expired');
  if (result.ok) useSession.getState().setSignedIn(result.data);
  resumeRealtime();
}

const RELOAD_KEY = 'lagesbild.reloadedForVersionAt';
const RELOAD_GUARD_MS = 60_000;

/**
 * Loads the new client after a protocol change. Guarded: if the reload brought back the
 * same old bundle (a stale cache), a loop of reloads would help nobody.
 */
export function reloadForNewVersion(): void {
  const now = Date.now();
  let last = 0;
  try {
    last = Number(sessionStorage.getItem(RELOAD_KEY) ?? 0);
    sessionStorage.setItem(RELOAD_KEY, String(now));
  } catch {
    // Without storage we cannot guard; reloading once is still right.
  }
  if (now - last < RELOAD_GUARD_MS) {
    useConnection.getState().setStatus('offline');
    useConnection
      .getState()
      .setProblem({ code: 'protocol_mismatch', message: 'Client and hub versions differ' });
    return;
  }
  window.location.reload();
}
