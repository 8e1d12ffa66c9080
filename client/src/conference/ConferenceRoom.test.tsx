import { CONFERENCE_STEPS } from '@lagesbild/shared';
import {
  buildConferenceCloseCommand,
  buildConferenceSetNextCommand,
  minutesAfterNow,
} from '@lagesbild/shared/test-factories';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { useOutbox } from '../stores/outbox';
import { chairBy, conferenceScene, SCENE } from '../test/conference-scene';
import { chairSession, seriousViolations, sentCommands, showPicture } from '../test/conference-ui';
import { buildSessionInfo } from '../test/fixtures';
import { setUpUiTests } from '../test/ui';
import { ConferenceTab } from './ConferenceTab';

vi.mock('../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();

const STEP_HEADINGS = {
  rollCall: 'Upprop',
  convenerPicture: 'Sammankallande aktörs lägesbild',
  rounds: 'Aktörernas rundor',
  assessment: 'Samlad bedömning',
  directives: 'Gemensam inriktning',
  jointMessage: 'Samordnat budskap',
  nextConference: 'Nästa konferens',
} as const;

function renderTab(
  step: (typeof CONFERENCE_STEPS)[number],
  session = chairSession(),
  more: Parameters<typeof conferenceScene>[1] = [],
) {
  const { state } = conferenceScene(step, more);
  showPicture(state);
  const incident = state.incidents[SCENE.incidentId];
  if (!incident) throw new Error('no incident');
  return render(<ConferenceTab session={session} incident={incident} />);
}

// Generous: a shared two-core machine runs axe slowly.
describe('ConferenceTab', { timeout: 30_000 }, () => {
  it.each(CONFERENCE_STEPS)(
    'shows the running conference at step %s, the same agenda for everybody',
    (step) => {
      renderTab(step, buildSessionInfo());
      expect(screen.getByTestId('conference-step').dataset.step).toBe(step);
      screen.getByRole('heading', { level: 4, name: STEP_HEADINGS[step] });
    },
  );

  it('has no serious accessibility problem in the chair’s view', async () => {
    const { container } = renderTab('rollCall');
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('lets the chair set the next time and close, naming the next conference', async () => {
    const user = userEvent.setup({ delay: null });
    renderTab('nextConference');
    await user.click(screen.getByTestId('conference-close'));
    // Two steps: first what closing does, then the close itself.
    expect(screen.getByTestId('conference-close-consequence').textContent).toBe(
      'Avsluta konferensen? Ingen tid är bestämd, så ingen ny konferens kallas.',
    );
    expect(Object.keys(useOutbox.getState().items)).toHaveLength(0);
    await user.dblClick(screen.getByRole('button', { name: 'Ja, avsluta konferensen' }));
    const [command] = await sentCommands(1);
    expect(command).toMatchObject({
      type: 'conference.close',
      payload: { conferenceId: SCENE.conferenceId },
    });
    expect(command?.type === 'conference.close' && command.payload.nextConferenceId).toMatch(
      /^[0-9a-f-]{36}$/,
    );
  });

  it('says before closing that the next conference will be called, and when; cancelling sends nothing', async () => {
    const user = userEvent.setup({ delay: null });
    renderTab('nextConference', chairSession(), [
      {
        command: buildConferenceSetNextCommand({
          conferenceId: SCENE.conferenceId,
          nextConferenceAt: minutesAfterNow(240),
        }),
        by: chairBy,
        at: minutesAfterNow(70),
      },
    ]);
    await user.click(screen.getByTestId('conference-close'));
    const said = screen.getByTestId('conference-close-consequence').textContent ?? '';
    expect(said).toMatch(/^Avsluta konferensen\? Nästa konferens kallas då till .+\.$/);
    await user.click(screen.getByRole('button', { name: 'Avbryt' }));
    expect(screen.queryByTestId('conference-close-consequence')).toBeNull();
    expect(Object.keys(useOutbox.getState().items)).toHaveLength(0);
  });

  it('follows the next time set from another screen until the chair edits the field', () => {
    const { state } = conferenceScene('nextConference');
    const incident = state.incidents[SCENE.incidentId];
    const conference = state.conferences[SCENE.conferenceId];
    if (!incident || !conference) throw new Error('no conference');
    showPicture(state);
    render(<ConferenceTab session={chairSession()} incident={incident} />);
    const field = () => screen.getByLabelText('Tid för nästa konferens') as HTMLInputElement;
    expect(field().value).toBe('');
    const moved = (at: string) =>
      act(() =>
        showPicture({
          ...state,
          conferences: { ...state.conferences, [conference.id]: { ...conference, nextConferenceAt: at } },
        }),
      );
    moved('2026-12-08T08:00:00.000Z');
    expect(field().value).not.toBe('');
    fireEvent.change(field(), { target: { value: '2026-12-09T10:30' } });
    moved('2026-12-08T09:00:00.000Z');
    // The chair's edit is kept, not overwritten by the other screen's time.
    expect(field().value).toBe('2026-12-09T10:30');
  });

  it('lists the closed conference and its next one once the chair has closed it', async () => {
    const user = userEvent.setup({ delay: null });
    const next = minutesAfterNow(240);
    renderTab('nextConference', buildSessionInfo(), [
      {
        command: buildConferenceSetNextCommand({ conferenceId: SCENE.conferenceId, nextConferenceAt: next }),
        by: chairBy,
        at: minutesAfterNow(70),
      },
      {
        command: buildConferenceCloseCommand({ conferenceId: SCENE.conferenceId }),
        by: chairBy,
        at: minutesAfterNow(71),
      },
    ]);
    expect(screen.queryByTestId('conference-room')).toBeNull();
    expect(screen.getByTestId('conference-upcoming').querySelector('time')?.getAttribute('dateTime')).toBe(
      next,
    );
    const shows = screen.getAllByRole('button', { name: /^Visa/ });
    expect(shows).toHaveLength(2);
    await user.click(shows[0] as HTMLElement);
    expect(screen.getByTestId('conference-room').textContent).toContain('Avslutad');
  });

  it('keeps the chair in the conference when it closes, for the minutes', async () => {
    renderTab('nextConference');
    expect(screen.getByTestId('conference-room').textContent).toContain('Pågår');
    const { state } = conferenceScene('nextConference', [
      {
        command: buildConferenceCloseCommand({ conferenceId: SCENE.conferenceId }),
        by: chairBy,
        at: minutesAfterNow(71),
      },
    ]);
    act(() => showPicture(state, 200));
    expect(screen.getByTestId('conference-room').textContent).toContain('Konferensen är avslutad.');
    screen.getByRole('button', { name: /Lämna konferensvyn/ });
  });
});
