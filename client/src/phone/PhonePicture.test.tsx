import {
  buildAttribution,
  buildIncident,
  buildReport,
  buildState,
  minutesAfterNow,
  TEST_NOW,
} from '@lagesbild/shared/test-factories';
import type { Command, State } from '@lagesbild/shared';
import { act, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startOutbox, stopOutbox } from '../outbox';
import { sendCommand } from '../realtime';
import { useConnection } from '../stores/connection';
import { useOutbox } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import { buildSessionInfo } from '../test/fixtures';
import { MapStub } from '../test/map-stub';
import { setUpUiTests } from '../test/ui';
import { buildActionItem, buildAssessment, buildConference, byId } from '../wall/conference-test-data';
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
// Only the refusal test starts the outbox; stopping one not started does nothing.
afterEach(() => stopOutbox());

const nackaTib = buildSessionInfo();
const nackaViewer = buildSessionInfo({
  user: { id: 'user-nacka-viewer', username: 'lasare.nacka', name: 'Lisa Läsare' },
  functionIds: ['viewer'],
});

const show = (state: State) =>
  act(() => usePicture.getState().replaceWithSnapshot({ epoch: 'e', seq: 1, state }));

const queued = (): Command[] =>
  Object.values(useOutbox.getState().items)
    .sort((a, b) => a.order - b.order)
    .map((item) => item.command);

// Acknowledged, so the activation alert does not cover the page.
const storm = buildIncident({
  title: 'Storm Ylva',
  acknowledgements: { nacka: { at: minutesAfterNow(1), by: buildAttribution(), seq: 2 } },
});
const nackaBy = buildAttribution({ userId: 'user-nacka-tib', userName: 'Nils Nord', actorId: 'nacka' });

