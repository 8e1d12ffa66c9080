import { buildConferenceAssessCommand } from '@lagesbild/shared/test-factories';
import { render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { useOutbox } from '../stores/outbox';
import { chairBy, conferenceScene, SCENE } from '../test/conference-scene';
import { chairSession, seriousViolations, sentCommands, showPicture } from '../test/conference-ui';
import { buildSessionInfo } from '../test/fixtures';
import { setUpUiTests } from '../test/ui';
import { AssessmentStep } from './AssessmentStep';

vi.mock('../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();

const assessed = {
  command: buildConferenceAssessCommand({
    conferenceId: SCENE.conferenceId,
    situation: 'Stormen når kusten i kväll',
    expectedDevelopment: 'Avtar efter midnatt',
    consequences: 'Elavbrott i skärgården',
    uncertainties: 'Hur länge elen är borta',
    baseVersion: 0,
  }),
  by: chairBy,
};

function renderAssessment(session = chairSession(), more: Parameters<typeof conferenceScene>[1] = []) {
  const { state, conferenceId } = conferenceScene('assessment', more);
  showPicture(state);
  const conference = state.conferences[conferenceId];
  if (!conference) throw new Error('no conference');
  return { conference, ...render(<AssessmentStep session={session} conference={conference} />) };
}

// Generous: a shared two-core machine types and runs axe slowly.
describe('AssessmentStep', { timeout: 20_000 }, () => {
  it('lets the chair write the four parts, sent on the version it was started from', async () => {
    const user = userEvent.setup({ delay: null });
    const { conference, container } = renderAssessment(chairSession(), [assessed]);
    const form = screen.getByTestId('assessment-form');
    expect(screen.getByTestId('assessment').textContent).toContain('Version 1');
    // The form starts from the newest version, which the chair revises.
    const situation = within(form).getByLabelText('Läge');
    expect((situation as HTMLTextAreaElement).value).toBe('Stormen når kusten i kväll');
    await user.clear(situation);
    await user.type(situation, 'Stormen har nått kusten');
    await user.click(within(form).getByRole('button', { name: 'Spara bedömningen' }));
    const [command] = await sentCommands(1);
    expect(command).toMatchObject({
      type: 'conference.assess',
      payload: {
        conferenceId: conference.id,
        baseVersion: 1,
        situation: 'Stormen har nått kusten',
        uncertainties: 'Hur länge elen är borta',
      },
    });
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('refuses an assessment with all four parts empty, and sends nothing', async () => {
    const user = userEvent.setup({ delay: null });
    renderAssessment();
    await user.click(screen.getByRole('button', { name: 'Spara bedömningen' }));
    screen.getByText('Fyll i minst ett av fälten.');
    expect(Object.keys(useOutbox.getState().items)).toHaveLength(0);
  });

  it('shows everybody else the newest version to read, with no form', () => {
    renderAssessment(buildSessionInfo(), [assessed]);
    expect(screen.queryByTestId('assessment-form')).toBeNull();
    const shown = screen.getByTestId('assessment');
    expect(shown.textContent).toContain('Version 1');
    expect(shown.textContent).toContain('Elavbrott i skärgården');
  });
});
