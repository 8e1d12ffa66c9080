import type { DeviceInfo } from '@lagesbild/shared';
import { buildIncident, buildState, stockholmRegion } from '@lagesbild/shared/test-factories';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RealtimeOptions } from '../realtime';
import { buildSessionInfo, jsonResponse } from '../test/fixtures';

vi.mock('../realtime', () => ({ startRealtime: vi.fn(), stopRealtime: vi.fn(), resumeRealtime: vi.fn() }));
vi.mock('../session-flow', () => ({ reloadForNewVersion: vi.fn() }));

const deviceInfo: DeviceInfo = {
  device: { id: 'device-1', name: 'Ledningsrummet', views: ['wall'] },
  csrfToken: 'device-csrf',
  region: stockholmRegion(),
  tiles: { url: '', attribution: '' },
};
const refused = (status: number, code: string) =>
  jsonResponse(status, { ok: false, error: { code, message: code } });
const ok = (data: unknown) => jsonResponse(200, { ok: true, data });

type Route = (init?: RequestInit) => Response | Promise<Response>;

/** A stand-in hub answering by method and path; unknown paths fail the test loudly. */
function hub(routes: Record<string, Route>) {
  const calls: string[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const key = `${init?.method ?? 'GET'} ${String(input)}`;
    calls.push(key);
    const route = routes[key];
    if (!route) throw new Error(`unexpected ${key}`);
    return route(init);
  });
  vi.stubGlobal('fetch', fetchMock);
  return calls;
}

async function load() {
  const flow = await import('./wall-flow');
  const { useWall } = await import('./wall-store');
  const realtime = await import('../realtime');
  const { usePicture } = await import('../stores/picture');
  return { flow, useWall, realtime, usePicture };
}

const lastOptions = async (): Promise<RealtimeOptions> => {
  const { startRealtime } = await import('../realtime');
  const options = vi.mocked(startRealtime).mock.lastCall?.[0];
  if (!options) throw new Error('the link was not started');
  return options;
};

describe('the wall flow', () => {
  beforeEach(() => {
    vi.resetModules();
    vi.clearAllMocks();
    window.history.replaceState(null, '', '/wall');
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('pairs with the code of the link, forgets the code, and starts the link as the device', async () => {
    const calls = hub({
      'POST /api/devices/pair': (init) => {
        expect(JSON.parse(String(init?.body))).toEqual({ code: 'ABCD-2345' });
        return ok(deviceInfo);
      },
      'GET /api/device': () => ok(deviceInfo),
    });
    window.history.replaceState(null, '', '/wall?pair=ABCD-2345');
    const { flow, useWall, realtime } = await load();

    await flow.startWall();

    expect(window.location.search).toBe('');
    expect(calls).toEqual(['POST /api/devices/pair', 'GET /api/device']);
    expect(useWall.getState()).toMatchObject({
      status: 'ready',
      display: { identity: { kind: 'device', name: 'Ledningsrummet' } },
    });
    expect(realtime.startRealtime).toHaveBeenCalledTimes(1);
  });

  it('shows the pairing form with the reason when the code is refused', async () => {
    hub({ 'POST /api/devices/pair': () => refused(401, 'unauthenticated') });
    window.history.replaceState(null, '', '/wall?pair=WRONG123');
    const { flow, useWall, realtime } = await load();

    await flow.startWall();

    expect(useWall.getState()).toMatchObject({ status: 'unpaired', unpairedReason: 'codeRefused' });
    expect(realtime.startRealtime).not.toHaveBeenCalled();
  });

  it('renews an expired device session with the device cookie', async () => {
    const calls = hub({
      'GET /api/device': () => refused(401, 'unauthenticated'),
      'POST /api/devices/session': () => ok(deviceInfo),
    });
    const { flow, useWall } = await load();
    await flow.startWall();
    expect(calls).toEqual(['GET /api/device', 'POST /api/devices/session']);
    expect(useWall.getState().status).toBe('ready');
  });

  it('lets a signed-in person use the wall, and asks for pairing when nobody is known', async () => {
    hub({
      'GET /api/device': () => refused(401, 'unauthenticated'),
      'POST /api/devices/session': () => refused(401, 'unauthenticated'),
      'GET /api/session': () => ok(buildSessionInfo()),
    });
    let { flow, useWall } = await load();
    await flow.startWall();
    expect(useWall.getState().display?.identity).toEqual({ kind: 'user', name: 'Nils Nord' });

    vi.resetModules();
    hub({
      'GET /api/device': () => refused(401, 'unauthenticated'),
      'POST /api/devices/session': () => refused(401, 'unauthenticated'),
      'GET /api/session': () => ok({ signedIn: false }),
    });
    ({ flow, useWall } = await load());
    await flow.startWall();
    expect(useWall.getState()).toMatchObject({ status: 'unpaired', unpairedReason: null });
  });

  it('keeps trying by itself while the hub cannot be reached', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let up = false;
    hub({
      'GET /api/device': () => {
        if (!up) throw new TypeError('Failed to fetch');
        return ok(deviceInfo);
      },
    });
    const { flow, useWall } = await load();
    await flow.startWall();
    expect(useWall.getState().status).toBe('unreachable');

    up = true;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(useWall.getState().status).toBe('ready');
  });

  it('drops the picture and shows the pairing form when the device is revoked', async () => {
    let revoked = false;
    hub({
      'GET /api/device': () => (revoked ? refused(401, 'unauthenticated') : ok(deviceInfo)),
      'POST /api/devices/session': () => refused(401, 'unauthenticated'),
      'GET /api/session': () => ok({ signedIn: false }),
    });
    const { flow, useWall, usePicture, realtime } = await load();
    await flow.startWall();
    usePicture
      .getState()
      .replaceWithSnapshot({ epoch: 'e', seq: 3, state: buildState({ incidents: [buildIncident()] }) });

    revoked = true;
    (await lastOptions()).onServerDisconnect();
    await vi.waitFor(() => expect(useWall.getState().status).toBe('unpaired'));

    expect(useWall.getState().unpairedReason).toBe('revoked');
    expect(usePicture.getState().lastSeq).toBe(0);
    expect(realtime.stopRealtime).toHaveBeenCalled();
  });

  it('keeps the picture and reopens the link after renewing a session the hub refused', async () => {
    let expired = false;
    hub({
      'GET /api/device': () => (expired ? refused(401, 'unauthenticated') : ok(deviceInfo)),
      'POST /api/devices/session': () => ok(deviceInfo),
    });
    const { flow, useWall, usePicture, realtime } = await load();
    await flow.startWall();
    usePicture.getState().replaceWithSnapshot({ epoch: 'e', seq: 3, state: buildState() });

    expired = true;
    (await lastOptions()).onUnauthenticated();
    await vi.waitFor(() => expect(realtime.startRealtime).toHaveBeenCalledTimes(2));

    expect(useWall.getState().status).toBe('ready');
    expect(usePicture.getState().lastSeq).toBe(3);
  });

  it('loads the new client when the hub speaks another protocol version', async () => {
    // The fallback reload, minutes later, is not for this test.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    hub({ 'GET /api/device': () => ok(deviceInfo) });
    const { flow } = await load();
    await flow.startWall();
    const { reloadForNewVersion } = await import('../session-flow');

    (await lastOptions()).onProtocolMismatch();

    expect(reloadForNewVersion).toHaveBeenCalledTimes(1);
  });
});