describe('the picture in short on the phone', () => {
  it("shows the incident, its latest common assessment, the actor's own items and its own latest report", async () => {
    const conference = buildConference({
      incidentId: storm.id,
      title: 'Samverkanskonferens 2',
      status: 'closed',
      assessments: [
        buildAssessment({ situation: 'Gammal bedömning', version: 1, seq: 4 }),
        buildAssessment({ situation: 'Stormen har passerat länet.', version: 2, seq: 6 }),
      ],
    });
    const older = buildReport({ incidentId: storm.id, by: nackaBy, happened: 'Äldre rapport', seq: 7 });
    const latest = buildReport({
      incidentId: storm.id,
      by: nackaBy,
      status: 'strained',
      happened: 'Träd över Värmdöleden',
      needs: 'Två elverk',
      at: minutesAfterNow(20),
      seq: 8,
    });
    const solna = buildReport({
      incidentId: storm.id,
      by: buildAttribution({ actorId: 'solna', userName: 'Sara Solna' }),
      happened: 'Solnas rapport',
      seq: 9,
    });
    const mine = buildActionItem({
      incidentId: storm.id,
      kind: 'decision',
      text: 'Öppna trygghetspunkt',
      dueAt: minutesAfterNow(60),
    });
    const others = buildActionItem({ incidentId: storm.id, ownerActorId: 'solna', text: 'Solnas punkt' });
    const finished = buildActionItem({ incidentId: storm.id, text: 'Redan klar', status: 'done' });
    show({
      ...buildState({ incidents: [storm], reports: [older, latest, solna] }),
      conferences: byId([conference]),
      actionItems: byId([mine, others, finished]),
    });
    render(<PhonePage session={nackaTib} live />);
    await userEvent.click(screen.getByRole('tab', { name: 'Läget' }));

    const incident = screen.getByTestId('phone-incident');
    expect(within(incident).getByRole('heading', { level: 3 }).textContent).toBe('Storm Ylva');
    const assessment = within(incident).getByTestId('phone-assessment');
    expect(assessment.textContent).toContain('Samverkanskonferens 2');
    expect(assessment.textContent).toContain('Stormen har passerat länet.');
    expect(assessment.textContent).not.toContain('Gammal bedömning');

    const report = within(incident).getByTestId('phone-own-report');
    expect(report.textContent).toContain('Senaste lägesrapport från Nacka kommun');
    expect(report.textContent).toContain('Ansträngd');
    expect(report.textContent).toContain('Träd över Värmdöleden');
    expect(report.textContent).toContain('Två elverk');
    expect(report.textContent).toContain('av Nils Nord');
    expect(report.textContent).not.toContain('Äldre rapport');
    expect(report.textContent).not.toContain('Solnas rapport');

    const items = screen.getByTestId('phone-own-items');
    expect(within(items).getAllByRole('listitem')).toHaveLength(1);
    const item = screen.getByTestId(`phone-item-${mine.id}`);
    expect(item.textContent).toContain('Beslut: Öppna trygghetspunkt');
    expect(item.textContent).toContain('Storm Ylva');
    expect(item.textContent).toContain('Senast');
  });

  it('says so when there is no assessment, no own report and nothing to do, once connected and caught up', async () => {
    show(buildState({ incidents: [storm] }));
    act(() => useConnection.setState({ status: 'online', helloHeadSeq: 1 }));
    render(<PhonePage session={nackaTib} live />);
    await userEvent.click(screen.getByRole('tab', { name: 'Läget' }));
    expect(screen.getByText('Ingen samlad bedömning ännu.')).toBeTruthy();
    expect(screen.getByText('Nacka kommun har inte lämnat någon lägesrapport om händelsen.')).toBeTruthy();
    expect(screen.getByText('Inga öppna beslut eller åtgärdspunkter för Nacka kommun.')).toBeTruthy();
  });

  it('gives no all-clear while offline or before it has caught up: the picture comes with contact', async () => {
    show(buildState({ incidents: [storm] }));
    // Connected, but the hub's log is ahead of the picture: not caught up yet.
    act(() => useConnection.setState({ status: 'online', helloHeadSeq: 5 }));
    render(<PhonePage session={nackaTib} live />);
    await userEvent.click(screen.getByRole('tab', { name: 'Läget' }));
    const notLive = 'Läget visas när telefonen har kontakt.';
    expect(screen.getByTestId('phone-own-items-empty').textContent).toBe(notLive);
    expect(screen.queryByText(/Inga öppna beslut/)).toBeNull();
    expect(screen.queryByText('Ingen samlad bedömning ännu.')).toBeNull();
    expect(screen.queryByText(/har inte lämnat någon lägesrapport/)).toBeNull();

    // Caught up: now "nothing" is known to be nothing.
    act(() =>
      usePicture
        .getState()
        .replaceWithSnapshot({ epoch: 'e', seq: 5, state: buildState({ incidents: [storm] }) }),
    );
    expect(screen.getByText('Inga öppna beslut eller åtgärdspunkter för Nacka kommun.')).toBeTruthy();

    // The connection drops: what was an all-clear is no longer said.
    act(() => useConnection.getState().setStatus('reconnecting'));
    expect(screen.getByTestId('phone-own-items-empty').textContent).toBe(notLive);
  });

  it('marks an own item done through the outbox with one tap, and says it waits to be sent', async () => {
    const mine = buildActionItem({ incidentId: storm.id, text: 'Inventera reservkraft' });
    show({ ...buildState({ incidents: [storm] }), actionItems: byId([mine]) });
    render(<PhonePage session={nackaTib} live />);
    await userEvent.click(screen.getByRole('tab', { name: 'Läget' }));

    await userEvent.click(screen.getByRole('button', { name: 'Klar: Inventera reservkraft' }));
    await vi.waitFor(() =>
      expect(queued()).toEqual([
        {
          id: expect.any(String),
          type: 'actionItem.setStatus',
          payload: { itemId: mine.id, status: 'done' },
        },
      ]),
    );
    const item = screen.getByTestId(`phone-item-${mine.id}`);
    // Offline: queued, and no second tap is offered meanwhile.
    expect(within(item).getByRole('status').textContent).toBe(
      'Markerad som klar – skickas så snart telefonen har kontakt.',
    );
    expect(within(item).queryByRole('button', { name: /^Klar/ })).toBeNull();

    // Once the hub has it, the item leaves the list.
    show({
      ...buildState({ incidents: [storm] }),
      actionItems: byId([{ ...mine, status: 'done', statusAt: TEST_NOW, statusBy: nackaBy }]),
    });
    expect(screen.queryByTestId(`phone-item-${mine.id}`)).toBeNull();
  });

  it('says why when the server refuses "Klar", and leaves the item open with its button back', async () => {
    vi.mocked(sendCommand).mockResolvedValueOnce({
      ok: false,
      error: { code: 'forbidden', message: 'Only the owner marks it done', fromHub: true },
    });
    act(() => useConnection.getState().setStatus('online'));
    startOutbox(nackaTib.user.id);
    const mine = buildActionItem({ incidentId: storm.id, text: 'Inventera reservkraft' });
    show({ ...buildState({ incidents: [storm] }), actionItems: byId([mine]) });
    render(<PhonePage session={nackaTib} live />);
    await userEvent.click(screen.getByRole('tab', { name: 'Läget' }));
    await userEvent.click(screen.getByRole('button', { name: 'Klar: Inventera reservkraft' }));

    const item = screen.getByTestId(`phone-item-${mine.id}`);
    await vi.waitFor(() =>
      expect(within(item).getByTestId('command-status').textContent).toBe(
        'Avvisad: Du saknar behörighet för detta.',
      ),
    );
    expect(within(item).getByRole('button', { name: 'Klar: Inventera reservkraft' })).toBeTruthy();
    expect(usePicture.getState().state.actionItems[mine.id]?.status).toBe('open');
  });

  it('offers no "Klar" to a person whose function may not mark items', async () => {
    const mine = buildActionItem({ incidentId: storm.id, text: 'Inventera reservkraft' });
    show({ ...buildState({ incidents: [storm] }), actionItems: byId([mine]) });
    render(<PhonePage session={nackaViewer} live />);
    await userEvent.click(screen.getByRole('tab', { name: 'Läget' }));
    expect(screen.getByTestId(`phone-item-${mine.id}`).textContent).toContain('Inventera reservkraft');
    expect(screen.queryByRole('button', { name: /^Klar/ })).toBeNull();
  });

  it("shows ordinary mode's assessment and items when no incident is active", async () => {
    const weekly = buildConference({
      title: 'Veckokonferens',
      status: 'closed',
      assessments: [buildAssessment({ situation: 'Lugnt i regionen.' })],
    });
    const mine = buildActionItem({ text: 'Uppdatera kontaktlistan' });
    const ofClosedIncident = buildActionItem({ incidentId: buildIncident().id, text: 'Gammal händelse' });
    show({ ...buildState(), conferences: byId([weekly]), actionItems: byId([mine, ofClosedIncident]) });
    render(<PhonePage session={nackaTib} live />);
    await userEvent.click(screen.getByRole('tab', { name: 'Läget' }));
    expect(screen.getByTestId('phone-ordinary').textContent).toContain('Lugnt i regionen.');
    const items = screen.getByTestId('phone-own-items');
    expect(items.textContent).toContain('Uppdatera kontaktlistan');
    expect(items.textContent).toContain('Ordinarie läge');
    expect(items.textContent).not.toContain('Gammal händelse');
  });
});

