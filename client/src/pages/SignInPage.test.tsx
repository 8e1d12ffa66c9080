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
  beforeEach(() => {
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
    useSession.getState().setSignedOut();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.mocked(startRealtime).mockClear();
  });

  it("shows the hub's refusal in words, and keeps the form usable", async () => {
    fetchMock.mockResolvedValue(
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
    expect(alert.textContent).toContain('Wrong username or password');
    expect(alert.textContent).toContain('Inloggningen godtogs inte.');
    expect(screen.getByRole('button', { name: 'Logga in' })).toHaveProperty('disabled', false);
    expect(screen.getByLabelText('Användarnamn').getAttribute('aria-invalid')).toBe('true');
    expect(useSession.getState().status).toBe('signedOut');
    expect(startRealtime).not.toHaveBeenCalled();

    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe('/api/session');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(String(init?.body))).toEqual({ username: 'nacka.tib', password: 'not-the-password' });
  });

  it('asks for both fields without calling the hub', async () => {
    const user = userEvent.setup();
    render(<SignInPage />);

    await user.click(screen.getByRole('button', { name: 'Logga in' }));

    expect((await screen.findByRole('alert')).textContent).toContain('Fyll i användarnamn och lösenord.');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('says the hub cannot be reached when the network fails', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    const user = userEvent.setup();
    render(<SignInPage />);

    await user.type(screen.getByLabelText('Användarnamn'), 'nacka.tib');
    await user.type(screen.getByLabelText('Lösenord'), 'secret{Enter}');

    expect((await screen.findByRole('alert')).textContent).toBe('Ingen anslutning till servern.');
  });

  it('signs in, remembers the session and opens the realtime link', async () => {
    const session = buildSessionInfo();
    fetchMock.mockResolvedValue(jsonResponse(200, { ok: true, data: session }));
    const user = userEvent.setup();
    render(<SignInPage />);

    await user.type(screen.getByLabelText('Användarnamn'), 'nacka.tib');
    await user.type(screen.getByLabelText('Lösenord'), 'lagesbild-demo{Enter}');

    await vi.waitFor(() => expect(useSession.getState().status).toBe('signedIn'));
    expect(useSession.getState().session?.user.name).toBe('Nils Nord');
    expect(startRealtime).toHaveBeenCalledOnce();
  });
});
