import type { SessionInfo, StoredEvent } from '@lagesbild/shared';
import {
  buildActivateCommand,
  buildAttribution,
  buildUpdateCommand,
  runCommands,
  stockholmRegion,
  testUuid,
} from '@lagesbild/shared/test-factories';
import { act, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ActivationBanners } from '../components/ActivationBanners';
import { playActivationSound, showNotification } from '../domain/alert-signals';
import { pendingActivations } from '../phone/activation-alert';
import { useConnection } from '../stores/connection';
import { useOutbox } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import { buildSessionInfo } from '../test/fixtures';
import { setUpUiTests } from '../test/ui';
import { initialActivationWatch, watchActivations } from '../wall/activation-watch';
import { useActivationSignals } from './use-activation-signals';

vi.mock('../domain/alert-signals', () => ({
  playActivationSound: vi.fn(),
  playRequestSound: vi.fn(),
  showNotification: vi.fn(() => Promise.resolve()),
}));
vi.mock('../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();

const region = stockholmRegion();
const nackaTib = buildSessionInfo();
const lead = buildAttribution();
const STORM = testUuid(9001);

/**
 * Länsstyrelsen activates for Solna alone, then summons Nacka too: the log as the hub
 * writes it, through the real decide and apply.
 */
const { events } = runCommands([
  {
    command: buildActivateCommand({
      incidentId: STORM,
      title: 'Skyfall i Solna',
      summonedActorIds: ['solna'],
    }),
    by: lead,
  },
  {
    command: buildUpdateCommand({ incidentId: STORM, summonedActorIds: ['solna', 'lansstyrelsen', 'nacka'] }),
    by: lead,
  },
]);
const activation = events.filter((e) => e.type !== 'incident.updated');
const summons = events.filter((e) => e.type === 'incident.updated');

const fold = (batch: StoredEvent[]) =>
  act(() => {
    usePicture.getState().foldEvents({ epoch: 'e', events: batch, headSeq: batch.at(-1)?.seq ?? 0 });
  });

function Signals({ session }: { session: SessionInfo }) {
  useActivationSignals(session);
  return <ActivationBanners session={session} />;
}

/** The page has caught up with an empty log, then the activation arrives live. */
function activatedForSolnaOnly() {
  act(() => {
    usePicture.getState().replaceWithSnapshot({ epoch: 'e', seq: 0, state: usePicture.getState().state });
    useConnection
      .getState()
      .setHello({ hubId: 'hub', viewer: { kind: 'actor', actorId: 'nacka' }, headSeq: 0 });
  });
  render(<Signals session={nackaTib} />);
  fold(activation);
}

describe('an actor summoned after the activation', () => {
  beforeEach(() => vi.clearAllMocks());

  it('is alerted when the summons arrives, with sound, notification and the acknowledge button', async () => {
    const user = userEvent.setup();
    activatedForSolnaOnly();
    // Nacka sees the activation like any other, told it is not summoned.
    expect(playActivationSound).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('activation-banner')).toBeNull();
    vi.clearAllMocks();

    fold(summons);
    expect(playActivationSound).toHaveBeenCalledTimes(1);
    expect(showNotification).toHaveBeenCalledWith(
      'NY AKTIVERING: Skyfall i Solna',
      'Aktiverat läge: Skyfall i Solna. Kvittera i Lägesbild.',
      `summons-${STORM}`,
    );
    const banner = screen.getByTestId('activation-banner');
    expect(banner.textContent).toContain('er aktör är kallad och ska kvittera');
    expect(document.title).toContain('KVITTERA: Skyfall i Solna');

    await user.click(within(banner).getByRole('button', { name: 'Kvittera' }));
    await vi.waitFor(() =>
      expect(Object.values(useOutbox.getState().items).map((i) => i.command)).toEqual([
        expect.objectContaining({ type: 'activation.acknowledge', payload: { incidentId: STORM } }),
      ]),
    );
  });

  it('alerts once for an activation that summons the actor from the start', () => {
    activatedForSolnaOnly();
    vi.clearAllMocks();
    const { events: direct } = runCommands(
      [
        {
          command: buildActivateCommand({ incidentId: testUuid(9002), summonedActorIds: ['nacka'] }),
          by: lead,
        },
      ],
      { state: usePicture.getState().state, firstSeq: 10 },
    );
    fold(direct);
    expect(playActivationSound).toHaveBeenCalledTimes(1);
    expect(showNotification).toHaveBeenCalledTimes(1);
    expect(showNotification).toHaveBeenCalledWith(
      expect.any(String),
      expect.any(String),
      `activation-${testUuid(9002)}`,
    );
  });

  it('does not sound again for a summons that was there before a reload', () => {
    act(() => {
      usePicture.getState().replaceWithSnapshot({ epoch: 'e', seq: 0, state: usePicture.getState().state });
    });
    fold(events);
    act(() =>
      useConnection
        .getState()
        .setHello({ hubId: 'hub', viewer: { kind: 'actor', actorId: 'nacka' }, headSeq: 3 }),
    );
    render(<Signals session={nackaTib} />);
    fold([]);
    expect(playActivationSound).not.toHaveBeenCalled();
    // The banner is there all the same, until Nacka acknowledges.
    expect(screen.getByTestId('activation-banner')).toBeTruthy();
  });

  it('gets the full-screen alert on the phone', () => {
    const before = runCommands([
      { command: buildActivateCommand({ incidentId: STORM, summonedActorIds: ['solna'] }), by: lead },
    ]).state;
    expect(pendingActivations(before, region, 'nacka', [], new Set())).toEqual([]);
    const after = runCommands(
      [
        {
          command: buildUpdateCommand({ incidentId: STORM, summonedActorIds: ['solna', 'nacka'] }),
          by: lead,
        },
      ],
      { state: before, firstSeq: 3 },
    ).state;
    expect(pendingActivations(after, region, 'nacka', [], new Set()).map((i) => i.id)).toEqual([STORM]);
  });

  it('is no new activation to the wall, which showed the room the activation already', () => {
    const before = runCommands([
      { command: buildActivateCommand({ incidentId: STORM, summonedActorIds: ['solna'] }), by: lead },
    ]).state;
    const shown = watchActivations(
      watchActivations(initialActivationWatch(), usePicture.getState().state, true).watch,
      before,
      true,
    );
    expect(shown.announced.map((i) => i.id)).toEqual([STORM]);
    const after = runCommands(
      [
        {
          command: buildUpdateCommand({ incidentId: STORM, summonedActorIds: ['solna', 'nacka'] }),
          by: lead,
        },
      ],
      { state: before, firstSeq: 3 },
    ).state;
    expect(watchActivations(shown.watch, after, true).announced).toEqual([]);
  });
});
