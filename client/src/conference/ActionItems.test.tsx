import { buildActionItemRecordCommand } from '@lagesbild/shared/test-factories';
import { fireEvent, render, screen, within } from '@testing-library/react';
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
import { ActionItems } from './ActionItems';

vi.mock('../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();

const ITEM = '00000000-0000-4000-8000-000000000abc';
const recorded = {
  command: buildActionItemRecordCommand({
    itemId: ITEM,
    conferenceId: SCENE.conferenceId,
    text: 'Öppna evakueringsplats i Nacka sporthall',
    ownerActorId: 'nacka',
  }),
  by: chairBy,
};

function renderItems(session = chairSession(), more: Parameters<typeof conferenceScene>[1] = []) {
  const { state, conferenceId } = conferenceScene('directives', more);
  showPicture(state);
  const conference = state.conferences[conferenceId];
  if (!conference) throw new Error('no conference');
  return { conference, ...render(<ActionItems session={session} conference={conference} />) };
}

// Generous: a shared two-core machine types and runs axe slowly.
describe('ActionItems', { timeout: 20_000 }, () => {
  it('lets the chair record a decision with its owner and due time', async () => {
    const user = userEvent.setup({ delay: null });
    const { conference, container } = renderItems();
    fireEvent.change(screen.getByLabelText(/^Vad som beslutades/), {
      target: { value: 'Kommunerna öppnar värmestugor' },
    });
    await user.selectOptions(screen.getByLabelText(/Ansvarig aktör/), 'huddinge');
    fireEvent.change(screen.getByLabelText('Klart senast'), { target: { value: '2024-05-01T18:00' } });
    await user.click(screen.getByRole('button', { name: 'Registrera' }));
    const [command] = await sentCommands(1);
    expect(command).toMatchObject({
      type: 'actionItem.record',
      payload: {
        conferenceId: conference.id,
        kind: 'decision',
        text: 'Kommunerna öppnar värmestugor',
        ownerActorId: 'huddinge',
      },
    });
    expect(command?.type === 'actionItem.record' && command.payload.dueAt).toMatch(/^2024-05-01T/);
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('refuses a decision without an owner, says why, and sends nothing', async () => {
    const user = userEvent.setup({ delay: null });
    renderItems();
    fireEvent.change(screen.getByLabelText(/^Vad som beslutades/), {
      target: { value: 'Kommunerna öppnar värmestugor' },
    });
    await user.click(screen.getByRole('button', { name: 'Registrera' }));
    expect(screen.getByLabelText(/Ansvarig aktör/).getAttribute('aria-invalid')).toBe('true');
    screen.getByText('Fältet måste fyllas i.');
    expect(Object.keys(useOutbox.getState().items)).toHaveLength(0);
  });

  it('records a double-clicked decision once, keeps the draft until the hub has it, then starts afresh', async () => {
    const user = userEvent.setup({ delay: null });
    const first = renderItems();
    fireEvent.change(screen.getByLabelText(/^Vad som beslutades/), {
      target: { value: 'Värmestugor öppnas' },
    });
    await user.selectOptions(screen.getByLabelText(/Ansvarig aktör/), 'nacka');
    // A tab switch or a reload: the draft, and the id it will be recorded under, are kept.
    first.unmount();
    renderItems();
    expect((screen.getByLabelText(/^Vad som beslutades/) as HTMLTextAreaElement).value).toBe(
      'Värmestugor öppnas',
    );
    await user.dblClick(screen.getByRole('button', { name: 'Registrera' }));
    const [command] = await sentCommands(1);
    expect(screen.getByRole('button', { name: 'Registrera' })).toHaveProperty('disabled', true);
    // Still queued: what was written stays until the hub accepts it.
    expect((screen.getByLabelText(/^Vad som beslutades/) as HTMLTextAreaElement).value).toBe(
      'Värmestugor öppnas',
    );
    await markOnlySent();
    // The form learns its outbox id once the command is queued, which a loaded machine
    // may finish after the hub's answer: the draft goes on the render after both.
    await vi.waitFor(() =>
      expect((screen.getByLabelText(/^Vad som beslutades/) as HTMLTextAreaElement).value).toBe(''),
    );
    expect(keptDrafts()).toEqual([]);
    // The next decision is a new item, never the one just recorded.
    fireEvent.change(screen.getByLabelText(/^Vad som beslutades/), { target: { value: 'Nästa beslut' } });
    await user.selectOptions(screen.getByLabelText(/Ansvarig aktör/), 'nacka');
    await user.click(screen.getByRole('button', { name: 'Registrera' }));
    const [, second] = await sentCommands(2);
    const idOf = (c: typeof command) => (c?.type === 'actionItem.record' ? c.payload.itemId : null);
    expect(idOf(second)).not.toBe(idOf(command));
  });

  it('lets the owner mark its item done, and nobody else but the chair touch it', async () => {
    const user = userEvent.setup({ delay: null });
    const first = renderItems(buildSessionInfo({ actorId: 'huddinge' }), [recorded]);
    expect(within(screen.getByTestId(`action-item-${ITEM}`)).queryByRole('button')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Registrera' })).toBeNull();
    first.unmount();

    renderItems(buildSessionInfo(), [recorded]);
    const item = screen.getByTestId(`action-item-${ITEM}`);
    expect(item.textContent).toContain('Ansvarig: Nacka kommun');
    expect(within(item).queryByRole('button', { name: /Stryk/ })).toBeNull();
    await user.click(within(item).getByRole('button', { name: /Markera klar/ }));
    const [command] = await sentCommands(1);
    expect(command).toMatchObject({
      type: 'actionItem.setStatus',
      payload: { itemId: ITEM, status: 'done' },
    });
  });
});
