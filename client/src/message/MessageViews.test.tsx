import { buildMessageContent, minutesAfterNow, runCommands } from '@lagesbild/shared/test-factories';
import { act, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useConnection } from '../stores/connection';
import { useView } from '../stores/view';
import { seriousViolations, showPicture } from '../test/conference-ui';
import { buildSessionInfo } from '../test/fixtures';
import {
  activationStep,
  approveStep,
  closeStep,
  draftStep,
  MESSAGE_SCENE,
  messageScene,
  nackaBy,
  regionBy,
  sessionOf,
  stockholmBy,
} from '../test/message-scene';
import { setUpUiTests } from '../test/ui';
import { CommunicatorView } from './CommunicatorView';
import { CurrentMessage } from './CurrentMessage';
import { MessageNotices } from './MessageNotices';
import { messageNoticeKeys } from './use-message-signals';

vi.mock('../domain/alert-signals', () => ({
  playDirectiveSound: vi.fn(),
  showNotification: vi.fn(async () => undefined),
}));

setUpUiTests();

const { incidentId } = MESSAGE_SCENE;
const stockholm = sessionOf(stockholmBy);
const nacka = sessionOf(nackaBy);

// The scene's message is valid for twelve hours from the test clock: an hour in, it stands.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(minutesAfterNow(60)));
});
afterEach(() => vi.useRealTimers());

describe('the agreed message at the top of the incident', () => {
  it('shows nothing before agreement, then the agreed headline, core and what to do', () => {
    const draft = messageScene();
    showPicture(draft);
    const incident = draft.incidents[incidentId];
    if (!incident) throw new Error('no incident');
    const { rerender, container } = render(<CurrentMessage incident={incident} />);
    expect(screen.queryByTestId('message-current')).toBeNull();

    act(() => showPicture(messageScene({ agreed: true }), 200));
    rerender(<CurrentMessage incident={incident} />);
    const current = screen.getByTestId('message-current');
    const content = buildMessageContent();
    expect(within(current).getByRole('heading').textContent).toBe('Samordnat budskap (v1)');
    expect(current.textContent).toContain(content.texts.sv.headline);
    expect(current.textContent).toContain(content.texts.sv.core);
    expect(current.textContent).toContain(content.texts.sv.whatToDo);
    expect(within(current).queryByTestId('message-exercise')).toBeNull();
    within(current).getByRole('button', { name: 'Visa hela budskapet' }).click();
    expect(useView.getState().tab).toBe('message');
    return seriousViolations(container).then((v) => expect(v).toEqual([]));
  });

  it('marks an exercise ÖVNING and keeps the agreed version while a change awaits approval', () => {
    const state = runCommands([
      activationStep(),
      draftStep(0, 5, buildMessageContent({ exercise: true })),
      approveStep(1, nackaBy, 10),
      approveStep(1, regionBy, 12),
      draftStep(1, 30, buildMessageContent({ exercise: true })),
    ]).state;
    showPicture(state);
    const incident = state.incidents[incidentId];
    if (!incident) throw new Error('no incident');
    render(<CurrentMessage incident={incident} />);
    const current = screen.getByTestId('message-current');
    expect(within(current).getByRole('heading').textContent).toBe('Samordnat budskap (v1) ÖVNING');
    expect(within(current).getByTestId('message-current-pending').textContent).toBe(
      'En ändring (v2) väntar på godkännande.',
    );
  });
});

describe('an agreed message whose validity has ended', () => {
  it('says "gällde till" on the incident instead of passing for the message that stands', () => {
    vi.setSystemTime(new Date(minutesAfterNow(13 * 60)));
    const state = messageScene({ agreed: true });
    showPicture(state);
    const incident = state.incidents[incidentId];
    if (!incident) throw new Error('no incident');
    render(<CurrentMessage incident={incident} />);
    const current = screen.getByTestId('message-current');
    expect(within(current).getByRole('heading').textContent).toBe(
      'Samordnat budskap (v1) – gäller inte längre',
    );
    expect(within(current).getByTestId('message-current-expired').textContent).toMatch(/^Gällde till /);
    expect(current.textContent).not.toContain('Gäller:');
  });
});

describe('the communicator’s own view', () => {
  it('lists what awaits the actor’s approval, what it has not published, and every message', () => {
    const state = messageScene();
    showPicture(state);
    const { unmount } = render(<CommunicatorView session={nacka} />);
    const view = screen.getByTestId('communicator-view');
    const awaiting = within(view).getByTestId('communicator-awaiting');
    expect(within(awaiting).getByRole('heading').textContent).toBe(
      'Väntar på godkännande från Nacka kommun (1)',
    );
    expect(awaiting.textContent).toContain('Storm Ylva');
    expect(within(view).getByTestId('communicator-unpublished').textContent).toContain(
      'Allt samordnat är publicerat.',
    );
    expect(within(view).getByTestId('communicator-all').textContent).toContain('Utkast');
    unmount();

    // Agreed: nothing awaits Nacka; it has not published yet.
    showPicture(messageScene({ agreed: true }), 200);
    render(<CommunicatorView session={nacka} />);
    expect(screen.getByTestId('communicator-awaiting').textContent).toContain(
      'Inget väntar på ert godkännande.',
    );
    const unpublished = screen.getByTestId('communicator-unpublished');
    expect(within(unpublished).getByRole('heading').textContent).toBe(
      'Samordnat men inte publicerat av Nacka kommun (1)',
    );
    within(unpublished).getByRole('button', { name: 'Öppna: Storm Ylva' }).click();
    expect(useView.getState()).toMatchObject({ incidentId, tab: 'message' });
  });

  it('leaves out closed incidents, incidents the actor is not in, and expired messages', () => {
    // Closed: nothing awaits approval or publication, and it is not listed.
    showPicture(messageScene({ more: [closeStep(30)] }));
    const closed = render(<CommunicatorView session={nacka} />);
    expect(screen.getByTestId('communicator-awaiting').textContent).toContain(
      'Inget väntar på ert godkännande.',
    );
    expect(screen.getByTestId('communicator-all').textContent).toContain('Inga budskap ännu.');
    closed.unmount();

    // Not summoned: Polisen sees none of Storm Ylva's message.
    showPicture(messageScene({ agreed: true }), 200);
    const polisen = buildSessionInfo({
      user: { id: 'user-polisen-communicator', username: 'p', name: 'Per Polis' },
      actorId: 'polisen',
      functionIds: ['communicator'],
    });
    const outside = render(<CommunicatorView session={polisen} />);
    expect(screen.getByTestId('communicator-unpublished').textContent).toContain(
      'Allt samordnat är publicerat.',
    );
    expect(screen.getByTestId('communicator-all').textContent).toContain('Inga budskap ännu.');
    outside.unmount();

    // Expired: no longer to be published.
    vi.setSystemTime(new Date(minutesAfterNow(13 * 60)));
    render(<CommunicatorView session={nacka} />);
    expect(screen.getByTestId('communicator-unpublished').textContent).toContain(
      'Allt samordnat är publicerat.',
    );
  });
});

