import type { StoredEvent } from '@lagesbild/shared';
import {
  buildAcknowledgeCommand,
  buildActivateCommand,
  buildAttribution,
  buildRequestCommand,
  runCommands,
  testUuid,
} from '@lagesbild/shared/test-factories';
import { act, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { startRealtime, stopRealtime } from './realtime';
import { restoreSession } from './session-flow';
import { useConnection } from './stores/connection';
import { usePicture } from './stores/picture';
import { buildSessionInfo, jsonResponse } from './test/fixtures';
import { setUpUiTests } from './test/ui';

vi.mock('./realtime', () => ({ startRealtime: vi.fn(), stopRealtime: vi.fn(), resumeRealtime: vi.fn() }));

setUpUiTests();

/** The realtime link (mocked here) delivers its first snapshot. */
const firstPictureArrives = () => act(() => useConnection.getState().markEventReceived(Date.now()));

const nacka = buildAttribution({ userId: 'user-nacka-tib', userName: 'Nils Nord', actorId: 'nacka' });
const STORM = testUuid(1);
const LEAK = testUuid(2);

/**
 * A storm summoning three actors, acknowledged by the activating Länsstyrelsen and by Nacka,
 * and a pending request from Nacka.
 */
const history = (): StoredEvent[] =>
  runCommands([
    {
      command: buildActivateCommand({
        incidentId: STORM,
        title: 'Storm Ylva',
        summonedActorIds: ['lansstyrelsen', 'nacka', 'solna'],
      }),
    },
    { command: buildAcknowledgeCommand({ incidentId: STORM }), by: nacka },
    { command: buildRequestCommand({ incidentId: LEAK, title: 'Vattenläcka i Nacka' }), by: nacka },
  ]).events;

describe('App', () => {
  const fetchMock = vi.fn<typeof fetch>();
  beforeEach(() => {
    fetchMock.mockReset();
    // Anything a test does not answer itself (the sign-in page asks for the sign-in methods).
    fetchMock.mockImplementation(async () =>
      jsonResponse(401, { ok: false, error: { code: 'unauthenticated', message: 'Not signed in' } }),
    );
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.mocked(startRealtime).mockClear();
    vi.mocked(stopRealtime).mockClear();
  });

  it('shows the sign-in page when the cookie holds no session', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { ok: true, data: { signedIn: false } }));
    render(<App />);
    await act(() => restoreSession());

    expect(screen.getByRole('heading', { name: 'Logga in' })).toBeTruthy();
    expect(startRealtime).not.toHaveBeenCalled();
  });

  it('continues a session into the dashboard, listing incidents as events arrive', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { ok: true, data: buildSessionInfo() }));
    render(<App />);
    await act(() => restoreSession());
    firstPictureArrives();
    expect(startRealtime).toHaveBeenCalledOnce();
    expect(screen.getByText('Inga aktiva händelser.')).toBeTruthy();

    const events = history();
    act(() => void usePicture.getState().foldEvents({ epoch: 'e1', events, headSeq: events.length }));

    const active = screen.getByRole('region', { name: 'Aktiva händelser' });
    expect(within(active).getByText('Storm Ylva')).toBeTruthy();
    expect(within(active).getByText('Väder')).toBeTruthy();
    expect(within(active).getByText('Aktiverad')).toBeTruthy();
    expect(within(active).getByTestId('acks').textContent).toBe('2 av 3');
    const requested = screen.getByRole('region', { name: 'Begäran om samverkan' });
    expect(within(requested).getByText('Vattenläcka i Nacka')).toBeTruthy();
    expect(within(requested).getByText('Begärd')).toBeTruthy();
    // The log's sequence number is for administrators: beside "händelser" it reads as a count.
    expect(screen.queryByTestId('last-seq')).toBeNull();
    expect(document.body.textContent).not.toMatch(/händelsenummer/i);
  });

  it("shows an administrator the log's update number, not called an incident number", async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(200, { ok: true, data: buildSessionInfo({ functionIds: ['admin'] }) }),
    );
    render(<App />);
    await act(() => restoreSession());
    firstPictureArrives();

    const events = history();
    act(() => void usePicture.getState().foldEvents({ epoch: 'e1', events, headSeq: events.length }));

    expect(screen.getByTestId('last-seq').parentElement?.textContent).toBe(
      `Uppdatering nr: ${events.length}`,
    );
  });

  it('waits for the first picture before drawing the dashboard, so nothing jumps when it lands', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { ok: true, data: buildSessionInfo() }));
    render(<App />);
    await act(() => restoreSession());
    expect(screen.getByText('Laddar…')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Logga ut' })).toBeNull();

    firstPictureArrives();
    expect(screen.getByRole('button', { name: 'Logga ut' })).toBeTruthy();
  });

  it('draws the dashboard anyway when no picture comes within three seconds', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      fetchMock.mockResolvedValue(jsonResponse(200, { ok: true, data: buildSessionInfo() }));
      render(<App />);
      await act(() => restoreSession());
      expect(screen.queryByRole('button', { name: 'Logga ut' })).toBeNull();

      act(() => vi.advanceTimersByTime(3_000));
      expect(screen.getByRole('button', { name: 'Logga ut' })).toBeTruthy();
    } finally {
      vi.useRealTimers();
    }
  });

  it('signs out: tells the hub with the CSRF token, closes the link and forgets the picture', async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(200, { ok: true, data: buildSessionInfo({ csrfToken: 't-1' }) }),
    );
    render(<App />);
    await act(() => restoreSession());
    firstPictureArrives();
    const events = history();
    act(() => void usePicture.getState().foldEvents({ epoch: 'e1', events, headSeq: events.length }));

    fetchMock.mockResolvedValueOnce(jsonResponse(200, { ok: true, data: null }));
    await userEvent.setup().click(screen.getByRole('button', { name: 'Logga ut' }));

    await screen.findByRole('heading', { name: 'Logga in' });
    const [url, init] = fetchMock.mock.calls[1] ?? [];
    expect(url).toBe('/api/session');
    expect(init?.method).toBe('DELETE');
    expect(new Headers(init?.headers).get('x-csrf-token')).toBe('t-1');
    expect(stopRealtime).toHaveBeenCalled();
    expect(usePicture.getState().lastSeq).toBe(0);
  });

  it('says when the hub cannot be reached, and offers to try again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
      render(<App />);
      await act(() => restoreSession());

      expect(screen.getByRole('alert').textContent).toBe('Servern går inte att nå just nu.');
      expect(screen.getByRole('button', { name: 'Försök igen' })).toBeTruthy();

      // It also retries by itself, so an unattended wall display recovers.
      fetchMock.mockResolvedValue(jsonResponse(200, { ok: true, data: buildSessionInfo() }));
      await act(() => vi.runOnlyPendingTimersAsync());
      vi.useRealTimers();
      firstPictureArrives();
      expect(await screen.findByRole('button', { name: 'Logga ut' })).toBeTruthy();
    } finally {
      vi.useRealTimers();
    }
  });
});
