import type { DeviceInfo } from '@lagesbild/shared';
import type { ClientError, ClientResult } from '../api/client-result';
import { resumeRealtime, startRealtime, stopRealtime } from '../realtime';
import { reloadForNewVersion } from '../session-flow';
import { useConnection } from '../stores/connection';
import { usePicture } from '../stores/picture';
import { getDevice, getUserSession, postPairing, renewDeviceSession } from './wall-api';
import { useWall, type UnpairedReason, type WallDisplay } from './wall-store';

// The wall's way in: a paired device's cookie (or, on an operator's own big screen, a
// person's session), then the same realtime link and stores as every other page. Nobody
// stands by a wall display, so every failure here is retried by itself.

const RETRY_BASE_MS = 2_000;
const RETRY_MAX_MS = 60_000;
/**
 * After a guarded reload for a new version (the reload brought back the old bundle), try
 * again this much later: a wall must not stay stuck on an outdated page until someone comes.
 */
export const VERSION_RELOAD_RETRY_MS = 5 * 60_000;

let attempts = 0;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let versionTimer: ReturnType<typeof setTimeout> | undefined;
let watchingConnection = false;
/** Whether the realtime link is open (or retrying by itself); false after it gave up. */
let linkOpen = false;

/** The answers that mean "the hub does not know this display", as opposed to "ask later". */
const notKnown = (error: ClientError): boolean =>
  error.fromHub &&
  (error.code === 'unauthenticated' || error.code === 'forbidden' || error.code === 'not_found');

type Identified = { kind: 'known'; display: WallDisplay } | { kind: 'unknown' } | { kind: 'unreachable' };

const deviceDisplay = ({ device, region, tiles }: DeviceInfo): WallDisplay => ({
  identity: { kind: 'device', name: device.name },
  region,
  tiles,
});

async function identify(): Promise<Identified> {
  const device = await getDevice();
  if (device.ok) return { kind: 'known', display: deviceDisplay(device.data) };
  if (!notKnown(device.error)) return { kind: 'unreachable' };
  // A paired display whose session expired renews it with its own device cookie.
  const renewed = await renewDeviceSession();
  if (renewed.ok) return { kind: 'known', display: deviceDisplay(renewed.data) };
  if (!notKnown(renewed.error)) return { kind: 'unreachable' };
  // No device cookie: an operator may have opened /wall on a screen they are signed in on.
  const user = await getUserSession();
  if (user.ok) {
    const { user: person, region, tiles } = user.data;
    return { kind: 'known', display: { identity: { kind: 'user', name: person.name }, region, tiles } };
  }
  return notKnown(user.error) ? { kind: 'unknown' } : { kind: 'unreachable' };
}

/**
 * Starts the wall: pairs first when the page was opened with `?pair=<code>`, then asks the
 * hub who this display is and opens the realtime link. Called once, when the page loads.
 */
export async function startWall(location: Location = window.location): Promise<void> {
  watchConnection();
  const code = new URLSearchParams(location.search).get('pair');
  if (code !== null) {
    // A pairing code works once: a reload of the same address must not try it again.
    window.history.replaceState(null, '', location.pathname);
    await pairWall(code);
    return;
  }
  await connectWall();
}

/** Trades a pairing code for the device cookie and starts the wall; the form shows errors. */
export async function pairWall(code: string): Promise<ClientResult<unknown>> {
  useWall.getState().setLoading();
  const result = await postPairing(code);
  if (!result.ok) {
    useWall.getState().setUnpaired('codeRefused', result.error);
    return result;
  }
  await connectWall();
  return result;
}

async function connectWall(): Promise<void> {
  clearTimeout(retryTimer);
  const found = await identify();
  switch (found.kind) {
    case 'known':
      attempts = 0;
      return enterWall(found.display);
    case 'unknown':
      attempts = 0;
      // Known a moment ago and not now: an administrator revoked it.
      return leaveWall(useWall.getState().status === 'ready' ? 'revoked' : null);
    case 'unreachable': {
      // Keep showing the last picture, if there is one: its age is on the screen.
      if (useWall.getState().status !== 'ready') useWall.getState().setUnreachable();
      const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** attempts++);
      retryTimer = setTimeout(() => void connectWall(), delay * (0.5 + Math.random()));
    }
  }
}

function enterWall(display: WallDisplay): void {
  const wasShowing = useWall.getState().status === 'ready';
  useWall.getState().setReady(display);
  if (linkOpen) {
    // The hub closed the link and still knows us: carry on from where the picture is.
    resumeRealtime();
    return;
  }
  // After a renewed session the picture stays, and the link continues from its position.
  if (!wasShowing) {
    usePicture.getState().reset();
    useConnection.getState().reset();
  }
  linkOpen = true;
  startRealtime({
    // An expired session (renewed by `connectWall`) or a revoked device.
    onUnauthenticated: () => {
      linkOpen = false;
      void connectWall();
    },
    onProtocolMismatch: () => {
      linkOpen = false;
      reloadWallForNewVersion();
    },
    // A revoked device is disconnected by the hub: ask who we are before reconnecting.
    onServerDisconnect: () => void connectWall(),
  });
}

/** A display the hub no longer knows shows nothing of the picture, only the pairing form. */
function leaveWall(reason: UnpairedReason): void {
  linkOpen = false;
  stopRealtime();
  usePicture.getState().reset();
  useConnection.getState().reset();
  useWall.getState().setUnpaired(reason);
}

function reloadWallForNewVersion(): void {
  clearTimeout(versionTimer);
  versionTimer = setTimeout(() => window.location.reload(), VERSION_RELOAD_RETRY_MS);
  reloadForNewVersion();
}

// The stale-data warning needs to know when the link was lost, which the connection store
// does not keep; one subscription for the page's life records it.
function watchConnection(): void {
  if (watchingConnection) return;
  watchingConnection = true;
  useWall.getState().noteConnection(useConnection.getState().status, Date.now());
  useConnection.subscribe((state) => useWall.getState().noteConnection(state.status, Date.now()));
}