describe('the alerts of joint messages', () => {
  it('tells the summoned actors’ communicators of a new version, but not the one who saved it', () => {
    const state = messageScene();
    expect(messageNoticeKeys(state, nacka).map((n) => [n.kind, n.version])).toEqual([['newVersion', 1]]);
    expect(messageNoticeKeys(state, stockholm)).toEqual([]);
    // Not summoned, or not signing off: no alert.
    const polisen = buildSessionInfo({
      user: { id: 'user-polisen-communicator', username: 'p', name: 'Per Polis' },
      actorId: 'polisen',
      functionIds: ['communicator'],
    });
    expect(messageNoticeKeys(state, polisen)).toEqual([]);
    expect(messageNoticeKeys(state, buildSessionInfo({ functionIds: ['viewer'] }))).toEqual([]);
  });

  it('says "to approve" only to an actor named that has not approved', () => {
    const state = messageScene();
    expect(messageNoticeKeys(state, nacka).map((n) => n.toApprove)).toEqual([true]);
    // The lead actor's duty officer is told of the new version, not asked to approve it.
    const lead = buildSessionInfo({
      user: { id: 'user-lansstyrelsen-tib', username: 'lst', name: 'Lena Lindqvist' },
      actorId: 'lansstyrelsen',
    });
    expect(messageNoticeKeys(state, lead).map((n) => [n.kind, n.toApprove])).toEqual([['newVersion', false]]);
  });

  it('drops a shown notice once its reason is gone: the user’s own approval agreed the version', () => {
    const before = runCommands([activationStep()]).state;
    act(() => {
      showPicture(before, 10);
      useConnection.setState({ helloHeadSeq: 10 });
    });
    const region = sessionOf(regionBy);
    render(<MessageNotices session={region} />);
    const drafted = messageScene({ more: [approveStep(1, nackaBy, 10)] });
    act(() => showPicture(drafted, 20));
    expect(screen.getByTestId('message-notice').textContent).toContain('NYTT BUDSKAP ATT GODKÄNNA');
    const agreed = runCommands([approveStep(1, regionBy, 30)], { state: drafted, firstSeq: 80 }).state;
    act(() => showPicture(agreed, 90));
    expect(screen.queryByTestId('message-notice')).toBeNull();
  });

  it('tells of a version to those not named as news, not as something to approve', () => {
    const before = runCommands([activationStep()]).state;
    act(() => {
      showPicture(before, 10);
      useConnection.setState({ helloHeadSeq: 10 });
    });
    const lead = buildSessionInfo({
      user: { id: 'user-lansstyrelsen-tib', username: 'lst', name: 'Lena Lindqvist' },
      actorId: 'lansstyrelsen',
    });
    render(<MessageNotices session={lead} />);
    act(() => showPicture(messageScene(), 20));
    const notice = screen.getByTestId('message-notice');
    expect(notice.textContent).toContain('NY VERSION AV BUDSKAPET');
    expect(notice.textContent).not.toContain('ATT GODKÄNNA');
  });

  it('tells of agreement everybody but the one whose approval completed it', () => {
    const state = messageScene({ agreed: true });
    expect(messageNoticeKeys(state, stockholm).map((n) => n.id)).toEqual([
      `${MESSAGE_SCENE.messageId}:v1:agreed`,
    ]);
    expect(messageNoticeKeys(state, sessionOf(regionBy))).toEqual([]);
  });

  it('shows a notice for a version saved after the page caught up, and opens the message tab', () => {
    const before = runCommands([activationStep()]).state;
    act(() => {
      showPicture(before, 10);
      useConnection.setState({ helloHeadSeq: 10 });
    });
    render(<MessageNotices session={nacka} />);
    expect(screen.queryByTestId('message-notice')).toBeNull();
    act(() => showPicture(messageScene(), 20));
    const notice = screen.getByTestId('message-notice');
    expect(notice.textContent).toContain('NYTT BUDSKAP ATT GODKÄNNA');
    expect(notice.textContent).toContain('v1 sparad av Sara Stad (Stockholms stad)');
    within(notice).getByRole('button', { name: 'Visa budskapet' }).click();
    expect(useView.getState()).toMatchObject({ incidentId, tab: 'message' });
  });
});
