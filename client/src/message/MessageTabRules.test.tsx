import type { Command, SessionInfo, State } from '@lagesbild/shared';
import {
  buildMessageContent,
  buildMessageText,
  minutesAfterNow,
  runCommands,
} from '@lagesbild/shared/test-factories';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { saveDraft } from '../domain/drafts';
import { toLocalInput } from '../domain/format';
import { useOutbox } from '../stores/outbox';
import { sentCommands, showPicture } from '../test/conference-ui';
import { buildSessionInfo } from '../test/fixtures';
import { MapStub } from '../test/map-stub';
import {
  activationStep,
  closeStep,
  draftStep,
  MESSAGE_SCENE,
  messageScene,
  nackaBy,
  regionBy,
  sessionOf,
  stockholmBy,
  summonStep,
} from '../test/message-scene';
import { setUpUiTests } from '../test/ui';
import { formFromContent, messageDraftKey, type MessageForm } from './message-form';
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
const region = sessionOf(regionBy);
const viewer = buildSessionInfo({
  user: { id: 'user-viewer', username: 'viewer', name: 'Vera Visare' },
  actorId: 'stockholm',
  functionIds: ['viewer'],
});
const keptKey = (session: SessionInfo) => `lagesbild.draft.${messageDraftKey(session.user.id, incidentId)}`;

function renderTab(session: SessionInfo, state: State) {
  showPicture(state);
  const incident = state.incidents[incidentId];
  if (!incident) throw new Error('no incident');
  return render(<MessageTab session={session} incident={incident} />);
}

/** Shows a later picture, as the hub's events would. */
const later = (state: State, seq = 300) => act(() => showPicture(state, seq));

/** The only command sent, of the type expected. */
async function onlyCommand<T extends Command['type']>(type: T): Promise<Extract<Command, { type: T }>> {
  const [command, ...rest] = await sentCommands(1);
  expect(rest).toEqual([]);
  if (command?.type !== type) throw new Error(`sent ${command?.type}`);
  return command as Extract<Command, { type: T }>;
}

/** The outbox marks every item sent, as when the server has accepted them. */
const markAllSent = () =>
  act(() => {
    for (const item of Object.values(useOutbox.getState().items)) {
      useOutbox.getState().upsert({ ...item, status: 'sent', seq: 90 });
    }
  });

const checkbox = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;
const withHeadline = (headline: string) =>
  buildMessageContent({ texts: { sv: buildMessageText({ headline }), en: null, svEasy: null } });

