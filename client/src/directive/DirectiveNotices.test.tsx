import type { SessionInfo, State, StoredEvent } from '@lagesbild/shared';
import { runCommands } from '@lagesbild/shared/test-factories';
import { act, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { playDirectiveSound, showNotification } from '../domain/alert-signals';
import { useConnection } from '../stores/connection';
import { usePicture } from '../stores/picture';
import { useView } from '../stores/view';
import { decideStep, DIRECTIVE_SCENE, directiveScene } from '../test/directive-scene';
import { buildSessionInfo } from '../test/fixtures';
import { setUpUiTests } from '../test/ui';
import { DirectiveNotices } from './DirectiveNotices';

vi.mock('../domain/alert-signals', () => ({
  playActivationSound: vi.fn(),
  playRequestSound: vi.fn(),
  playDirectiveSound: vi.fn(),
  showNotification: vi.fn(() => Promise.resolve()),
}));

setUpUiTests();

const { directiveId, incidentId } = DIRECTIVE_SCENE;
const nacka = buildSessionInfo();
const huddinge = buildSessionInfo({
  user: { id: 'user-huddinge-tib', username: 'huddinge.tib', name: 'Hugo Hed' },
  actorId: 'huddinge',
});
const decider = buildSessionInfo({
  user: { id: 'user-lansstyrelsen-directing', username: 'directing.lansstyrelsen', name: 'Dag Direktör' },
  actorId: 'lansstyrelsen',
  functionIds: ['directing'],
});

const SEQ = 100;
/** The draft waits; then v1 is decided, as the hub's events. */
const drafted = directiveScene({ decided: false });
const decision: StoredEvent[] = runCommands([decideStep(0, 10)], {
  state: drafted,
  firstSeq: SEQ + 1,
}).events;

/** The page caught up with `state`, then shows the notices. */
function caughtUpWith(state: State, session: SessionInfo) {
  act(() => {
    usePicture.getState().replaceWithSnapshot({ epoch: 'e', seq: SEQ, state });
    useConnection
      .getState()
      .setHello({ hubId: 'hub', viewer: { kind: 'actor', actorId: session.actorId }, headSeq: SEQ });
  });
  return render(<DirectiveNotices session={session} />);
}

const decisionArrives = () =>
  act(() => {
    usePicture.getState().foldEvents({ epoch: 'e', events: decision, headSeq: SEQ + decision.length });
  });

describe('a new directive in force', () => {
  beforeEach(() => vi.clearAllMocks());

  it('alerts a summoned actor with a sound, a notification and a notice that opens it', async () => {
    const user = userEvent.setup({ delay: null });
    caughtUpWith(drafted, nacka);
    expect(screen.queryByTestId('directive-notice')).toBeNull();
    decisionArrives();
    expect(playDirectiveSound).toHaveBeenCalledTimes(1);
    expect(showNotification).toHaveBeenCalledWith(
      'NY INRIKTNING: Storm Ylva',
      'Inriktning v1 gäller nu för Storm Ylva. Läs den i Lägesbild.',
      `directive-${directiveId}:v1`,
    );
    const notice = screen.getByTestId('directive-notice');
    expect(notice.textContent).toContain('v1 gäller nu – beslutad av Dag Direktör (Länsstyrelsen');
    await user.click(within(notice).getByRole('button', { name: 'Visa inriktningen' }));
    expect(useView.getState()).toMatchObject({ incidentId, tab: 'directive' });
    expect(screen.queryByTestId('directive-notice')).toBeNull();
  });

  it('does not alert the person who decided it, nor an actor the incident does not summon', () => {
    const first = caughtUpWith(drafted, decider);
    decisionArrives();
    expect(playDirectiveSound).not.toHaveBeenCalled();
    expect(screen.queryByTestId('directive-notice')).toBeNull();
    first.unmount();

    act(() => usePicture.getState().reset());
    caughtUpWith(drafted, huddinge);
    decisionArrives();
    expect(playDirectiveSound).not.toHaveBeenCalled();
    expect(showNotification).not.toHaveBeenCalled();
    expect(screen.queryByTestId('directive-notice')).toBeNull();
  });

  it('does not alert again after a reload for a version decided before', () => {
    caughtUpWith(directiveScene(), nacka);
    act(() => usePicture.getState().foldEvents({ epoch: 'e', events: [], headSeq: SEQ }));
    expect(playDirectiveSound).not.toHaveBeenCalled();
    expect(screen.queryByTestId('directive-notice')).toBeNull();
  });
});
