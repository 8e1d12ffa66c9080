import {
  buildConferenceOpenCommand,
  buildConferenceScheduleCommand,
  runCommands,
  testUuid,
} from '@lagesbild/shared/test-factories';
import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { chairBy } from '../test/conference-scene';
import { showPicture } from '../test/conference-ui';
import { buildSessionInfo } from '../test/fixtures';
import { setUpUiTests } from '../test/ui';
import type { ConferencePanelStart } from './ConferencePanel';
import { OrdinaryConferences } from './OrdinaryConferences';

// Whether the room's code was fetched: the module is only imported through lazy.tsx.
const loaded = vi.hoisted(() => ({ room: false }));
vi.mock('./ConferencePanel', () => {
  loaded.room = true;
  return {
    ConferencePanel: ({ start }: { start: ConferencePanelStart }) => (
      <p data-testid="room">{start.kind === 'enter' ? 'Konferensrummet' : `Visar ${start.conferenceId}`}</p>
    ),
  };
});

setUpUiTests();

describe('OrdinaryConferences on the overview', { timeout: 20_000 }, () => {
  it('lists the conferences without loading the room, and loads it when the user enters', async () => {
    const user = userEvent.setup({ delay: null });
    const weekly = testUuid(81);
    const { state } = runCommands([
      {
        command: buildConferenceScheduleCommand({
          conferenceId: weekly,
          incidentId: null,
          title: 'Veckokonferens',
        }),
        by: chairBy,
      },
      { command: buildConferenceOpenCommand({ conferenceId: weekly }), by: chairBy },
    ]);
    showPicture(state);
    render(<OrdinaryConferences session={buildSessionInfo()} />);
    expect(screen.getByTestId('conference-running').textContent).toContain('Veckokonferens');
    expect(loaded.room).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Gå in i konferensen' }));
    expect((await screen.findByTestId('room')).textContent).toBe('Konferensrummet');
    expect(loaded.room).toBe(true);
  });
});
