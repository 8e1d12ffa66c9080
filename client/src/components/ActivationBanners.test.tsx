import {
  buildAttribution,
  buildIncident,
  buildState,
  runCommands,
  buildActivateCommand,
} from '@lagesbild/shared/test-factories';
import { act, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import i18next from 'i18next';
import { describe, expect, it, vi } from 'vitest';
import { useOutbox } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import { buildSessionInfo } from '../test/fixtures';
import { setUpUiTests } from '../test/ui';
import { ActivationBanners } from './ActivationBanners';

vi.mock('../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();

const show = (incidents: ReturnType<typeof buildIncident>[]) =>
  usePicture.getState().replaceWithSnapshot({ epoch: 'e', seq: 1, state: buildState({ incidents }) });

describe('ActivationBanners', () => {
  it('asks the summoned duty officer to acknowledge, with one click', async () => {
    const user = userEvent.setup();
    const storm = buildIncident({ title: 'Storm Ylva' });
    show([storm]);
    render(<ActivationBanners session={buildSessionInfo()} />);

    const banner = screen.getByTestId('activation-banner');
    expect(banner.textContent).toContain('NY AKTIVERING');
    expect(banner.textContent).toContain('Storm Ylva');
    await user.click(screen.getByRole('button', { name: 'Kvittera' }));

    await vi.waitFor(() =>
      expect(Object.values(useOutbox.getState().items).map((i) => i.command)).toEqual([
        expect.objectContaining({ type: 'activation.acknowledge', payload: { incidentId: storm.id } }),
      ]),
    );
    // Offline: the button says it is queued and cannot be pressed twice.
    const button = await screen.findByRole('button', { name: 'Kvittensen är köad' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
  });

  it('goes away once the actor has acknowledged', () => {
    const storm = buildIncident({ title: 'Storm Ylva' });
    show([storm]);
    render(<ActivationBanners session={buildSessionInfo()} />);
    expect(screen.getByTestId('activation-banner')).toBeTruthy();

    act(() =>
      show([
        {
          ...storm,
          acknowledgements: {
            nacka: {
              at: '2024-05-01T08:01:00.000Z',
              by: { userId: 'u', userName: 'Nils Nord', actorId: 'nacka', functionId: 'dutyOfficer' },
              seq: 2,
            },
          },
        },
      ]),
    );
    expect(screen.queryByTestId('activation-banner')).toBeNull();
  });

  it('tells an actor that is not summoned, and lets it close the message', async () => {
    const user = userEvent.setup();
    show([buildIncident({ title: 'Brand i Solna', summonedActorIds: ['solna'] })]);
    render(<ActivationBanners session={buildSessionInfo()} />);
    expect(screen.queryByTestId('activation-banner')).toBeNull();
    expect(screen.getByText(/er aktör är inte kallad/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Stäng meddelandet' }));
    expect(screen.queryByText(/Brand i Solna/)).toBeNull();
  });

  it('shows a duty officer without the right to acknowledge who must do it', () => {
    show([buildIncident()]);
    render(<ActivationBanners session={buildSessionInfo({ functionIds: ['communicator'] })} />);
    expect(screen.queryByRole('button', { name: 'Kvittera' })).toBeNull();
    expect(screen.getByText('Er tjänsteman i beredskap behöver kvittera.')).toBeTruthy();
  });

  it('says when and by whom the actor acknowledged, where the button was, until closed', async () => {
    const user = userEvent.setup();
    const storm = buildIncident({ title: 'Storm Ylva' });
    show([storm]);
    render(<ActivationBanners session={buildSessionInfo()} />);
    expect(screen.getByRole('button', { name: 'Kvittera' })).toBeTruthy();

    const by = buildAttribution({ userId: 'user-nacka-tib', userName: 'TiB Nacka', actorId: 'nacka' });
    act(() =>
      show([{ ...storm, acknowledgements: { nacka: { at: '2024-05-01T07:09:00.000Z', by, seq: 2 } } }]),
    );
    expect(screen.queryByRole('button', { name: 'Kvittera' })).toBeNull();
    const confirmation = screen.getByTestId('acknowledged-banner');
    expect(confirmation.textContent).toContain('Storm Ylva');
    expect(screen.getByTestId('acknowledged-by').textContent).toBe('Kvitterat 07:09 av TiB Nacka');

    await user.click(screen.getByRole('button', { name: 'Stäng meddelandet' }));
    expect(screen.queryByTestId('acknowledged-banner')).toBeNull();
  });

  it('says it in English too, with the actor first and the person behind a personal account', () => {
    const storm = buildIncident({ title: 'Storm Ylva' });
    show([storm]);
    render(<ActivationBanners session={buildSessionInfo()} />);
    const by = buildAttribution({ userId: 'user-nacka-tib', userName: 'Nils Nord', actorId: 'nacka' });
    act(() => {
      void i18next.changeLanguage('en');
      show([{ ...storm, acknowledgements: { nacka: { at: '2024-05-01T07:09:00.000Z', by, seq: 2 } } }]);
    });
    expect(screen.getByTestId('acknowledged-by').textContent).toBe(
      'Acknowledged 07:09 by Nacka duty officer (Nils Nord)',
    );
  });

  it('never tells the activating actor it is not summoned: it has acknowledged by activating', () => {
    const { state } = runCommands([
      { command: buildActivateCommand({ title: 'Brand i Nacka', summonedActorIds: ['nacka'] }) },
    ]);
    usePicture.getState().replaceWithSnapshot({ epoch: 'e', seq: 2, state });
    const lansstyrelsen = buildSessionInfo({
      user: { id: 'user-lansstyrelsen-tib', username: 'tib.lansstyrelsen', name: 'Lena Län' },
      actorId: 'lansstyrelsen',
    });
    render(<ActivationBanners session={lansstyrelsen} />);
    expect(screen.queryByText(/er aktör är inte kallad/)).toBeNull();
    expect(screen.queryByTestId('activation-banner')).toBeNull();
  });
});