describe('a conference running, on the phone', () => {
  it('says which step on every tab, with the dial-in as a tel: link for the summoned', () => {
    const conference = buildConference({ incidentId: storm.id, step: 'rounds' });
    show({
      ...buildState({ incidents: [storm] }),
      conferences: byId([conference]),
      conferenceDialIns: {
        [conference.id]: {
          conferenceId: conference.id,
          dialIn: '08-123 456 78, PIN 4321',
          summonedActorIds: ['lansstyrelsen', 'nacka', 'polisen'],
          seq: 3,
        },
      },
    });
    render(<PhonePage session={nackaTib} live />);
    const line = screen.getByTestId('phone-conference');
    expect(line.textContent).toContain('Konferens pågår – steg 3 av 7: Aktörernas rundor');
    expect(line.textContent).toContain('Storm Ylva');
    const link = within(line).getByRole('link', { name: 'Ring in: 08-123 456 78, PIN 4321' });
    expect(link.getAttribute('href')).toBe('tel:0812345678,,4321%23');
    // Only the step is announced, from a region that is always there; the list is not live.
    expect(line.getAttribute('aria-live')).toBeNull();
    expect(screen.getByTestId('phone-conference-live').textContent).toBe(
      'Konferens pågår – steg 3 av 7: Aktörernas rundor',
    );
  });

  it('shows no dial-in to an actor that was not summoned, and no line once the conference closes', () => {
    const conference = buildConference({
      incidentId: storm.id,
      summonedActorIds: ['lansstyrelsen', 'polisen'],
    });
    const state = {
      ...buildState({ incidents: [storm] }),
      conferences: byId([conference]),
      conferenceDialIns: {
        [conference.id]: {
          conferenceId: conference.id,
          dialIn: '08-123 456 78',
          summonedActorIds: ['lansstyrelsen', 'polisen'],
          seq: 3,
        },
      },
    };
    show(state);
    render(<PhonePage session={nackaTib} live />);
    expect(screen.getByTestId('phone-conference').textContent).toContain('steg 1 av 7: Upprop');
    expect(screen.queryByTestId('phone-conference-dial-in')).toBeNull();

    show({ ...state, conferences: byId([{ ...conference, status: 'closed' }]) });
    expect(screen.queryByTestId('phone-conference')).toBeNull();
    // The live region stays, empty, ready for the next conference.
    expect(screen.getByTestId('phone-conference-live').textContent).toBe('');
  });
});
