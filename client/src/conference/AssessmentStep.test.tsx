import { buildConferenceAssessCommand } from '@lagesbild/shared/test-factories';
import { act, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { useOutbox } from '../stores/outbox';
import { chairBy, conferenceScene, SCENE } from '../test/conference-scene';
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

function sceneAt(more: Parameters<typeof conferenceScene>[1] = []) {
  const { state, conferenceId } = conferenceScene('assessment', more);
  showPicture(state);
  const conference = state.conferences[conferenceId];
  if (!conference) throw new Error('no conference');
  return conference;
}

function renderAssessment(session = chairSession(), more: Parameters<typeof conferenceScene>[1] = []) {
  const conference = sceneAt(more);
  return { conference, ...render(<AssessmentStep session={session} conference={conference} />) };
}

/** Another screen of the chair's saves a version meanwhile. */
const assessedElsewhere = (baseVersion: number) => ({
  command: buildConferenceAssessCommand({
    conferenceId: SCENE.conferenceId,
    situation: 'Från den andra skärmen',
    baseVersion,
  }),
  by: chairBy,
});

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

  it('stands on the next version only once the hub has the save: a version saved elsewhere meanwhile is said', async () => {
    const user = userEvent.setup({ delay: null });
    const { rerender } = renderAssessment(chairSession(), [assessed]);
    const form = screen.getByTestId('assessment-form');
    await user.type(within(form).getByLabelText('Osäkerheter'), ' och vattnet');
    await user.click(within(form).getByRole('button', { name: 'Spara bedömningen' }));
    await sentCommands(1);
    // Queued, not accepted: another screen's version 2 arrives first. The hub will refuse
    // this save, and the chair is told so now, with the way to the newer version.
    rerender(
      <AssessmentStep session={chairSession()} conference={sceneAt([assessed, assessedElsewhere(1)])} />,
    );
    const warning = screen.getByTestId('assessment-changed');
    expect(warning.textContent).toContain('Version 2 har sparats medan du skrev');
    await user.click(within(warning).getByRole('button', { name: 'Hämta den nya versionen' }));
    expect((within(form).getByLabelText('Läge') as HTMLTextAreaElement).value).toBe('Från den andra skärmen');
    expect(screen.queryByTestId('assessment-changed')).toBeNull();
  });

  it("moves the draft on to the saved version when the hub accepts the chair's own save", async () => {
    const user = userEvent.setup({ delay: null });
    const { rerender } = renderAssessment(chairSession(), [assessed]);
    const form = screen.getByTestId('assessment-form');
    await user.click(within(form).getByRole('button', { name: 'Spara bedömningen' }));
    await markOnlySent();
    // The hub's event for the own save: version 2, on which the draft now stands.
    rerender(
      <AssessmentStep session={chairSession()} conference={sceneAt([assessed, assessedElsewhere(1)])} />,
    );
    expect(screen.queryByTestId('assessment-changed')).toBeNull();
    await vi.waitFor(() => expect(keptDrafts()).toEqual([]));
    await user.click(within(form).getByRole('button', { name: 'Spara bedömningen' }));
    const commands = await sentCommands(2);
    expect(commands[1]).toMatchObject({ type: 'conference.assess', payload: { baseVersion: 2 } });
  });

  it('offers the newer version when the hub refuses the save as changed meanwhile', async () => {
    const user = userEvent.setup({ delay: null });
    renderAssessment(chairSession(), [assessed]);
    await user.click(screen.getByRole('button', { name: 'Spara bedömningen' }));
    await sentCommands(1);
    const [item] = Object.values(useOutbox.getState().items);
    if (!item) throw new Error('nothing queued');
    act(() =>
      useOutbox.getState().upsert({
        ...item,
        status: 'failed',
        error: { code: 'conflict', message: 'The assessment was changed since', fromHub: true },
      }),
    );
    await vi.waitFor(() => expect(screen.getByTestId('assessment-changed')).toBeTruthy());
    screen.getByRole('button', { name: 'Hämta den nya versionen' });
  });

  it('keeps what the chair wrote across a step change and a reload', async () => {
    const user = userEvent.setup({ delay: null });
    const first = renderAssessment(chairSession(), [assessed]);
    const situation = () => screen.getByLabelText('Läge') as HTMLTextAreaElement;
    await user.clear(situation());
    await user.type(situation(), 'Ny text');
    first.unmount();
    renderAssessment(chairSession(), [assessed]);
    expect(situation().value).toBe('Ny text');
  });
});
