import { initialState, type State } from '@lagesbild/shared';
import { buildAttribution, buildIncident, buildState, TEST_NOW } from '@lagesbild/shared/test-factories';
import { act, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { setLanguage } from '../i18n/i18n';
import { useConnection } from '../stores/connection';
import { usePicture } from '../stores/picture';
import { useView } from '../stores/view';
import { buildSessionInfo } from '../test/fixtures';
import { setUpUiTests } from '../test/ui';
import { AppHeader } from './AppHeader';

vi.mock('../realtime', () => ({ startRealtime: vi.fn(), stopRealtime: vi.fn(), resumeRealtime: vi.fn() }));

setUpUiTests();

const showState = (state: State) => usePicture.getState().replaceWithSnapshot({ epoch: 'e', seq: 1, state });

const heightened: Partial<State['readiness']> = {
  heightened: true,
  level: 'heightened',
  scope: 'country',
  decisionRef: 'Fö2026/01234',
  decisionDate: '2026-03-01T12:00:00.000Z',
  note: 'Government decision',
  since: TEST_NOW,
  by: buildAttribution(),
};

/** The words of the readiness mark: its level, where it applies and the decision. */
const readinessMark = () => ({
  level: within(screen.getByTestId('readiness')).getByText(/BEREDSKAP|READINESS/).textContent,
  scope: screen.queryByTestId('readiness-scope')?.textContent ?? null,
  decision: screen.queryByTestId('readiness-decision')?.textContent ?? null,
});

describe('AppHeader', () => {
  it('shows ORDINARIE LÄGE when no incident is active', () => {
    showState(buildState({ incidents: [buildIncident({ status: 'requested' })] }));
    render(<AppHeader session={buildSessionInfo()} />);

    const mode = screen.getByTestId('mode');
    expect(mode.textContent).toBe('ORDINARIE LÄGE');
    expect(screen.queryByText('AKTIVERAT LÄGE')).toBeNull();
    expect(screen.queryByTestId('readiness')).toBeNull();
  });

  it('shows AKTIVERAT LÄGE and the count while an incident is active', () => {
    showState(buildState({ incidents: [buildIncident(), buildIncident({ status: 'closed' })] }));
    render(<AppHeader session={buildSessionInfo()} />);

    const mode = screen.getByTestId('mode');
    expect(within(mode).getByText('AKTIVERAT LÄGE')).toBeTruthy();
    expect(within(mode).getByText('1 aktiv händelse')).toBeTruthy();
    expect(screen.queryByText('ORDINARIE LÄGE')).toBeNull();
  });

  it('shows SKÄRPT BEREDSKAP beside the mode while heightened readiness is in force, for the whole country', () => {
    showState(buildState({ readiness: heightened }));
    render(<AppHeader session={buildSessionInfo()} />);

    expect(screen.getByTestId('mode').textContent).toBe('ORDINARIE LÄGE');
    expect(readinessMark()).toEqual({
      level: 'SKÄRPT BEREDSKAP',
      scope: 'Hela landet',
      decision: 'Regeringsbeslut Fö2026/01234, 2026-03-01',
    });
  });

  it('shows HÖGSTA BEREDSKAP with the parts of the country the decision names, in either language', () => {
    showState(
      buildState({
        readiness: { ...heightened, level: 'highest', scope: 'parts', parts: 'Stockholms och Uppsala län' },
      }),
    );
    render(<AppHeader session={buildSessionInfo()} />);
    expect(readinessMark()).toMatchObject({
      level: 'HÖGSTA BEREDSKAP',
      scope: 'Delar av landet: Stockholms och Uppsala län',
    });

    act(() => setLanguage('en'));
    expect(readinessMark()).toEqual({
      level: 'HIGHEST READINESS',
      scope: 'Parts of the country: Stockholms och Uppsala län',
      decision: 'Government decision Fö2026/01234, 01/03/2026',
    });
  });

  it('reads a readiness raised before levels existed as heightened, naming no scope it never recorded', () => {
    showState(buildState({ readiness: { heightened: true, since: TEST_NOW, by: buildAttribution() } }));
    render(<AppHeader session={buildSessionInfo()} />);
    expect(readinessMark()).toEqual({ level: 'SKÄRPT BEREDSKAP', scope: null, decision: null });
  });

  it('announces only the mode and the readiness level, not the incident buttons or the named parts', () => {
    showState(
      buildState({
        incidents: [buildIncident({ title: 'Storm Ylva' })],
        readiness: { ...heightened, scope: 'parts', parts: 'Stockholms och Uppsala län' },
      }),
    );
    render(<AppHeader session={buildSessionInfo()} />);
    const live = screen.getByRole('status', { name: 'Läge' });
    expect(live.textContent).toBe('AKTIVERAT LÄGE. SKÄRPT BEREDSKAP');
    expect(within(live).queryByRole('button')).toBeNull();
    expect(screen.getByRole('button', { name: 'Storm Ylva' }).closest('[role="status"]')).toBeNull();
    expect(screen.getByTestId('readiness-scope').closest('[role="status"]')).toBeNull();
  });

  it('changes the mode live when an activation event arrives', () => {
    showState(initialState());
    render(<AppHeader session={buildSessionInfo()} />);
    expect(screen.getByTestId('mode').textContent).toBe('ORDINARIE LÄGE');

    act(() => showState(buildState({ incidents: [buildIncident()], readiness: heightened })));

    expect(within(screen.getByTestId('mode')).getByText('AKTIVERAT LÄGE')).toBeTruthy();
    expect(readinessMark().level).toBe('SKÄRPT BEREDSKAP');

    act(() => showState(buildState({ incidents: [buildIncident()] })));
    expect(screen.queryByTestId('readiness')).toBeNull();
  });

  it('names the user, the actor and the functions, in the chosen language', () => {
    showState(initialState());
    render(<AppHeader session={buildSessionInfo({ functionIds: ['dutyOfficer', 'communicator'] })} />);

    expect(screen.getByText('Nils Nord')).toBeTruthy();
    expect(screen.getByText('Nacka kommun')).toBeTruthy();
    expect(screen.getByText('Tjänsteman i beredskap, Kommunikatör')).toBeTruthy();

    act(() => setLanguage('en'));
    expect(screen.getByText('Duty officer, Communicator')).toBeTruthy();
    expect(screen.getByTestId('mode').textContent).toBe('ORDINARY MODE');
  });

  it("names the user's level of the agreement next to the function", () => {
    showState(initialState());
    const { unmount } = render(<AppHeader session={buildSessionInfo()} />);
    expect(screen.getByTestId('session-level').textContent).toBe('Samordnande nivå');
    unmount();

    const head = buildSessionInfo({ actorId: 'lansstyrelsen', functionIds: ['directing'] });
    const { unmount: unmountHead } = render(<AppHeader session={head} />);
    expect(screen.getByText('Inriktande nivå (chef eller ställföreträdare)')).toBeTruthy();
    expect(screen.getByTestId('session-level').textContent).toBe('Inriktande nivå');
    act(() => setLanguage('en'));
    expect(screen.getByTestId('session-level').textContent).toBe('Directing level');
    unmountHead();
    act(() => setLanguage('sv'));

    render(<AppHeader session={buildSessionInfo({ functionIds: ['field'] })} />);
    expect(screen.getByTestId('session-level').textContent).toBe('Verkställande nivå');
  });

  it('names no level for functions outside the agreement, such as the administrator', () => {
    showState(initialState());
    render(<AppHeader session={buildSessionInfo({ actorId: 'lansstyrelsen', functionIds: ['admin'] })} />);
    expect(screen.getByText('Administratör')).toBeTruthy();
    expect(screen.queryByTestId('session-level')).toBeNull();
  });

  it('counts the requests waiting for a decision, and takes the user to them', () => {
    showState(buildState({ incidents: [buildIncident({ status: 'requested' })] }));
    useView.getState().openIncident('some-incident');
    render(<AppHeader session={buildSessionInfo()} />);
    expect(screen.getByTestId('pending-requests').textContent).toBe('1 begäran om samverkan väntar');

    act(() =>
      showState(
        buildState({
          incidents: [
            buildIncident({ status: 'requested' }),
            buildIncident({ status: 'requested' }),
            buildIncident(),
          ],
        }),
      ),
    );
    expect(screen.getByTestId('pending-requests').textContent).toBe('2 begäranden om samverkan väntar');
    act(() => screen.getByTestId('pending-requests').click());
    expect(useView.getState().incidentId).toBeNull();

    act(() => showState(buildState({ incidents: [buildIncident()] })));
    expect(screen.queryByTestId('pending-requests')).toBeNull();
  });

  it('shows the connection state and the age of the last update, without calling it an incident', () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    try {
      showState(initialState());
      useConnection.getState().setHello({ hubId: 'hub-a', viewer: { kind: 'actor', actorId: 'nacka' } });
      useConnection.getState().markEventReceived(Date.now() - 5_000);
      render(<AppHeader session={buildSessionInfo()} />);

      const connection = screen.getByTestId('connection');
      expect(connection.textContent).toContain('Ansluten');
      expect(connection.textContent).toContain('senaste uppdatering för 5 sekunder sedan');
      // "Händelse" is an incident to these users; the log's updates must not be called that.
      expect(connection.textContent).not.toMatch(/händelse/i);

      act(() => vi.advanceTimersByTime(120_000));
      expect(connection.textContent).toContain('för 2 minuter sedan');

      act(() => useConnection.getState().setStatus('reconnecting'));
      expect(connection.textContent).toContain('Återansluter…');
    } finally {
      vi.useRealTimers();
    }
  });

  it('says since when the picture may be stale while the hub is cut off from its log, and when it is live again', () => {
    showState(initialState());
    useConnection.getState().setHello({ hubId: 'hub-a', viewer: { kind: 'actor', actorId: 'nacka' } });
    render(<AppHeader session={buildSessionInfo()} />);
    // 07:42 on the viewer's own clock, whatever the time zone.
    act(() => useConnection.getState().setStaleSince(new Date(2025, 2, 1, 7, 42).toISOString()));

    const status = within(screen.getByTestId('connection')).getByRole('status');
    expect(status.textContent).toContain('Bilden kan vara inaktuell sedan 07:42');
    expect(status.textContent).toContain('Servern når inte sin databas');

    act(() => useConnection.getState().setStaleSince(null));
    expect(status.textContent).toBe('Ansluten');
  });

  it('says the server cannot reach its database when it refuses the connection for that', () => {
    showState(initialState());
    useConnection.getState().setStatus('reconnecting');
    useConnection
      .getState()
      .setProblem({ code: 'log_unavailable', message: 'The hub cannot check sessions' });
    render(<AppHeader session={buildSessionInfo()} />);
    expect(within(screen.getByTestId('connection')).getByRole('status').textContent).toBe(
      'Servern når inte sin databas just nu – försöker igen',
    );
  });

  it('says the network is gone, not the database, when the browser goes offline after such a refusal', () => {
    showState(initialState());
    useConnection.getState().setStatus('reconnecting');
    useConnection
      .getState()
      .setProblem({ code: 'log_unavailable', message: 'The hub cannot check sessions' });
    render(<AppHeader session={buildSessionInfo()} />);
    act(() => useConnection.getState().setStatus('offline'));
    const status = within(screen.getByTestId('connection')).getByRole('status');
    expect(status.textContent).toBe('Frånkopplad');
    expect(status.getAttribute('data-shown')).toBe('offline');
  });
});
