import type { Command, Incident } from '@lagesbild/shared';
import { buildIncident } from '@lagesbild/shared/test-factories';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { useOutbox } from '../stores/outbox';
import { buildSessionInfo } from '../test/fixtures';
import { MapStub } from '../test/map-stub';
import { setUpUiTests } from '../test/ui';
import { IncidentEditDialog } from './IncidentEditDialog';

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
const incident = buildIncident({
  title: 'Storm Ylva',
  kind: 'weather',
  description: 'Gale force winds',
  summonedActorIds: ['lansstyrelsen', 'nacka'],
  version: 7,
});

const updates = () =>
  Object.values(useOutbox.getState().items)
    .map((i) => i.command)
    .filter((c): c is Extract<Command, { type: 'incident.update' }> => c.type === 'incident.update');

function open(shown: Incident = incident) {
  const onClose = vi.fn();
  const onSubmitted = vi.fn();
  const view = render(
    <IncidentEditDialog session={session} incident={shown} onClose={onClose} onSubmitted={onSubmitted} />,
  );
  return { ...view, onClose, onSubmitted };
}

/** The hub's answer to the item: refused, because someone changed the incident first. */
function refuseAsStale(newer: Incident) {
  const item = Object.values(useOutbox.getState().items)[0];
  if (!item) throw new Error('nothing was sent');
  act(() =>
    useOutbox.getState().upsert({
      ...item,
      status: 'failed',
      error: {
        code: 'stale',
        message: `The incident has changed since version 7; it is at version ${newer.version} now`,
        fromHub: true,
        stale: { item: 'incident', incident: newer },
      },
    }),
  );
}

describe('IncidentEditDialog', { timeout: 20_000 }, () => {
  it('sends only the changed fields, with the summons grown, made on the version shown', async () => {
    const user = userEvent.setup();
    const { onSubmitted } = open();
    fireEvent.change(screen.getByLabelText(/Rubrik/), { target: { value: 'Storm Ylva, dag 2' } });
    await user.selectOptions(screen.getByLabelText('Typ av händelse'), 'flooding');
    await user.click(screen.getByText(/Kalla fler aktörer:/));
    // Those already summoned are not offered: they cannot be removed here.
    expect(screen.queryByRole('checkbox', { name: 'Nacka kommun' })).toBeNull();
    await user.click(screen.getByRole('checkbox', { name: 'Solna stad' }));
    expect(screen.getByTestId('added-actors').textContent).toContain('Solna stad');
    await user.click(screen.getByRole('button', { name: 'Spara ändringarna' }));

    await vi.waitFor(() => expect(updates()).toHaveLength(1));
    expect(updates()[0]?.payload).toEqual({
      incidentId: incident.id,
      title: 'Storm Ylva, dag 2',
      kind: 'flooding',
      summonedActorIds: ['lansstyrelsen', 'nacka', 'solna'],
      baseVersion: 7,
    });
    expect(onSubmitted).toHaveBeenCalledWith(updates()[0]?.id);
    expect(await screen.findByTestId('command-status')).toHaveProperty(
      'textContent',
      'Köad – skickas när anslutningen finns.',
    );
  });

  it('says that summoned actors stay summoned', () => {
    open();
    expect(screen.getByTestId('already-summoned').textContent).toBe(
      '2 aktörer är kallade: Länsstyrelsen, Nacka. Kallade aktörer kan inte tas bort här.',
    );
  });

  it('refuses an empty title and an unchanged form, and sends nothing', async () => {
    const user = userEvent.setup();
    open();
    await user.click(screen.getByRole('button', { name: 'Spara ändringarna' }));
    expect(screen.getByRole('alert').textContent).toBe('Du har inte ändrat något.');
    fireEvent.change(screen.getByLabelText(/Rubrik/), { target: { value: '' } });
    await user.click(screen.getByRole('button', { name: 'Spara ändringarna' }));
    expect(screen.getByText('Fältet måste fyllas i.')).toBeDefined();
    expect(updates()).toHaveLength(0);
  });

  it('shows a stale refusal clearly and sends the edit again on the newer version when asked', async () => {
    const user = userEvent.setup();
    open();
    fireEvent.change(screen.getByLabelText(/Beskrivning/), {
      target: { value: 'Winds easing after midnight' },
    });
    await user.click(screen.getByRole('button', { name: 'Spara ändringarna' }));
    await vi.waitFor(() => expect(updates()).toHaveLength(1));

    const newer = { ...incident, title: 'Storm Ylva – Värmdö', version: 9 };
    refuseAsStale(newer);
    const notice = await screen.findByTestId('incident-edit-stale');
    expect(notice.textContent).toContain('Din ändring avvisades');
    expect(notice.textContent).toContain('Ändrat av någon annan: Rubrik.');
    expect(screen.getByTestId('command-status').textContent).toContain('Avvisad');

    await user.click(within(notice).getByRole('button', { name: /Behåll mina ändringar/ }));
    // The refused item is replaced, the newer title is taken in, and the person's text kept.
    await vi.waitFor(() => expect(updates()).toHaveLength(0));
    expect(screen.getByLabelText<HTMLInputElement>(/Rubrik/).value).toBe('Storm Ylva – Värmdö');
    await user.click(screen.getByRole('button', { name: 'Spara ändringarna' }));
    await vi.waitFor(() => expect(updates()).toHaveLength(1));
    expect(updates()[0]?.payload).toEqual({
      incidentId: incident.id,
      description: 'Winds easing after midnight',
      baseVersion: 9,
    });
  });

  it('warns before saving when the picture shows someone changed the incident meanwhile', () => {
    const { rerender, onClose, onSubmitted } = open();
    expect(screen.queryByTestId('incident-edit-stale')).toBeNull();
    rerender(
      <IncidentEditDialog
        session={session}
        incident={{ ...incident, nextConferenceAt: '2024-05-01T14:00:00.000Z', version: 8 }}
        onClose={onClose}
        onSubmitted={onSubmitted}
      />,
    );
    expect(screen.getByTestId('incident-edit-stale').textContent).toContain(
      'Ändrat av någon annan: Nästa samverkanskonferens.',
    );
  });
});
