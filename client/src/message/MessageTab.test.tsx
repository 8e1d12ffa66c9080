import type { Command, SessionInfo, State } from '@lagesbild/shared';
import {
  buildJointMessageCancelCommand,
  buildMessageContent,
  buildMessageText,
  minutesAfterNow,
  runCommands,
} from '@lagesbild/shared/test-factories';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useOutbox } from '../stores/outbox';
import { seriousViolations, sentCommands, showPicture } from '../test/conference-ui';
import { buildSessionInfo } from '../test/fixtures';
import { MapStub } from '../test/map-stub';
import {
  activationStep,
  approveStep,
  draftStep,
  MESSAGE_SCENE,
  messageScene,
  nackaBy,
  regionBy,
  sessionOf,
  stockholmBy,
} from '../test/message-scene';
import { setUpUiTests } from '../test/ui';
import { MessageTab } from './MessageTab';

vi.mock('../map/LazyMap', () => ({ LazyMap: MapStub }));
vi.mock('../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();

const { incidentId, messageId } = MESSAGE_SCENE;
const stockholm = sessionOf(stockholmBy);
const nacka = sessionOf(nackaBy);

function renderTab(session: SessionInfo, state: State) {
  showPicture(state);
  const incident = state.incidents[incidentId];
  if (!incident) throw new Error('no incident');
  return render(<MessageTab session={session} incident={incident} />);
}

/** Shows a later picture, as the hub's events would. */
const later = (state: State) => act(() => showPicture(state, 300));

/** The only command sent, of the type expected. */
async function onlyCommand<T extends Command['type']>(type: T): Promise<Extract<Command, { type: T }>> {
  const [command, ...rest] = await sentCommands(1);
  expect(rest).toEqual([]);
  if (command?.type !== type) throw new Error(`sent ${command?.type}`);
  return command as Extract<Command, { type: T }>;
}

// Generous: a shared two-core machine types and runs axe slowly.
describe('the message tab', { timeout: 30_000 }, () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(minutesAfterNow(60)));
  });
  afterEach(() => vi.useRealTimers());

  it('says what is wrong with an empty core message and a validity ending before it begins, and sends nothing', async () => {
    const user = userEvent.setup({ delay: null });
    const state = runCommands([activationStep()]).state;
    const { container } = renderTab(stockholm, state);
    expect(screen.getByText('Inget samordnat budskap finns för händelsen.')).toBeTruthy();
    await user.click(screen.getByTestId('message-begin'));
    const editor = screen.getByTestId('message-editor');
    fireEvent.change(within(editor).getByLabelText(/^Rubrik \(Svenska\)/), {
      target: { value: 'Stormvarning' },
    });
    fireEvent.change(within(editor).getByTestId('message-valid-from'), {
      target: { value: '2024-05-01T20:00' },
    });
    fireEvent.change(within(editor).getByTestId('message-valid-until'), {
      target: { value: '2024-05-01T18:00' },
    });
    await user.click(screen.getByTestId('message-save'));

    const core = within(editor).getByLabelText(/^Kärnbudskap \(Svenska\)/);
    expect(core.getAttribute('aria-invalid')).toBe('true');
    expect(core.getAttribute('aria-describedby')).toContain(
      within(editor).getByText('Fältet måste fyllas i.').id,
    );
    const until = within(editor).getByTestId('message-valid-until');
    expect(until.getAttribute('aria-invalid')).toBe('true');
    expect(within(editor).getByText('”Gäller till” måste ligga efter ”Gäller från”.')).toBeTruthy();
    expect(Object.keys(useOutbox.getState().items)).toHaveLength(0);
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('saves a new message once on a double click, on version 0, with the drafter’s actor approving', async () => {
    const user = userEvent.setup({ delay: null });
    renderTab(stockholm, runCommands([activationStep()]).state);
    await user.click(screen.getByTestId('message-begin'));
    const editor = screen.getByTestId('message-editor');
    // The drafter's own actor is named to approve from the start.
    expect((within(editor).getByTestId('approver-stockholm') as HTMLInputElement).checked).toBe(true);
    fireEvent.change(within(editor).getByLabelText(/^Rubrik \(Svenska\)/), {
      target: { value: 'Stormvarning: stanna inomhus' },
    });
    fireEvent.change(within(editor).getByLabelText(/^Kärnbudskap \(Svenska\)/), {
      target: { value: 'Stormen Ylva når Stockholm i kväll.' },
    });
    await user.click(within(editor).getByTestId('approver-nacka'));
    await user.click(
      within(within(editor).getByTestId('message-municipalities')).getByLabelText('Nacka kommun'),
    );
    await user.click(within(editor).getByRole('button', { name: 'Lägg till Engelska' }));
    fireEvent.change(within(editor).getByLabelText(/^Rubrik \(Engelska\)/), {
      target: { value: 'Storm warning' },
    });
    fireEvent.change(within(editor).getByLabelText(/^Kärnbudskap \(Engelska\)/), {
      target: { value: 'Storm Ylva reaches Stockholm tonight.' },
    });
    await user.dblClick(screen.getByTestId('message-save'));

    const command = await onlyCommand('jointMessage.draft');
    expect(command.payload).toMatchObject({ incidentId, baseVersion: 0 });
    expect(command.payload.approverActorIds).toEqual(['stockholm', 'nacka']);
    expect(command.payload.content.texts.sv.headline).toBe('Stormvarning: stanna inomhus');
    expect(command.payload.content.texts.en?.headline).toBe('Storm warning');
    expect(command.payload.content.area.municipalityCodes).toEqual(['0182']);
    // Still one after the outbox has had time to settle.
    await vi.waitFor(() => expect(Object.keys(useOutbox.getState().items)).toHaveLength(1));
  });

  it('edits on the version it was opened on, and after agreement says the edit reopens sign-off', async () => {
    const user = userEvent.setup({ delay: null });
    renderTab(stockholm, messageScene({ agreed: true }));
    expect(screen.getByText(/En ändring av ett samordnat budskap öppnar godkännandet igen/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Ändra budskapet (blir v2)' }));
    const editor = screen.getByTestId('message-editor');
    expect((within(editor).getByLabelText(/^Rubrik \(Svenska\)/) as HTMLInputElement).value).toBe(
      buildMessageText().headline,
    );
    await user.click(screen.getByTestId('message-save'));
    const command = await onlyCommand('jointMessage.draft');
    expect(command.payload).toMatchObject({ messageId, baseVersion: 1 });
    expect(command.payload.approverActorIds).toEqual([...MESSAGE_SCENE.approvers]);
  });

  it('keeps the text when somebody else saved a newer version, shows theirs, and saves on it when asked', async () => {
    const user = userEvent.setup({ delay: null });
    const state = messageScene();
    renderTab(stockholm, state);
    await user.click(screen.getByRole('button', { name: 'Ändra budskapet (blir v2)' }));
    const editor = screen.getByTestId('message-editor');
    const headline = within(editor).getByLabelText(/^Rubrik \(Svenska\)/);
    fireEvent.change(headline, { target: { value: 'Min rubrik' } });
    await user.click(screen.getByTestId('message-save'));
    await sentCommands(1);

    // Nacka saved v2 first: the hub refuses this save as stale, and the picture shows v2.
    const theirs = buildMessageContent({
      texts: { sv: buildMessageText({ headline: 'Nackas rubrik' }), en: null, svEasy: null },
    });
    const newer = runCommands([draftStep(1, 50, theirs, nackaBy)], { state, firstSeq: 80 }).state;
    act(() => {
      for (const item of Object.values(useOutbox.getState().items)) {
        useOutbox.getState().upsert({
          ...item,
          status: 'failed',
          error: { code: 'stale', message: 'Version 2 has been saved since', fromHub: true },
        });
      }
    });
    later(newer);

    const alert = within(editor).getByTestId('message-stale');
    expect(alert.textContent).toContain(
      'Nina Nacka (Nacka kommun) har sparat v2 medan du skrev. Din text finns kvar.',
    );
    expect((within(editor).getByLabelText(/^Rubrik \(Svenska\)/) as HTMLInputElement).value).toBe(
      'Min rubrik',
    );
    await user.click(within(alert).getByRole('button', { name: 'Visa v2' }));
    expect(within(alert).getByTestId('message-newer').textContent).toContain('Nackas rubrik');
    // The kept draft survives a reload too.
    expect(localStorage.getItem(`lagesbild.draft.message.${stockholm.user.id}.${incidentId}`)).toContain(
      'Min rubrik',
    );

    await user.click(
      within(alert).getByRole('button', { name: 'Behåll min text och spara den som nästa version' }),
    );
    expect(screen.getByRole('heading', { name: 'Ändra budskapet (blir v3)' })).toBeTruthy();
    await user.click(screen.getByTestId('message-save'));
    // The refused save is replaced, not left beside the new one.
    await vi.waitFor(() => {
      const commands = Object.values(useOutbox.getState().items).map((i) => i.command);
      expect(commands).toHaveLength(1);
      const [again] = commands;
      if (again?.type !== 'jointMessage.draft') throw new Error(`sent ${again?.type}`);
      expect(again.payload.baseVersion).toBe(2);
      expect(again.payload.content.texts.sv.headline).toBe('Min rubrik');
    });
  });

  it('offers approval only to a named actor’s communicator, for their own actor', async () => {
    const user = userEvent.setup({ delay: null });
    const state = messageScene();
    const polisen = buildSessionInfo({
      user: { id: 'user-polisen-communicator', username: 'polisen.kom', name: 'Per Polis' },
      actorId: 'polisen',
      functionIds: ['communicator'],
    });
    const viewer = buildSessionInfo({ functionIds: ['viewer'] });
    for (const session of [polisen, viewer]) {
      const { unmount } = renderTab(session, state);
      expect(screen.queryByTestId('message-approve')).toBeNull();
      expect(screen.queryByTestId('message-request-change')).toBeNull();
      unmount();
    }
    // Stockholm approved by saving: it is told so, and not offered to approve again.
    const drafter = renderTab(stockholm, state);
    expect(screen.queryByTestId('message-approve')).toBeNull();
    expect(screen.getByTestId('message-approved-by-you').textContent).toBe('Stockholms stad har godkänt v1.');
    drafter.unmount();

    renderTab(nacka, state);
    expect(screen.getByTestId('message-status').textContent).toContain('Utkast – senaste versionen är v1');
    await user.click(screen.getByRole('button', { name: 'Godkänn v1 för Nacka kommun' }));
    const command = await onlyCommand('jointMessage.approve');
    expect(command.payload).toEqual({ messageId, version: 1, forActorId: 'nacka', comment: '' });
  });

  it('asks for a change only with a comment', async () => {
    const user = userEvent.setup({ delay: null });
    renderTab(nacka, messageScene());
    await user.click(screen.getByTestId('message-request-change'));
    await user.click(screen.getByTestId('message-send-change'));
    const comment = screen.getByLabelText(/^Vad ska ändras\?/);
    expect(comment.getAttribute('aria-invalid')).toBe('true');
    expect(Object.keys(useOutbox.getState().items)).toHaveLength(0);
    fireEvent.change(comment, { target: { value: 'Nämn trygghetspunkten i Nacka forum' } });
    await user.click(screen.getByTestId('message-send-change'));
    const command = await onlyCommand('jointMessage.requestChange');
    expect(command.payload).toMatchObject({
      version: 1,
      forActorId: 'nacka',
      comment: 'Nämn trygghetspunkten i Nacka forum',
    });
  });

  it('shows who approved which version: an edit after agreement reopens sign-off', () => {
    const state = messageScene({ agreed: true, more: [draftStep(1, 30)] });
    const { container } = renderTab(nacka, state);
    expect(screen.getByTestId('message-status').getAttribute('data-stage')).toBe('reopened');
    expect(screen.getByTestId('message-status').textContent).toContain(
      'Återöppnat – senaste versionen är v2',
    );
    expect(screen.getByTestId('message-agreed-stands').textContent).toContain('v1');
    const matrix = screen.getByTestId('signoff-matrix');
    const headers = within(matrix)
      .getAllByRole('columnheader')
      .map((th) => th.textContent);
    expect(headers).toEqual(['Aktör', 'v2', 'v1']);
    const nackaRow = within(matrix).getByTestId('signoff-nacka');
    const [v2, v1] = within(nackaRow).getAllByRole('cell');
    expect(v2?.textContent).toBe('Inget svar');
    expect(v1?.textContent).toMatch(/^Godkänt .* – Nina Nacka$/);
    const stockholmRow = within(matrix).getByTestId('signoff-stockholm');
    expect(within(stockholmRow).getAllByRole('cell')[0]?.textContent).toMatch(
      /^Godkänt \(sparade versionen\)/,
    );
    expect(screen.getByTestId('signoff-summary').textContent).toBe('1 av 3 har godkänt v2.');
    // The version history says the same, and offers v1's CAP alert.
    expect(screen.getByTestId('message-version-2').textContent).toContain('öppnade godkännandet igen');
    expect(screen.getByTestId('message-cap-link').getAttribute('href')).toBe(
      `/api/public/messages/${messageId}/versions/1/cap.xml`,
    );
    expect(container.querySelector('[data-testid="message-cap-link-v2"]')).toBeNull();
  });

  it('offers publication only after agreement, and records where the actor published', async () => {
    const user = userEvent.setup({ delay: null });
    const draft = renderTab(nacka, messageScene());
    expect(screen.getByTestId('publication-not-yet').textContent).toBe(
      'Budskapet kan publiceras först när det är samordnat.',
    );
    expect(screen.queryByTestId('publication-web')).toBeNull();
    expect(screen.queryByTestId('message-cap-link')).toBeNull();
    draft.unmount();

    const { container } = renderTab(nacka, messageScene({ agreed: true }));
    expect(screen.getByTestId('message-status').textContent).toContain('Samordnat – senaste versionen är v1');
    expect(screen.getByTestId('publication-summary').textContent).toBe('0 av 3 aktörer har publicerat v1.');
    expect(within(screen.getByTestId('published-nacka')).getByRole('rowheader').textContent).toContain(
      'Inte publicerat',
    );
    // No channel chosen: said, nothing sent.
    await user.click(screen.getByTestId('message-publish'));
    expect(screen.getByText('Välj minst en kanal.')).toBeTruthy();
    expect(Object.keys(useOutbox.getState().items)).toHaveLength(0);
    await user.click(screen.getByTestId('publication-web'));
    await user.click(screen.getByTestId('publication-phone11313'));
    await user.click(screen.getByTestId('message-publish'));
    const commands = await sentCommands(2);
    expect(commands.map((c) => (c.type === 'jointMessage.publish' ? c.payload.channel : c.type))).toEqual([
      'web',
      'phone11313',
    ]);
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('withdraws the message only with a reason and a second step', async () => {
    const user = userEvent.setup({ delay: null });
    renderTab(nacka, messageScene({ agreed: true }));
    await user.click(screen.getByTestId('message-cancel-open'));
    await user.click(screen.getByRole('button', { name: 'Återkalla budskapet' }));
    expect(screen.getByLabelText(/^Varför återkallas budskapet\?/).getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(screen.getByLabelText(/^Varför återkallas budskapet\?/), {
      target: { value: 'Stormen drog förbi' },
    });
    await user.click(screen.getByRole('button', { name: 'Återkalla budskapet' }));
    expect(Object.keys(useOutbox.getState().items)).toHaveLength(0);
    const confirm = screen.getByRole('button', { name: 'Ja, återkalla' });
    expect(document.activeElement).toBe(confirm);
    await user.click(confirm);
    const command = await onlyCommand('jointMessage.cancel');
    expect(command.payload).toEqual({ messageId, reason: 'Stormen drog förbi' });
  });

  it('marks an exercise ÖVNING and shows a withdrawn message as withdrawn', () => {
    const exercise = buildMessageContent({ exercise: true });
    const state = runCommands([
      activationStep(),
      draftStep(0, 5, exercise),
      approveStep(1, nackaBy, 10),
      approveStep(1, regionBy, 12),
      {
        command: buildJointMessageCancelCommand({ messageId, reason: 'Fel område' }),
        by: stockholmBy,
        at: minutesAfterNow(20),
      },
    ]).state;
    renderTab(nacka, state);
    expect(screen.getByTestId('message-status').textContent).toContain('Återkallat');
    expect(screen.getByTestId('message-cancelled').textContent).toContain('Fel område');
    expect(screen.getAllByTestId('message-exercise')[0]?.textContent).toBe('ÖVNING');
    expect(screen.queryByTestId('message-approve')).toBeNull();
    expect(screen.queryByTestId('message-publish-form')).toBeNull();
    // A new message may be begun once the old one is withdrawn.
    expect(screen.getByTestId('message-begin').textContent).toBe('Nytt budskap');
  });
});
