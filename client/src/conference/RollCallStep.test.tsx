import {
  buildActionItemRecordCommand,
  buildConferenceRollCallCommand,
} from '@lagesbild/shared/test-factories';
import { render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { chairBy, conferenceScene, nackaBy, SCENE } from '../test/conference-scene';
import { chairSession, seriousViolations, sentCommands, showPicture } from '../test/conference-ui';
import { buildSessionInfo } from '../test/fixtures';
import { setUpUiTests } from '../test/ui';
import { RollCallStep } from './RollCallStep';

vi.mock('../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();

function renderRollCall(session = chairSession(), more: Parameters<typeof conferenceScene>[1] = []) {
  const { state, conferenceId } = conferenceScene('rollCall', more);
  showPicture(state);
  const conference = state.conferences[conferenceId];
  if (!conference) throw new Error('no conference');
  return {
    conference,
    ...render(
      <RollCallStep session={session} conference={conference} incident={state.incidents[SCENE.incidentId]} />,
    ),
  };
}

const row = (actorId: string) => screen.getByTestId(`roll-call-row-${actorId}`);

// Generous: a shared two-core machine types and runs axe slowly.
describe('RollCallStep', { timeout: 20_000 }, () => {
  it('takes each actor with one click of the chair', async () => {
    const user = userEvent.setup({ delay: null });
    const { conference, container } = renderRollCall();
    await user.click(within(row('nacka')).getByRole('button', { name: 'Närvarande' }));
    await user.click(within(row('huddinge')).getByRole('button', { name: 'Frånvarande' }));
    const [present, absent] = await sentCommands(2);
    expect(present).toMatchObject({
      type: 'conference.rollCall',
      payload: { conferenceId: conference.id, actorId: 'nacka', presence: 'present', representedBy: null },
    });
    expect(absent).toMatchObject({
      payload: { actorId: 'huddinge', presence: 'absent', representedBy: null },
    });
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('lets the chair name who represents an absent actor, and in which function', async () => {
    const user = userEvent.setup({ delay: null });
    renderRollCall();
    const polisen = row('polisen');
    await user.click(within(polisen).getByRole('button', { name: 'Företrädd av' }));
    await user.selectOptions(
      within(polisen).getByLabelText('Företrädande aktör'),
      'storstockholms-brandforsvar',
    );
    await user.selectOptions(within(polisen).getByLabelText('Funktion'), 'coordinator');
    await user.click(within(polisen).getByRole('button', { name: 'Spara' }));
    const [command] = await sentCommands(1);
    expect(command).toMatchObject({
      payload: {
        actorId: 'polisen',
        presence: 'represented',
        representedBy: { actorId: 'storstockholms-brandforsvar', functionId: 'coordinator' },
      },
    });
  });

  it('lets an actor that is not the chair say only that it is itself present', async () => {
    const user = userEvent.setup({ delay: null });
    renderRollCall(buildSessionInfo());
    expect(within(row('huddinge')).queryByRole('button')).toBeNull();
    expect(within(row('nacka')).queryByRole('button', { name: 'Frånvarande' })).toBeNull();
    await user.click(within(row('nacka')).getByRole('button', { name: 'Närvarande' }));
    const [command] = await sentCommands(1);
    expect(command).toMatchObject({ payload: { actorId: 'nacka', presence: 'present' } });
  });

  it('shows an acknowledged actor apart from one that never acknowledged, and who answered', () => {
    renderRollCall(buildSessionInfo(), [
      {
        command: buildConferenceRollCallCommand({ conferenceId: SCENE.conferenceId, actorId: 'nacka' }),
        by: nackaBy,
      },
    ]);
    expect(row('nacka').textContent).toContain('Närvarande');
    expect(row('nacka').textContent).toContain('Har kvitterat aktiveringen');
    expect(row('huddinge').textContent).toContain('Ej uppropad');
    expect(row('huddinge').textContent).toContain('Har inte kvitterat aktiveringen');
    // Already present: nothing left for Nacka to say.
    expect(within(row('nacka')).queryByRole('button')).toBeNull();
  });

  it('lists the open action items of the incident for follow-up', () => {
    renderRollCall(buildSessionInfo(), [
      {
        command: buildActionItemRecordCommand({
          conferenceId: SCENE.conferenceId,
          text: 'Öppna evakueringsplats i Nacka sporthall',
        }),
        by: chairBy,
      },
    ]);
    expect(screen.getByTestId('open-action-items').textContent).toContain(
      'Öppna evakueringsplats i Nacka sporthall',
    );
  });
});
