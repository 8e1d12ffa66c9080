import {
  buildAttribution,
  buildCheckin,
  buildIncident,
  buildState,
  minutesAfterNow,
} from '@lagesbild/shared/test-factories';
import { checkinSummary, type Command, type State } from '@lagesbild/shared';
import { act, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { useOutbox } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import { buildSessionInfo } from '../test/fixtures';
import { MapStub } from '../test/map-stub';
import { setUpUiTests } from '../test/ui';
import { PhonePage } from './PhonePage';

vi.mock('../map/LazyMap', () => ({ LazyMap: MapStub }));
vi.mock('../domain/alert-signals', () => ({ playActivationSound: vi.fn() }));
vi.mock('../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();

const nackaTib = buildSessionInfo();
const nackaField = buildSessionInfo({
  user: { id: 'user-nacka-field', username: 'falt.nacka', name: 'Frida Fält' },
  functionIds: ['field'],
});
const nackaViewer = buildSessionInfo({
  user: { id: 'user-nacka-viewer', username: 'lasare.nacka', name: 'Lisa Läsare' },
  functionIds: ['viewer'],
});

const show = (state: State) =>
  act(() => usePicture.getState().replaceWithSnapshot({ epoch: 'e', seq: 1, state }));

/** The commands waiting in the outbox, oldest first. */
const queued = (): Command[] =>
  Object.values(useOutbox.getState().items)
    .sort((a, b) => a.order - b.order)
    .map((item) => item.command);

describe('PhonePage', () => {
  it('covers the page for an activation of my actor, and one tap acknowledges through the outbox', async () => {
    const storm = buildIncident({ title: 'Storm Ylva', summonedActorIds: ['lansstyrelsen', 'nacka'] });
    show(buildState({ incidents: [storm] }));
    render(<PhonePage session={nackaTib} live />);

    const alert = screen.getByRole('alertdialog');
    expect(alert.textContent).toContain('AKTIVERING');
    expect(alert.textContent).toContain('Storm Ylva');
    expect(alert.textContent).toContain('Nacka kommun är kallad till samverkan.');
    await userEvent.click(within(alert).getByRole('button', { name: 'Kvittera' }));

    await vi.waitFor(() =>
      expect(queued()).toMatchObject([{ type: 'activation.acknowledge', payload: { incidentId: storm.id } }]),
    );
    // A confirmation replaces the alert: queued while offline, then when and by whom.
    const confirmation = await screen.findByTestId('acknowledged-screen');
    expect(confirmation.textContent).toContain('KVITTERAT');
    expect(screen.getByTestId('acknowledged-by').textContent).toBe(
      'Kvittensen är sparad och skickas så snart telefonen har kontakt.',
    );
    const acknowledgement = {
      at: '2024-05-01T07:09:00.000Z',
      by: buildAttribution({ userId: 'user-nacka-tib', userName: 'TiB Nacka', actorId: 'nacka' }),
      seq: 2,
    };
    show(buildState({ incidents: [{ ...storm, acknowledgements: { nacka: acknowledgement } }] }));
    expect(screen.getByTestId('acknowledged-by').textContent).toBe('Kvitterat 07:09 av TiB Nacka');

    await userEvent.click(screen.getByRole('button', { name: 'Till händelsen' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    const mode = screen.getByTestId('phone-mode');
    expect(within(mode).getByTestId('mode').textContent).toBe('AKTIVERAT LÄGE');
    expect(within(mode).getByTestId('phone-mode-incident').textContent).toContain(
      'Händelse: Storm Ylva (Väder)',
    );
  });

  it('shows ordinary mode on the phone while no incident is active', () => {
    show(buildState({ incidents: [buildIncident({ status: 'closed' })] }));
    render(<PhonePage session={nackaTib} live />);
    expect(screen.getByTestId('mode').textContent).toBe('ORDINARIE LÄGE');
    expect(screen.queryByTestId('phone-mode-incident')).toBeNull();
  });

  it('lets someone who may not acknowledge put the alert away, and does not alert other actors', async () => {
    const storm = buildIncident({ title: 'Storm Ylva', summonedActorIds: [] });
    show(
      buildState({ incidents: [storm, buildIncident({ title: 'Elsewhere', summonedActorIds: ['solna'] })] }),
    );
    render(<PhonePage session={nackaField} live />);

    const alert = screen.getByRole('alertdialog');
    expect(alert.textContent).toContain('Storm Ylva');
    expect(alert.textContent).toContain('Kvittensen lämnas av er tjänsteman i beredskap.');
    await userEvent.click(within(alert).getByRole('button', { name: 'Jag har sett det' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(queued()).toEqual([]);
  });

  it('checks in on the active incident, with a hand-over note when taking over from a colleague', async () => {
    const storm = buildIncident({
      title: 'Storm Ylva',
      acknowledgements: { nacka: { at: minutesAfterNow(1), by: buildAttribution(), seq: 2 } },
    });
    const colleague = buildCheckin({
      incidentId: storm.id,
      status: 'onSite',
      by: buildAttribution({
        userId: 'user-anna',
        userName: 'Anna Andersson',
        actorId: 'nacka',
        functionId: 'dutyOfficer',
      }),
    });
    show(buildState({ incidents: [storm], checkins: [colleague] }));
    render(<PhonePage session={nackaTib} live />);

    expect(within(screen.getByTestId('roster')).getByText('Anna Andersson')).toBeTruthy();
    await userEvent.click(screen.getByRole('radio', { name: 'På väg' }));
    await userEvent.click(screen.getByRole('button', { name: 'Välj på kartan' }));
    await userEvent.click(screen.getByRole('button', { name: 'stub-map-click' }));
    expect(screen.getByTestId('position-status').textContent).toMatch(/^Vald på kartan: 59\.3\d+, 18\.0\d+$/);
    await userEvent.type(
      screen.getByLabelText('Överlämning från Anna Andersson'),
      'Sporthallen öppen till 22',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Checka in' }));

    await vi.waitFor(() => expect(queued()).toHaveLength(1));
    const [checkin] = queued();
    expect(checkin).toMatchObject({
      type: 'checkin.create',
      payload: { incidentId: storm.id, status: 'onTheWay', note: 'Sporthallen öppen till 22' },
    });
    expect(checkin?.type === 'checkin.create' && checkin.payload.position?.lat).toBeGreaterThan(59.3);
    // Counted as checked in before the hub has it; checking out goes after it in the outbox.
    expect(screen.getByTestId('my-checkin').textContent).toContain('Du är incheckad: På väg');
    await userEvent.click(screen.getByRole('button', { name: 'Checka ut' }));
    await vi.waitFor(() =>
      expect(queued().map((c) => c.type)).toEqual(['checkin.create', 'checkin.checkout']),
    );
    expect(screen.getByTestId('my-checkin').textContent).toContain('Du är inte incheckad.');
  });

  it('checks in for the own actor only unless the person shares, and counts other actors without names', async () => {
    const storm = buildIncident({
      title: 'Storm Ylva',
      acknowledgements: { nacka: { at: minutesAfterNow(1), by: buildAttribution(), seq: 2 } },
    });
    const elsewhere = checkinSummary(
      buildCheckin({
        incidentId: storm.id,
        status: 'onSite',
        by: buildAttribution({
          userId: 'u-p',
          userName: 'Per Polis',
          actorId: 'polisen',
          functionId: 'field',
        }),
      }),
    );
    show(buildState({ incidents: [storm], checkins: [elsewhere] }));
    render(<PhonePage session={nackaTib} live />);

    const summary = within(screen.getByTestId('roster')).getByTestId('roster-summary-row');
    expect(summary.textContent).toContain('Polisen');
    expect(summary.textContent).toContain('1');
    expect(within(screen.getByTestId('roster')).queryByText('Per Polis')).toBeNull();
    expect(screen.getByRole('radio', { name: 'Endast egen aktör' })).toHaveProperty('checked', true);

    await userEvent.click(screen.getByRole('button', { name: 'Checka in' }));
    await vi.waitFor(() => expect(queued()).toHaveLength(1));
    expect(queued()[0]).toMatchObject({ type: 'checkin.create', payload: { sharing: { scope: 'own' } } });

    await userEvent.click(screen.getByRole('radio', { name: 'Hela regionen' }));
    await userEvent.click(screen.getByRole('button', { name: 'Checka in' }));
    await vi.waitFor(() => expect(queued()).toHaveLength(2));
    expect(queued()[1]).toMatchObject({ payload: { sharing: { scope: 'region' } } });
  });

  it('sends a METHANE report from field staff as a field report, once the type of event is given', async () => {
    const storm = buildIncident({
      title: 'Storm Ylva',
      acknowledgements: { nacka: { at: minutesAfterNow(1), by: buildAttribution(), seq: 2 } },
    });
    show(buildState({ incidents: [storm] }));
    render(<PhonePage session={nackaField} live />);
    await userEvent.click(screen.getByRole('tab', { name: 'Snabbrapport' }));
    expect(screen.getByText(/aktörens lägesrapport ändras inte/)).toBeTruthy();
    // Field staff observe; the actor's status is the duty officer's to set.
    expect(screen.queryByRole('radio', { name: 'Ansträngd' })).toBeNull();

    await userEvent.type(screen.getByLabelText('Exakt plats'), 'Skurubron');
    await userEvent.click(screen.getByRole('button', { name: 'Skicka rapport' }));
    expect(screen.getByText('Skriv vilken typ av händelse det är.')).toBeTruthy();
    expect(queued()).toEqual([]);

    await userEvent.type(screen.getByLabelText(/Typ av händelse/), 'Träd över vägen');
    await userEvent.type(screen.getByLabelText('Resurser som behövs'), 'Bärgning');
    await userEvent.click(screen.getByRole('button', { name: 'Skicka rapport' }));

    await vi.waitFor(() => expect(queued()).toHaveLength(1));
    expect(queued()).toMatchObject([
      {
        type: 'fieldReport.submit',
        payload: {
          incidentId: storm.id,
          eventType: 'Träd över vägen',
          locationText: 'Skurubron',
          servicesNeeded: 'Bärgning',
          position: null,
          sharing: { scope: 'region' },
        },
      },
    ]);
    const [sent] = queued();
    expect(sent && Object.keys(sent.payload)).not.toContain('status');
    await userEvent.click(screen.getByRole('tab', { name: /Utkorg/ }));
    const item = screen.getByTestId('outbox-item');
    expect(item.getAttribute('data-status')).toBe('queued');
    expect(item.textContent).toContain('Fältrapport');
  });

  it('tells a person whose function may not report to ask the duty officer', async () => {
    show(buildState({ incidents: [buildIncident({ summonedActorIds: ['solna'] })] }));
    render(<PhonePage session={nackaViewer} live={false} />);
    expect(screen.getByTestId('offline-session').textContent).toContain('Ingen anslutning');
    await userEvent.click(screen.getByRole('tab', { name: 'Snabbrapport' }));
    expect(
      screen.getByText('Din funktion får inte skicka fältrapporter. Be din tjänsteman i beredskap.'),
    ).toBeTruthy();
  });
});
