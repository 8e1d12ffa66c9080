import { sinceLastConferenceSeq } from '@lagesbild/shared';
import { render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { conferenceScene, SCENE } from '../test/conference-scene';
import {
  chairSession,
  keptDrafts,
  markOnlySent,
  seriousViolations,
  sentCommands,
  showPicture,
} from '../test/conference-ui';
import { buildSessionInfo } from '../test/fixtures';
import { setUpUiTests } from '../test/ui';
import { RoundsStep } from './RoundsStep';

vi.mock('../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();

function renderRounds(session = chairSession()) {
  const { state, conferenceId } = conferenceScene('rounds');
  showPicture(state);
  const conference = state.conferences[conferenceId];
  if (!conference) throw new Error('no conference');
  const since = sinceLastConferenceSeq(state, SCENE.incidentId);
  return { conference, ...render(<RoundsStep session={session} conference={conference} sinceSeq={since} />) };
}

// Generous: a shared two-core machine types and runs axe slowly.
describe('RoundsStep', { timeout: 20_000 }, () => {
  it("shows each actor's newest report and what changed since the last conference", async () => {
    const { container } = renderRounds(buildSessionInfo());
    const rounds = screen.getAllByTestId(/^round-/).filter((el) => el.tagName === 'LI');
    expect(rounds.map((el) => el.dataset.testid)).toEqual([
      'round-lansstyrelsen',
      'round-huddinge',
      'round-nacka',
      'round-polisen',
    ]);
    const nacka = screen.getByTestId('round-nacka');
    expect(within(nacka).getByTestId('round-since').textContent).toBe(
      '2 nya rapporter sedan förra konferensen',
    );
    expect(nacka.textContent).toContain('Allvarlig');
    expect(nacka.textContent).toContain('Två elverk');
    expect(nacka.textContent).toContain('0 objekt på kartan');
    const polisen = screen.getByTestId('round-polisen');
    expect(within(polisen).getByTestId('round-since').textContent).toBe('Inget nytt sedan förra konferensen');
    expect(polisen.textContent).toContain('Ingen lägesrapport');
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('lets the chair mark a round reported with a short note', async () => {
    const user = userEvent.setup({ delay: null });
    const { conference } = renderRounds();
    const nacka = screen.getByTestId('round-nacka');
    await user.type(within(nacka).getByLabelText('Kort anteckning: Nacka kommun'), 'Behöver elverk i natt');
    await user.click(within(nacka).getByRole('button', { name: 'Markera rapporterat: Nacka kommun' }));
    const [command] = await sentCommands(1);
    expect(command).toMatchObject({
      type: 'conference.round',
      payload: {
        conferenceId: conference.id,
        actorId: 'nacka',
        reported: true,
        note: 'Behöver elverk i natt',
      },
    });
  });

  it('keeps a note being written across a step change and a reload, and drops it once sent', async () => {
    const user = userEvent.setup({ delay: null });
    const first = renderRounds();
    const note = () =>
      within(screen.getByTestId('round-nacka')).getByLabelText('Kort anteckning: Nacka kommun');
    await user.type(note(), 'Elverk behövs');
    // The step changes (or the page reloads): the room is drawn anew.
    first.unmount();
    renderRounds();
    expect((note() as HTMLInputElement).value).toBe('Elverk behövs');
    await user.click(screen.getByRole('button', { name: 'Markera rapporterat: Nacka kommun' }));
    await sentCommands(1);
    // Still queued: the note stays, in case the hub refuses it.
    expect(keptDrafts()).toHaveLength(1);
    await markOnlySent();
    await vi.waitFor(() => expect(keptDrafts()).toEqual([]));
  });

  it('gives those who do not chair nothing to mark', () => {
    renderRounds(buildSessionInfo());
    expect(screen.queryByRole('button', { name: /^Markera rapporterat/ })).toBeNull();
    expect(screen.getByTestId('round-nacka').textContent).toContain('Inte rapporterat');
  });
});
