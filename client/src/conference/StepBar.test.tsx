import { render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { useOutbox } from '../stores/outbox';
import { conferenceScene } from '../test/conference-scene';
import { chairSession, seriousViolations, sentCommands, showPicture } from '../test/conference-ui';
import { buildSessionInfo } from '../test/fixtures';
import { setUpUiTests } from '../test/ui';
import { StepBar } from './StepBar';

vi.mock('../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();

function renderAt(step: Parameters<typeof conferenceScene>[0], session = chairSession()) {
  const { state, conferenceId } = conferenceScene(step);
  showPicture(state);
  const conference = state.conferences[conferenceId];
  if (!conference) throw new Error('no conference');
  return { conference, ...render(<StepBar session={session} conference={conference} />) };
}

// Generous: a shared two-core machine types and runs axe slowly.
describe('StepBar', { timeout: 20_000 }, () => {
  it('marks the current step of the seven for everybody and says where the conference is', async () => {
    const { container } = renderAt('rounds', buildSessionInfo());
    const bar = screen.getByTestId('conference-step-bar');
    expect(within(bar).getAllByRole('listitem')).toHaveLength(7);
    const current = screen.getByTestId('conference-step');
    expect(current.getAttribute('aria-current')).toBe('step');
    expect(current.textContent).toContain('Aktörernas rundor');
    expect(screen.getByTestId('conference-step-now').textContent).toBe('Steg 3 av 7: Aktörernas rundor');
    // Finished steps say so in words too, not only in colour.
    const [rollCall, picture, rounds] = within(bar).getAllByRole('listitem');
    expect(rollCall?.textContent).toContain('Upprop (klart)');
    expect(picture?.textContent).toContain('(klart)');
    expect(rounds?.textContent).not.toContain('(klart)');
    expect(screen.getByTestId('conference-step-now').getAttribute('aria-live')).toBe('polite');
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('gives a participant who does not chair no controls', () => {
    renderAt('rounds', buildSessionInfo());
    expect(screen.queryByRole('button', { name: 'Nästa steg' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Föregående' })).toBeNull();
  });

  it('lets the chair move forward, naming the step the chair saw, and sends a double click once', async () => {
    const user = userEvent.setup({ delay: null });
    const { conference } = renderAt('rounds');
    const next = screen.getByRole('button', { name: 'Nästa steg' });
    await user.dblClick(next);
    const [forward] = await sentCommands(1);
    expect(forward).toMatchObject({
      type: 'conference.step',
      payload: { conferenceId: conference.id, fromStep: 'rounds', toStep: 'assessment' },
    });
    // While it is on its way both buttons wait, keeping the focus where it was.
    expect(next.getAttribute('aria-disabled')).toBe('true');
    expect(screen.getByRole('button', { name: 'Föregående' }).getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(next);
    await user.click(screen.getByRole('button', { name: 'Föregående' }));
    expect(await sentCommands(1)).toHaveLength(1);
  });

  it('lets the chair go back a step', async () => {
    const user = userEvent.setup({ delay: null });
    renderAt('rounds');
    await user.click(screen.getByRole('button', { name: 'Föregående' }));
    const [back] = await sentCommands(1);
    expect(back).toMatchObject({ payload: { fromStep: 'rounds', toStep: 'convenerPicture' } });
  });

  it('keeps both buttons at the first and last step, unavailable where there is no step to go to', async () => {
    const user = userEvent.setup({ delay: null });
    const first = renderAt('rollCall');
    const back = screen.getByRole('button', { name: 'Föregående' });
    expect(back.getAttribute('aria-disabled')).toBe('true');
    await user.click(back);
    expect(screen.getByRole('button', { name: 'Nästa steg' }).getAttribute('aria-disabled')).toBe('false');
    first.unmount();
    renderAt('nextConference');
    const on = screen.getByRole('button', { name: 'Nästa steg' });
    expect(on.getAttribute('aria-disabled')).toBe('true');
    await user.click(on);
    expect(screen.getByRole('button', { name: 'Föregående' }).getAttribute('aria-disabled')).toBe('false');
    expect(Object.keys(useOutbox.getState().items)).toHaveLength(0);
  });
});
