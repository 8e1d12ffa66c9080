import { buildIncident, buildState, stockholmRegion } from '@lagesbild/shared/test-factories';
import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { useOutbox } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import { useView } from '../stores/view';
import { buildSessionInfo } from '../test/fixtures';
import { MapStub } from '../test/map-stub';
import { setUpUiTests } from '../test/ui';
import { ActivationDialog } from './ActivationDialog';

vi.mock('../map/LazyMap', () => ({ LazyMap: MapStub }));
vi.mock('../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();

const session = buildSessionInfo({
  user: { id: 'user-lan', username: 'tib.lansstyrelsen', name: 'Lena Lindqvist' },
  actorId: 'lansstyrelsen',
});
const activations = () =>
  Object.values(useOutbox.getState().items)
    .map((i) => i.command)
    .filter((c) => c.type === 'incident.activate');

function open(requestId: string | null = null) {
  useView.getState().openDialog({ kind: 'activate', requestId });
  return render(<ActivationDialog session={session} requestId={requestId} />);
}

describe('ActivationDialog', () => {
  it('summons every actor unless the decider narrows it', async () => {
    const user = userEvent.setup();
    open();
    const total = stockholmRegion().actors.length;
    expect(screen.getAllByText(`${total} av ${total} valda`, { exact: false }).length).toBeGreaterThan(0);
    expect(screen.getAllByRole('checkbox').every((box) => (box as HTMLInputElement).checked)).toBe(true);
    await user.type(screen.getByLabelText(/Rubrik/), 'Storm Ylva');
    await user.selectOptions(screen.getByLabelText('Typ av händelse'), 'weather');
    await user.click(screen.getByRole('button', { name: 'Aktivera' }));

    await vi.waitFor(() => expect(activations()).toHaveLength(1));
    expect(activations()[0]?.payload).toMatchObject({
      title: 'Storm Ylva',
      kind: 'weather',
      summonedActorIds: [],
    });
    // The dialog closes and the decider sees who has acknowledged.
    expect(useView.getState().dialog).toBeNull();
    expect(useView.getState().tab).toBe('acknowledgements');
  });

  it('sends the narrowed summons, the drawn area and the next conference', async () => {
    const user = userEvent.setup();
    open();
    await user.type(screen.getByLabelText(/Rubrik/), 'Skyfall');
    await user.click(screen.getByRole('button', { name: 'Välj ingen' }));
    await user.click(screen.getByLabelText('Nacka kommun'));
    await user.click(screen.getByLabelText('Solna stad'));
    for (let i = 0; i < 3; i++) await user.click(screen.getByText('stub-map-click'));
    await user.type(screen.getByLabelText('Nästa samverkanskonferens'), '2024-05-01T14:00');
    await user.click(screen.getByRole('button', { name: 'Aktivera' }));

    await vi.waitFor(() => expect(activations()).toHaveLength(1));
    const payload = activations()[0]?.payload;
    expect(payload).toMatchObject({ summonedActorIds: ['nacka', 'solna'], area: { type: 'Polygon' } });
    expect(payload && 'nextConferenceAt' in payload && payload.nextConferenceAt).toBe(
      new Date('2024-05-01T14:00').toISOString(),
    );
  });

  it('needs a title and an actor before it activates', async () => {
    const user = userEvent.setup();
    open();
    await user.click(screen.getByRole('button', { name: 'Välj ingen' }));
    await user.click(screen.getByRole('button', { name: 'Aktivera' }));
    expect(screen.getByText('Fältet måste fyllas i.')).toBeTruthy();
    expect(screen.getByText('Kalla minst en aktör.')).toBeTruthy();
    expect(activations()).toHaveLength(0);
  });

  it('decides on a request: same incident, its title and reason prefilled', async () => {
    const user = userEvent.setup();
    const request = buildIncident({
      status: 'requested',
      title: 'Vattenläcka',
      reason: 'Huvudledning brusten i Nacka',
      requestedBy: { userId: 'u', userName: 'Nils Nord', actorId: 'nacka', functionId: 'dutyOfficer' },
      activatedAt: null,
    });
    usePicture
      .getState()
      .replaceWithSnapshot({ epoch: 'e', seq: 1, state: buildState({ incidents: [request] }) });
    open(request.id);
    expect(screen.getByText(/Beslut om begäran från Nacka kommun/)).toBeTruthy();
    expect((screen.getByLabelText(/Rubrik/) as HTMLInputElement).value).toBe('Vattenläcka');
    await user.click(screen.getByRole('button', { name: 'Aktivera' }));
    await vi.waitFor(() => expect(activations()).toHaveLength(1));
    expect(activations()[0]?.payload).toMatchObject({
      incidentId: request.id,
      description: 'Huvudledning brusten i Nacka',
    });
  });
});
