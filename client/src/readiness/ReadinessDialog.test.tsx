import { initialState, type State } from '@lagesbild/shared';
import { TEST_NOW, buildAttribution, buildState } from '@lagesbild/shared/test-factories';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { setLanguage } from '../i18n/i18n';
import { useOutbox } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import { buildSessionInfo } from '../test/fixtures';
import { setUpUiTests } from '../test/ui';
import { ReadinessControl } from './ReadinessControl';

vi.mock('../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();

const leadDutyOfficer = buildSessionInfo({
  user: { id: 'user-lan', username: 'tib.lansstyrelsen', name: 'Lena Lindqvist' },
  actorId: 'lansstyrelsen',
});
const showState = (state: State) => usePicture.getState().replaceWithSnapshot({ epoch: 'e', seq: 1, state });
const sent = () =>
  Object.values(useOutbox.getState().items)
    .map((i) => i.command)
    .filter((c) => c.type === 'readiness.set');

// Several clicks and a modal each: slow on a busy two-core machine, never a wait on time.
describe('setting heightened readiness', { timeout: 20_000 }, () => {
  it("is offered to Länsstyrelsen's duty officer only", () => {
    showState(initialState());
    const { unmount } = render(<ReadinessControl session={buildSessionInfo()} />);
    expect(screen.queryByTestId('open-readiness')).toBeNull();
    unmount();
    render(
      <ReadinessControl
        session={buildSessionInfo({ actorId: 'lansstyrelsen', functionIds: ['coordinator'] })}
      />,
    );
    expect(screen.queryByTestId('open-readiness')).toBeNull();
    render(<ReadinessControl session={leadDutyOfficer} />);
    expect(screen.getByTestId('open-readiness').textContent).toBe('Höjd beredskap …');
  });

  it('raises högsta beredskap for named parts of the country with the government decision', async () => {
    const user = userEvent.setup();
    showState(initialState());
    render(<ReadinessControl session={leadDutyOfficer} />);
    await user.click(screen.getByTestId('open-readiness'));

    await user.click(await screen.findByLabelText('Högsta beredskap'));
    await user.click(screen.getByLabelText('Delar av landet'));
    // Pasted, as these come from the decision itself (and typing is slow on a busy machine).
    await user.click(screen.getByLabelText(/Vilka delar av landet/));
    await user.paste('Stockholms och Uppsala län');
    await user.click(screen.getByLabelText(/Regeringsbeslutets beteckning/));
    await user.paste('Fö2026/01234');
    fireEvent.change(screen.getByLabelText('Beslutsdatum'), { target: { value: '2026-03-01' } });
    await user.click(screen.getByRole('button', { name: 'Visa höjd beredskap' }));

    await vi.waitFor(() => expect(sent()).toHaveLength(1));
    expect(sent()[0]?.payload).toEqual({
      heightened: true,
      note: '',
      decision: {
        level: 'highest',
        scope: 'parts',
        parts: 'Stockholms och Uppsala län',
        decisionRef: 'Fö2026/01234',
        decisionDate: '2026-03-01T12:00:00.000Z',
      },
    });
    expect(screen.queryByTestId('readiness-dialog')).toBeNull();
  });

  it('refuses to raise without the decision named and dated, saying which fields, and sends nothing', async () => {
    const user = userEvent.setup();
    showState(initialState());
    render(<ReadinessControl session={leadDutyOfficer} />);
    await user.click(screen.getByTestId('open-readiness'));
    await user.click(await screen.findByLabelText('Skärpt beredskap'));
    await user.click(screen.getByRole('button', { name: 'Visa höjd beredskap' }));

    const ref = screen.getByLabelText(/Regeringsbeslutets beteckning/);
    expect(ref.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Beslutsdatum').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getAllByText('Fältet måste fyllas i.')).toHaveLength(2);
    expect(sent()).toHaveLength(0);
    expect(screen.getByTestId('readiness-dialog')).toBeTruthy();
  });

  it('lifts the readiness in force, starting from it', async () => {
    const user = userEvent.setup();
    showState(
      buildState({
        readiness: {
          heightened: true,
          level: 'heightened',
          decisionRef: 'Fö2026/01234',
          since: TEST_NOW,
          by: buildAttribution(),
        },
      }),
    );
    render(<ReadinessControl session={leadDutyOfficer} />);
    await user.click(screen.getByTestId('open-readiness'));
    expect(screen.getByTestId('open-readiness').textContent).toBe('Ändra eller häv höjd beredskap …');
    expect(((await screen.findByLabelText(/Regeringsbeslutets beteckning/)) as HTMLInputElement).value).toBe(
      'Fö2026/01234',
    );
    // Sending what is already in force would change nothing: said, not sent.
    await user.click(screen.getByRole('button', { name: 'Spara ändringen' }));
    expect(screen.getByText('Du har inte ändrat något.')).toBeTruthy();
    expect(sent()).toHaveLength(0);

    await user.click(screen.getByLabelText('Häv höjd beredskap'));
    expect(screen.queryByLabelText(/Regeringsbeslutets beteckning/)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Häv höjd beredskap' }));
    await vi.waitFor(() => expect(sent()).toHaveLength(1));
    expect(sent()[0]?.payload).toMatchObject({ heightened: false, decision: { level: 'none' } });
  });

  it('speaks English too', async () => {
    const user = userEvent.setup();
    showState(initialState());
    act(() => setLanguage('en'));
    render(<ReadinessControl session={leadDutyOfficer} />);
    await user.click(screen.getByTestId('open-readiness'));
    expect(await screen.findByLabelText('Highest readiness (högsta beredskap)')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Lift heightened readiness' })).toBeTruthy();
  });
});
