import { buildLogEntryCommand, buildReportCommand } from '@lagesbild/shared/test-factories';
import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startRealtime } from '../realtime';
import { setLanguage } from '../i18n/i18n';
import type { OutboxItem } from '../outbox';
import { useOutbox } from '../stores/outbox';
import { useSession } from '../stores/session';
import { jsonResponse, buildSessionInfo } from '../test/fixtures';
import { setUpUiTests } from '../test/ui';
import { SignInPage } from './SignInPage';

// No socket in these tests: signing in must only ask for the link to be opened.
vi.mock('../realtime', () => ({ startRealtime: vi.fn(), stopRealtime: vi.fn(), resumeRealtime: vi.fn() }));

setUpUiTests();

describe('SignInPage', () => {
  const fetchMock = vi.fn<typeof fetch>();
  /** Answers the page's look-up of sign-in methods, and `/api/session` with `session()`. */
  const answer = (session: () => Response | Promise<Response>, oidc = false) =>
    fetchMock.mockImplementation(async (input) =>
      String(input) === '/api/auth/methods'
        ? jsonResponse(200, { ok: true, data: { password: true, oidc } })
        : session(),
    );
  const sessionCalls = () => fetchMock.mock.calls.filter(([url]) => String(url) === '/api/session');
  beforeEach(() => {
    fetchMock.mockReset();
    answer(() =>
      jsonResponse(401, { ok: false, error: { code: 'unauthenticated', message: 'Sign in first' } }),
    );
    vi.stubGlobal('fetch', fetchMock);
    useSession.getState().setSignedOut();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.mocked(startRealtime).mockClear();
  });

  it("shows the hub's refusal in Swedish words only, and keeps the form usable", async () => {
    answer(() =>
      jsonResponse(401, {
        ok: false,
        error: { code: 'unauthenticated', message: 'Wrong username or password' },
      }),
    );
    const user = userEvent.setup();
    render(<SignInPage />);

    await user.type(screen.getByLabelText('Användarnamn'), 'nacka.tib');
    await user.type(screen.getByLabelText('Lösenord'), 'not-the-password');
    await user.keyboard('{Enter}');

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Fel användarnamn eller lösenord');
    // The hub explains in English for logs and API users; the Swedish page must not show it.
    expect(alert.textContent).not.toMatch(/wrong|username|password/i);
    expect(screen.getByRole('button', { name: 'Logga in' })).toHaveProperty('disabled', false);
    expect(screen.getByLabelText('Användarnamn').getAttribute('aria-invalid')).toBe('true');
    expect(useSession.getState().status).toBe('signedOut');
    expect(startRealtime).not.toHaveBeenCalled();

    const [url, init] = sessionCalls()[0] ?? [];
    expect(url).toBe('/api/session');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(String(init?.body))).toEqual({ username: 'nacka.tib', password: 'not-the-password' });
  });

  it('asks for both fields without calling the hub', async () => {
    const user = userEvent.setup();
    render(<SignInPage />);

    await user.click(screen.getByRole('button', { name: 'Logga in' }));

    expect((await screen.findByRole('alert')).textContent).toContain('Fyll i användarnamn och lösenord.');
    expect(sessionCalls()).toHaveLength(0);
  });

  it('says the hub cannot be reached when the network fails', async () => {
    answer(() => Promise.reject(new TypeError('Failed to fetch')));
    const user = userEvent.setup();
    render(<SignInPage />);

    await user.type(screen.getByLabelText('Användarnamn'), 'nacka.tib');
    await user.type(screen.getByLabelText('Lösenord'), 'secret{Enter}');

    expect((await screen.findByRole('alert')).textContent).toBe('Ingen anslutning till servern.');
  });

  it('signs in, remembers the session and opens the realtime link', async () => {
    const session = buildSessionInfo();
    answer(() => jsonResponse(200, { ok: true, data: session }));
    const user = userEvent.setup();
    render(<SignInPage />);

    await user.type(screen.getByLabelText('Användarnamn'), 'nacka.tib');
    await user.type(screen.getByLabelText('Lösenord'), 'lagesbild-demo{Enter}');

    await vi.waitFor(() => expect(useSession.getState().status).toBe('signedIn'));
    expect(useSession.getState().session?.user.name).toBe('Nils Nord');
    expect(startRealtime).toHaveBeenCalledOnce();
  });

  it("offers the organisation's sign-in when the hub has one, and explains its refusal", async () => {
    window.history.replaceState(null, '', '/?signin_error=unknown_actor');
    answer(() => jsonResponse(401, { ok: false, error: { code: 'unauthenticated', message: 'x' } }), true);
    render(<SignInPage />);

    const link = await screen.findByRole('link', { name: 'Logga in med organisationens inloggning' });
    expect(link.getAttribute('href')).toBe('/api/oidc/login');
    expect(screen.getByRole('alert').textContent).toContain('Din aktör finns inte i regionen');
    window.history.replaceState(null, '', '/');
  });

  describe('after a session ran out with commands in the outbox', () => {
    const queued = (command: OutboxItem['command'], overrides: Partial<OutboxItem> = {}): OutboxItem => ({
      id: command.id,
      userId: 'user-nacka-tib',
      command,
      status: 'queued',
      order: 1,
      createdAt: 0,
      updatedAt: 0,
      attempts: 1,
      seq: null,
      error: { code: 'unauthenticated', message: 'Sign in first', fromHub: true },
      unconfirmed: false,
      ...overrides,
    });

    it('says how many changes wait and that they go once the person has signed in', async () => {
      useOutbox
        .getState()
        .replaceAll([
          queued(buildLogEntryCommand()),
          queued(buildReportCommand(), { order: 2 }),
          queued(buildLogEntryCommand(), { order: 3, status: 'sent', error: null }),
        ]);
      useSession.getState().setSignedOut('expired');
      render(<SignInPage />);
      expect(screen.getByText('Din inloggning har gått ut. Logga in igen.')).toBeTruthy();
      expect(screen.getByTestId('pending-notice').textContent).toBe(
        '2 ändringar väntar i utkorgen och skickas när du har loggat in.',
      );
      // The page's look-up of sign-in methods settles before the test ends.
      await vi.waitFor(() => expect(fetchMock).toHaveBeenCalled());
    });

    it('says it in English too', async () => {
      setLanguage('en');
      useOutbox.getState().replaceAll([queued(buildLogEntryCommand())]);
      render(<SignInPage />);
      expect(screen.getByTestId('pending-notice').textContent).toBe(
        '1 change is waiting in the outbox and is sent once you have signed in.',
      );
      await vi.waitFor(() => expect(fetchMock).toHaveBeenCalled());
    });

    it('says nothing of the outbox when nothing waits', async () => {
      useOutbox.getState().replaceAll([queued(buildLogEntryCommand(), { status: 'sent', error: null })]);
      render(<SignInPage />);
      expect(screen.queryByTestId('pending-notice')).toBeNull();
      await vi.waitFor(() => expect(fetchMock).toHaveBeenCalled());
    });
  });
});