// Generous: a shared two-core machine types slowly.
describe('the message tab keeps to the server’s rules', { timeout: 30_000 }, () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(minutesAfterNow(60)));
  });
  afterEach(() => vi.useRealTimers());

  describe('approvers', () => {
    // Nacka is named on v1, then left out of the incident.
    const nackaLeftOut = () =>
      messageScene({ more: [summonStep(['lansstyrelsen', 'region-stockholm', 'stockholm'], 20)] });

    it('lets the owner see and untick an approver no longer summoned, and not save with it', async () => {
      const user = userEvent.setup({ delay: null });
      renderTab(stockholm, nackaLeftOut());
      await user.click(screen.getByTestId('message-begin'));
      const owner = checkbox('approver-stockholm');
      expect(owner.checked && owner.disabled).toBe(true);
      expect(owner.parentElement?.textContent).toContain('(ägare, krävs)');
      const gone = checkbox('approver-nacka');
      expect(gone.checked).toBe(true);
      expect(gone.disabled).toBe(false);
      expect(screen.getByTestId('approver-gone-nacka').textContent).toContain('inte längre kallad');

      await user.click(screen.getByTestId('message-save'));
      expect(
        within(screen.getByTestId('message-approvers')).getByText(
          'En aktör i listan är inte längre kallad till händelsen och kan inte godkänna. Bocka ur den.',
        ),
      ).toBeTruthy();
      expect(Object.keys(useOutbox.getState().items)).toHaveLength(0);

      await user.click(gone);
      await user.click(screen.getByTestId('message-save'));
      const command = await onlyCommand('jointMessage.draft');
      expect(command.payload.approverActorIds).toEqual(['stockholm', 'region-stockholm']);
    });

    it('tells another drafter that only the owner can remove an approver, and sends nothing', async () => {
      const user = userEvent.setup({ delay: null });
      renderTab(region, nackaLeftOut());
      await user.click(screen.getByTestId('message-begin'));
      for (const id of ['stockholm', 'nacka']) {
        expect(checkbox(`approver-${id}`).checked && checkbox(`approver-${id}`).disabled).toBe(true);
      }
      expect(screen.getByTestId('message-approvers-hint').textContent).toContain(
        'Bara ägaren av frågan, Stockholms stad, kan ta bort en aktör som fanns med i v1.',
      );
      await user.click(screen.getByTestId('message-save'));
      expect(
        screen.getByText(
          'En aktör i listan är inte längre kallad till händelsen. Bara ägaren av frågan kan ta bort den: be ägaren spara nästa version.',
        ),
      ).toBeTruthy();
      expect(Object.keys(useOutbox.getState().items)).toHaveLength(0);
    });

    it('tells a named actor left out of the incident why it cannot answer', () => {
      renderTab(nacka, nackaLeftOut());
      expect(screen.queryByTestId('message-approve')).toBeNull();
      expect(screen.queryByTestId('message-request-change')).toBeNull();
      expect(screen.getByTestId('message-sign-off-not-taking-part').textContent).toBe(
        'Nacka kommun är inte längre kallad till händelsen och kan därför inte godkänna eller begära ändring.',
      );
    });

    it('words the hint by whether the drafter’s save is an approval', async () => {
      const user = userEvent.setup({ delay: null });
      const coordinator = buildSessionInfo({
        user: { id: 'user-stockholm-coordinator', username: 'sthlm.samordnare', name: 'Sam Samordnare' },
        actorId: 'stockholm',
        functionIds: ['coordinator'],
      });
      const start = runCommands([activationStep()]).state;
      const first = renderTab(coordinator, start);
      await user.click(screen.getByTestId('message-begin'));
      expect(screen.getByTestId('message-approvers-hint').textContent).toContain(
        'Din sparning räknas inte som godkännande: en kommunikatör eller tjänsteman i beredskap hos Stockholms stad godkänner.',
      );
      first.unmount();
      renderTab(stockholm, start);
      await user.click(screen.getByTestId('message-begin'));
      expect(screen.getByTestId('message-approvers-hint').textContent).toContain(
        'Din egen aktör godkänner när du sparar.',
      );
    });

    it('counts and marks only the latest version’s approvers when the owner dropped one', () => {
      const state = messageScene({
        agreed: true,
        more: [draftStep(1, 30, buildMessageContent(), stockholmBy, ['stockholm', 'nacka'])],
      });
      renderTab(nacka, state);
      expect(screen.getByTestId('signoff-summary').textContent).toBe('1 av 2 har godkänt v2.');
      const dropped = screen.getByTestId('signoff-region-stockholm');
      expect(dropped.className).not.toContain('row--missing');
      expect(dropped.textContent).toContain('inte med i senaste versionen');
      expect(screen.getByTestId('signoff-nacka').className).toContain('row--missing');
    });
  });

  describe('the editor', () => {
    it('refuses a validity that has already ended, and sends nothing', async () => {
      const user = userEvent.setup({ delay: null });
      renderTab(stockholm, runCommands([activationStep()]).state);
      await user.click(screen.getByTestId('message-begin'));
      const editor = screen.getByTestId('message-editor');
      fireEvent.change(within(editor).getByLabelText(/^Rubrik \(Svenska\)/), { target: { value: 'Storm' } });
      fireEvent.change(within(editor).getByLabelText(/^Kärnbudskap \(Svenska\)/), {
        target: { value: 'Stormen når Stockholm.' },
      });
      fireEvent.change(within(editor).getByTestId('message-valid-from'), {
        target: { value: toLocalInput(minutesAfterNow(-120)) },
      });
      fireEvent.change(within(editor).getByTestId('message-valid-until'), {
        target: { value: toLocalInput(minutesAfterNow(-30)) },
      });
      await user.click(screen.getByTestId('message-save'));
      expect(within(editor).getByTestId('message-valid-until').getAttribute('aria-invalid')).toBe('true');
      expect(within(editor).getByText('”Gäller till” har redan passerats. Ange en tid framåt.')).toBeTruthy();
      expect(Object.keys(useOutbox.getState().items)).toHaveLength(0);
    });

    it('starts a new version of an expired message valid from now, for as long as before', async () => {
      const user = userEvent.setup({ delay: null });
      // v1 is valid for twelve hours from the test clock; thirteen hours in it has ended.
      vi.setSystemTime(new Date(minutesAfterNow(13 * 60)));
      renderTab(stockholm, messageScene({ agreed: true }));
      await user.click(screen.getByTestId('message-begin'));
      expect((screen.getByTestId('message-valid-from') as HTMLInputElement).value).toBe(
        toLocalInput(minutesAfterNow(13 * 60)),
      );
      expect((screen.getByTestId('message-valid-until') as HTMLInputElement).value).toBe(
        toLocalInput(minutesAfterNow(25 * 60)),
      );
      expect(screen.getByTestId('message-validity-renewed').textContent).toBe(
        'v1 har slutat gälla, så den nya versionen gäller från nu, lika länge som förut.',
      );
    });

    it('keeps whether it is an exercise from v2 on, and says why', async () => {
      const user = userEvent.setup({ delay: null });
      renderTab(stockholm, messageScene({ agreed: true }));
      await user.click(screen.getByTestId('message-begin'));
      const exercise = checkbox('message-exercise-check');
      expect(exercise.disabled).toBe(true);
      expect(exercise.checked).toBe(false);
      expect(exercise.getAttribute('aria-describedby')).toBe(screen.getByTestId('message-exercise-fixed').id);
    });

    it('says an area outside the region is outside, and sends nothing', async () => {
      const user = userEvent.setup({ delay: null });
      const state = runCommands([activationStep()]).state;
      // A draft kept on the device whose outline lies in New York.
      const form: MessageForm = {
        ...formFromContent(buildMessageContent(), ['stockholm']),
        polygon: [
          [-74, 40.7],
          [-74.1, 40.7],
          [-74.1, 40.8],
        ],
      };
      saveDraft(messageDraftKey(stockholm.user.id, incidentId), { messageId, baseVersion: 0, form });
      renderTab(stockholm, state);
      await user.click(screen.getByTestId('message-save'));
      expect(screen.getByText('Området ligger utanför regionen. Rita det inom regionen.')).toBeTruthy();
      expect(Object.keys(useOutbox.getState().items)).toHaveLength(0);
    });

    it('drops the kept draft once a save accepted after the editor closed has gone through: no duplicate', async () => {
      const user = userEvent.setup({ delay: null });
      const state = messageScene({ agreed: true });
      const first = renderTab(stockholm, state);
      await user.click(screen.getByTestId('message-begin'));
      fireEvent.change(screen.getByLabelText(/^Rubrik \(Svenska\)/), { target: { value: 'Ny rubrik' } });
      await user.click(screen.getByTestId('message-save'));
      const [command] = await sentCommands(1);
      // The user goes elsewhere before the server has answered.
      first.unmount();
      expect(localStorage.getItem(keptKey(stockholm))).toContain('Ny rubrik');
      markAllSent();
      expect(localStorage.getItem(keptKey(stockholm))).toBeNull();

      if (!command) throw new Error('nothing sent');
      renderTab(stockholm, runCommands([{ command, by: stockholmBy }], { state, firstSeq: 90 }).state);
      expect(screen.queryByTestId('message-editor')).toBeNull();
      expect(screen.getByTestId('message-begin').textContent).toBe('Ändra budskapet (blir v3)');
    });

    it('on opening, drops a kept draft that says what a version the user saved says', async () => {
      const user = userEvent.setup({ delay: null });
      const state = messageScene({ agreed: true });
      const first = renderTab(stockholm, state);
      await user.click(screen.getByTestId('message-begin'));
      fireEvent.change(screen.getByLabelText(/^Rubrik \(Svenska\)/), { target: { value: 'Ny rubrik' } });
      await user.click(screen.getByTestId('message-save'));
      const [command] = await sentCommands(1);
      first.unmount();
      if (!command) throw new Error('nothing sent');
      // The save went through while this page was not looking (another tab, a reload).
      renderTab(stockholm, runCommands([{ command, by: stockholmBy }], { state, firstSeq: 90 }).state);
      expect(screen.queryByTestId('message-editor')).toBeNull();
      expect(localStorage.getItem(keptKey(stockholm))).toBeNull();
      expect(screen.getByTestId('message-latest').textContent).toContain('Ny rubrik');
    });

    it('shows a kept draft only to read once the incident is closed', async () => {
      const user = userEvent.setup({ delay: null });
      const form = formFromContent(withHeadline('Mitt utkast'), [...MESSAGE_SCENE.approvers]);
      saveDraft(messageDraftKey(stockholm.user.id, incidentId), { messageId, baseVersion: 1, form });
      renderTab(stockholm, messageScene({ agreed: true, more: [closeStep(30)] }));
      expect(screen.queryByTestId('message-editor')).toBeNull();
      expect(screen.queryByTestId('message-begin')).toBeNull();
      const kept = screen.getByTestId('message-kept-readonly');
      expect(kept.textContent).toContain('Mitt utkast');
      expect(kept.textContent).toContain('Händelsen är avslutad, så budskapet kan inte längre ändras.');
      expect(within(kept).queryByRole('textbox')).toBeNull();
      await user.click(within(kept).getByRole('button', { name: 'Släng utkastet' }));
      expect(screen.queryByTestId('message-kept-readonly')).toBeNull();
      expect(localStorage.getItem(keptKey(stockholm))).toBeNull();
    });
  });

  describe('signing off, publishing and withdrawing', () => {
    it('approves with an optional comment', async () => {
      const user = userEvent.setup({ delay: null });
      renderTab(nacka, messageScene());
      fireEvent.change(screen.getByLabelText(/^Kommentar \(frivillig\)/), {
        target: { value: 'Bra, tydligt om trygghetspunkten' },
      });
      await user.click(screen.getByTestId('message-approve'));
      const command = await onlyCommand('jointMessage.approve');
      expect(command.payload).toEqual({
        messageId,
        version: 1,
        forActorId: 'nacka',
        comment: 'Bra, tydligt om trygghetspunkten',
      });
    });

    it('keeps the version the user reads when a newer one arrives, and asks for a fresh click on it', async () => {
      const user = userEvent.setup({ delay: null });
      const state = messageScene();
      renderTab(nacka, state);
      expect(screen.getByTestId('message-approve').textContent).toBe('Godkänn v1 för Nacka kommun');
      later(runCommands([draftStep(1, 30, withHeadline('Ändrad rubrik'))], { state, firstSeq: 80 }).state);

      expect(screen.queryByTestId('message-approve')).toBeNull();
      expect(screen.getByTestId('message-newer-arrived').textContent).toContain(
        'En ny version har kommit – läs den innan du godkänner',
      );
      expect(screen.getByTestId('message-latest').textContent).not.toContain('Ändrad rubrik');
      await user.click(screen.getByRole('button', { name: 'Läs v2' }));
      expect(screen.getByTestId('message-latest').textContent).toContain('Ändrad rubrik');
      await user.click(screen.getByRole('button', { name: 'Godkänn v2 för Nacka kommun' }));
      const command = await onlyCommand('jointMessage.approve');
      expect(command.payload).toMatchObject({ version: 2 });
    });

    it('records a publication at the time it is sent, not the time the page was opened', async () => {
      const user = userEvent.setup({ delay: null });
      renderTab(nacka, messageScene({ agreed: true }));
      expect((screen.getByTestId('message-published-at') as HTMLInputElement).value).toBe(
        toLocalInput(minutesAfterNow(60)),
      );
      vi.setSystemTime(new Date(minutesAfterNow(150)));
      await user.click(screen.getByTestId('publication-web'));
      await user.click(screen.getByTestId('message-publish'));
      const command = await onlyCommand('jointMessage.publish');
      expect(command.payload.publishedAt).toBe(minutesAfterNow(150));
      markAllSent();
      // Once recorded the form starts afresh: nothing chosen, the time "now" again.
      await vi.waitFor(() => expect(checkbox('publication-web').checked).toBe(false));

      // A time before the agreement is refused here, as the server would.
      fireEvent.change(screen.getByTestId('message-published-at'), {
        target: { value: toLocalInput(minutesAfterNow(-30)) },
      });
      await user.click(screen.getByTestId('publication-social'));
      await user.click(screen.getByTestId('message-publish'));
      expect(screen.getByText('Tidpunkten ligger före den tid då v1 samordnades.')).toBeTruthy();
      expect(Object.keys(useOutbox.getState().items)).toHaveLength(1);
    });

    it('offers withdrawal after the incident is closed, but no approving or editing', () => {
      renderTab(nacka, messageScene({ agreed: true, more: [closeStep(30)] }));
      expect(screen.getByTestId('message-cancel-open')).toBeTruthy();
      expect(screen.queryByTestId('message-approve')).toBeNull();
      expect(screen.queryByTestId('message-begin')).toBeNull();
    });
  });

  describe('those who neither draft nor sign off', () => {
    it('see only agreed versions', () => {
      const state = messageScene({ agreed: true, more: [draftStep(1, 30, withHeadline('Utkast till v2'))] });
      renderTab(viewer, state);
      expect(screen.getByTestId('message-status').getAttribute('data-stage')).toBe('agreed');
      expect(screen.getByTestId('message-latest').textContent).toContain(buildMessageText().headline);
      expect(screen.getByTestId('message-tab').textContent).not.toContain('Utkast till v2');
      expect(screen.queryByTestId('message-version-2')).toBeNull();
      expect(screen.getByTestId('message-version-1')).toBeTruthy();
    });

    it('are told a message is being agreed before any version is', () => {
      renderTab(viewer, messageScene());
      expect(screen.queryByTestId('message-status')).toBeNull();
      expect(screen.getByTestId('message-not-agreed-yet').textContent).toBe(
        'Ett budskap håller på att samordnas. Det visas här när alla utpekade aktörer har godkänt det.',
      );
    });
  });
});
