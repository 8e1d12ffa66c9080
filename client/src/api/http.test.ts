import { SessionInfo } from '@lagesbild/shared';
import { buildReport } from '@lagesbild/shared/test-factories';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { useSession } from '../stores/session';
import { buildSessionInfo, jsonResponse } from '../test/fixtures';
import { apiRequest } from './http';

describe('apiRequest', () => {
  const fetchMock = vi.fn<typeof fetch>();
  beforeEach(() => {
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
    useSession.getState().setSignedIn(buildSessionInfo({ csrfToken: 'token-123' }));
  });
  afterEach(() => vi.unstubAllGlobals());

  const headersOf = (call = 0) => new Headers(fetchMock.mock.calls[call]?.[1]?.headers);

  it("sends the session's CSRF token on writes and not on reads", async () => {
    fetchMock.mockImplementation(async () => jsonResponse(200, { ok: true, data: { seq: 4 } }));

    await apiRequest('POST', '/api/commands', z.unknown(), { body: { id: 'x' } });
    await apiRequest('GET', '/api/state', z.unknown());

    expect(headersOf(0).get('x-csrf-token')).toBe('token-123');
    expect(headersOf(0).get('content-type')).toBe('application/json');
    expect(headersOf(1).get('x-csrf-token')).toBeNull();
  });

  it('returns the parsed data of a good answer', async () => {
    const session = buildSessionInfo();
    fetchMock.mockResolvedValue(jsonResponse(200, { ok: true, data: session }));
    expect(await apiRequest('GET', '/api/session', SessionInfo)).toEqual({ ok: true, data: session });
  });

  it("returns the hub's error code and message", async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(403, { ok: false, error: { code: 'forbidden', message: 'No' } }),
    );
    expect(await apiRequest('DELETE', '/api/session', z.unknown())).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'No', fromHub: true },
    });
  });

  it('keeps the current report of a stale refusal, so the person can compare it with theirs', async () => {
    const newer = buildReport({ assessment: 'Vattnet stiger' });
    fetchMock.mockResolvedValue(
      jsonResponse(409, {
        ok: false,
        error: { code: 'stale', message: 'A newer report exists', stale: { item: 'report', report: newer } },
      }),
    );
    expect(await apiRequest('POST', '/api/commands', z.unknown(), { body: {} })).toEqual({
      ok: false,
      error: {
        code: 'stale',
        message: 'A newer report exists',
        fromHub: true,
        stale: { item: 'report', report: newer },
      },
    });
  });

  it("reads a code this client does not know as internal, keeping the hub's message", async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(400, { ok: false, error: { code: 'brand_new_code', message: 'Something new' } }),
    );
    expect(await apiRequest('GET', '/api/state', z.unknown())).toEqual({
      ok: false,
      error: { code: 'internal', message: 'Something new', fromHub: true },
    });
  });

  it('refuses an answer that does not match the expected shape', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { ok: true, data: { user: 'nobody' } }));
    const result = await apiRequest('GET', '/api/session', SessionInfo);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal', fromHub: false } });
  });

  it('refuses an answer that is not JSON (a proxy error page, say)', async () => {
    fetchMock.mockResolvedValue(new Response('<h1>Bad gateway</h1>', { status: 502 }));
    const result = await apiRequest('GET', '/api/session', SessionInfo);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('reports offline when the request never reaches the hub', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    const result = await apiRequest('GET', '/api/session', SessionInfo);
    expect(result).toMatchObject({ ok: false, error: { code: 'offline', fromHub: false } });
  });
});
