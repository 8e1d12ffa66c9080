import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startRealtime } from '../realtime';
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
});
