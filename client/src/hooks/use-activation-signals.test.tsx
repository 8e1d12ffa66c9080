import type { SessionInfo, State } from '@lagesbild/shared';
import { buildAttribution, buildIncident, buildState, TEST_NOW } from '@lagesbild/shared/test-factories';
import { act, render } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { playActivationSound, playRequestSound, showNotification } from '../domain/alert-signals';
import { useConnection } from '../stores/connection';
import { usePicture } from '../stores/picture';
import { buildSessionInfo } from '../test/fixtures';
import { setUpUiTests } from '../test/ui';
import { useActivationSignals } from './use-activation-signals';

vi.mock('../domain/alert-signals', () => ({
  playActivationSound: vi.fn(),
  playRequestSound: vi.fn(),
  showNotification: vi.fn(() => Promise.resolve()),
}));

setUpUiTests();

const lansstyrelsenTib = buildSessionInfo({
  user: { id: 'user-lst-tib', username: 'tib.lansstyrelsen', name: 'Lena Lindqvist' },
  actorId: 'lansstyrelsen',
});
const nackaTib = buildSessionInfo();

function Signals({ session }: { session: SessionInfo }) {
  useActivationSignals(session);
  return null;
}

let seq = 1;
const show = (state: State) =>
  act(() => {
    seq += 1;
    usePicture.getState().replaceWithSnapshot({ epoch: 'e', seq, state });
  });

const request = buildIncident({
  status: 'requested',
  title: 'Skyfall i Solna',
  activatedAt: null,
  activatedBy: null,
  requestedAt: TEST_NOW,
  requestedBy: buildAttribution({ userId: 'u-solna', userName: 'Sara Solberg', actorId: 'solna' }),
});

/** Renders the signals on a picture that has caught up with the hub, then a new request arrives. */
function newRequestArrives(session: SessionInfo) {
  show(buildState());
  act(() =>
    useConnection
      .getState()
      .setHello({ hubId: 'hub', viewer: { kind: 'actor', actorId: session.actorId }, headSeq: 0 }),
  );
  render(<Signals session={session} />);
  show(buildState({ incidents: [request] }));
}

describe('signals for a new request for joint handling', () => {
  beforeEach(() => vi.clearAllMocks());

  it('sounds and notifies Länsstyrelsen’s duty officer, who decides, naming who asked', () => {
    newRequestArrives(lansstyrelsenTib);
    expect(playRequestSound).toHaveBeenCalledTimes(1);
    expect(playActivationSound).not.toHaveBeenCalled();
    expect(showNotification).toHaveBeenCalledWith(
      'NY BEGÄRAN OM SAMVERKAN: Skyfall i Solna',
      expect.stringContaining('Sara Solberg (Solna stad)'),
      `request-${request.id}`,
    );
  });

  it('leaves a duty officer who does not decide in peace', () => {
    newRequestArrives(nackaTib);
    expect(playRequestSound).not.toHaveBeenCalled();
    expect(showNotification).not.toHaveBeenCalled();
  });

  it('does not sound again for a request that was there before a reload', () => {
    show(buildState({ incidents: [request] }));
    act(() =>
      useConnection
        .getState()
        .setHello({ hubId: 'hub', viewer: { kind: 'actor', actorId: 'lansstyrelsen' }, headSeq: 0 }),
    );
    render(<Signals session={lansstyrelsenTib} />);
    show(buildState({ incidents: [request] }));
    expect(playRequestSound).not.toHaveBeenCalled();
  });
});
