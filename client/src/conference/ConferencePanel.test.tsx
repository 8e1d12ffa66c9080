import { initialState } from '@lagesbild/shared';
import {
  buildConferenceScheduleCommand,
  minutesAfterNow,
  runCommands,
  testUuid,
} from '@lagesbild/shared/test-factories';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { useOutbox } from '../stores/outbox';
import { chairBy } from '../test/conference-scene';
import { chairSession, markOnlySent, sentCommands, showPicture } from '../test/conference-ui';
import { buildSessionInfo } from '../test/fixtures';
import { setUpUiTests } from '../test/ui';
import { ConferencePanel } from './ConferencePanel';

vi.mock('../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();

// Generous: a shared two-core machine types and runs axe slowly.
describe('ConferencePanel in ordinary mode', { timeout: 20_000 }, () => {
  it('calls a weekly conference of the whole region, e.g. Tuesdays at 09:00', async () => {
    const user = userEvent.setup({ delay: null });
    showPicture(initialState());
    render(<ConferencePanel session={chairSession()} incident={null} enterRunning={false} />);
    await user.click(screen.getByText('Kalla till samverkanskonferens'));
    // The form's code loads when the disclosure opens.
    fireEvent.change(await screen.findByLabelText(/^Tid/), { target: { value: '2024-05-07T09:00' } });
    await user.click(screen.getByRole('checkbox', { name: 'Återkommer varje vecka' }));
    await user.selectOptions(screen.getByLabelText('Veckodag'), '2');
    fireEvent.change(screen.getByLabelText('Klockslag'), { target: { value: '09:00' } });
    // A double click calls one conference: the button waits, and the id is the draft's.
    await user.dblClick(screen.getByRole('button', { name: 'Kalla till konferensen' }));
    const [command] = await sentCommands(1);
    expect(screen.getByRole('button', { name: 'Kalla till konferensen' })).toHaveProperty('disabled', true);
    expect(command).toMatchObject({
      type: 'conference.schedule',
      payload: {
        incidentId: null,
        title: 'Samverkanskonferens',
        convenerActorId: 'lansstyrelsen',
        recurrence: { weekday: 2, time: '09:00' },
      },
    });
  });

  it('shows the next conference with its rule, and only its chair may open it', async () => {
    const user = userEvent.setup({ delay: null });
    const conferenceId = testUuid(77);
    const { state } = runCommands([
      {
        command: buildConferenceScheduleCommand({
          conferenceId,
          incidentId: null,
          title: 'Veckokonferens',
          recurrence: { weekday: 2, time: '09:00' },
        }),
        by: chairBy,
      },
    ]);
    showPicture(state);
    const first = render(
      <ConferencePanel session={buildSessionInfo()} incident={null} enterRunning={false} />,
    );
    const next = screen.getByTestId('conference-upcoming');
    expect(next.textContent).toContain('Veckokonferens');
    expect(next.textContent).toContain('Återkommer tisdagar 09:00');
    expect(within(next).queryByRole('button', { name: /^Öppna konferensen/ })).toBeNull();
    expect(within(next).queryByRole('button', { name: /^Ändra tid/ })).toBeNull();
    first.unmount();

    render(<ConferencePanel session={chairSession()} incident={null} enterRunning={false} />);
    // The chair's controls load with the chair's first look at the list.
    const open = await screen.findByRole('button', { name: 'Öppna konferensen: Veckokonferens' });
    await user.dblClick(open);
    const [command] = await sentCommands(1);
    expect(command).toMatchObject({ type: 'conference.open', payload: { conferenceId } });
    // Waits for the hub's answer: a second click would only be refused as "already open".
    expect(open).toHaveProperty('disabled', true);
  });

  it('lists every scheduled conference, and lets the chair move one or change how to join', async () => {
    const user = userEvent.setup({ delay: null });
    const weekly = testUuid(78);
    const extra = testUuid(79);
    const { state } = runCommands([
      {
        command: buildConferenceScheduleCommand({
          conferenceId: weekly,
          incidentId: null,
          title: 'Veckokonferens',
          scheduledAt: minutesAfterNow(60),
          dialIn: '08-123 456 78',
        }),
        by: chairBy,
      },
      {
        command: buildConferenceScheduleCommand({
          conferenceId: extra,
          incidentId: null,
          title: 'Extra avstämning',
          scheduledAt: minutesAfterNow(180),
        }),
        by: chairBy,
      },
    ]);
    showPicture(state);
    render(<ConferencePanel session={chairSession()} incident={null} enterRunning={false} />);
    const listed = screen.getAllByTestId('conference-upcoming');
    expect(listed.map((c) => c.getAttribute('data-conference-id'))).toEqual([weekly, extra]);

    await user.click(
      await screen.findByRole('button', { name: 'Ändra tid eller anslutning: Veckokonferens' }),
    );
    const form = await screen.findByTestId('conference-reschedule');
    // Nothing changed yet: said, and nothing sent.
    await user.click(within(form).getByRole('button', { name: 'Spara ändringen' }));
    expect(within(form).getByRole('alert').textContent).toBe('Ändra tiden eller anslutningen först.');
    expect(Object.keys(useOutbox.getState().items)).toHaveLength(0);

    const dialIn = within(form).getByLabelText(/Möteslänk eller telefonnummer/);
    await user.clear(dialIn);
    await user.type(dialIn, 'https://meet.example.se/ssr');
    await user.click(within(form).getByRole('button', { name: 'Spara ändringen' }));
    const [command] = await sentCommands(1);
    // Only what changed is sent.
    expect(command).toEqual({
      id: expect.any(String),
      type: 'conference.reschedule',
      payload: { conferenceId: weekly, dialIn: 'https://meet.example.se/ssr' },
    });
    // The form stays until the hub has it.
    expect(screen.getByTestId('conference-reschedule')).toBeTruthy();
    await markOnlySent();
    // The form closes on the render after the outbox marks it sent.
    await waitFor(() => expect(screen.queryByTestId('conference-reschedule')).toBeNull());
  });
});
