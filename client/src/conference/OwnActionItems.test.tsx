import { initialState, type ActionItem } from '@lagesbild/shared';
import { buildIncident, testUuid, TEST_NOW } from '@lagesbild/shared/test-factories';
import { render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { useOutbox } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import { buildSessionInfo } from '../test/fixtures';
import { setUpUiTests } from '../test/ui';
import {
  buildClosedConference,
  CONFERENCE_ID,
  INCIDENT_ID,
  lansstyrelsenChair,
} from './minutes/minutes-fixtures';
import { OwnActionItems } from './OwnActionItems';

vi.mock('../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();

const item = (n: number, overrides: Partial<ActionItem>): ActionItem => ({
  id: testUuid(n),
  conferenceId: CONFERENCE_ID,
  incidentId: INCIDENT_ID,
  kind: 'action',
  text: `Punkt ${n}`,
  ownerActorId: 'nacka',
  dueAt: null,
  at: TEST_NOW,
  by: lansstyrelsenChair,
  status: 'open',
  statusAt: null,
  statusBy: null,
  seq: n,
  ...overrides,
});

function withItems(...items: ActionItem[]) {
  const incident = buildIncident({ id: INCIDENT_ID, title: 'Storm Ylva' });
  const conference = buildClosedConference();
  usePicture.setState({
    state: {
      ...initialState(),
      incidents: { [incident.id]: incident },
      conferences: { [conference.id]: conference },
      actionItems: Object.fromEntries(items.map((i) => [i.id, i])),
    },
  });
}

describe('OwnActionItems', () => {
  it("lists the open items the user's actor owns, where they were decided and when they are due", () => {
    withItems(
      item(1, { text: 'Röj Värmdöleden', dueAt: '2999-01-01T10:00:00.000Z' }),
      item(2, { text: 'Redan gjort', status: 'done' }),
      item(3, { text: 'Polisens punkt', ownerActorId: 'polisen' }),
      item(4, { text: 'Informera allmänheten', kind: 'decision', incidentId: null }),
    );
    render(<OwnActionItems session={buildSessionInfo()} />);
    const section = screen.getByRole('region', { name: /Våra åtgärdspunkter/ });
    expect(within(section).getAllByRole('listitem')).toHaveLength(2);
    const first = screen.getByTestId(`own-action-item-${testUuid(1)}`);
    expect(first.textContent).toMatch('Åtgärdspunkt: Röj Värmdöleden');
    expect(first.textContent).toMatch(/Storm Ylva · Samverkanskonferens/);
    expect(first.textContent).toMatch('Senast');
    expect(first.textContent).not.toMatch('Försenad');
    expect(screen.getByTestId(`own-action-item-${testUuid(4)}`).textContent).toMatch(
      /Beslut: Informera allmänheten.*Ordinarie läge.*Ingen tidpunkt satt/,
    );
    expect(screen.queryByText('Redan gjort')).toBeNull();
    expect(screen.queryByText('Polisens punkt')).toBeNull();
  });

  it('makes an overdue item stand out in words, not only colour', () => {
    withItems(item(1, { dueAt: '2000-01-01T10:00:00.000Z' }));
    render(<OwnActionItems session={buildSessionInfo()} />);
    const row = screen.getByTestId(`own-action-item-${testUuid(1)}`);
    expect(row.className).toContain('own-action-item--overdue');
    expect(within(row).getByText('Försenad')).toBeTruthy();
  });

  it('marks an item done for its owner', async () => {
    const user = userEvent.setup();
    withItems(item(1, { text: 'Röj Värmdöleden' }));
    render(<OwnActionItems session={buildSessionInfo()} />);
    await user.click(screen.getByRole('button', { name: 'Klar: Röj Värmdöleden' }));
    await vi.waitFor(() => expect(Object.values(useOutbox.getState().items)).toHaveLength(1));
    expect(Object.values(useOutbox.getState().items)[0]?.command).toMatchObject({
      type: 'actionItem.setStatus',
      payload: { itemId: testUuid(1), status: 'done' },
    });
  });

  it('shows a reader the items but no button', () => {
    withItems(item(1, {}));
    render(<OwnActionItems session={buildSessionInfo({ functionIds: ['viewer'] })} />);
    expect(screen.getByText(/Punkt 1/)).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('stays away when the actor owns no open item', () => {
    withItems(item(1, { ownerActorId: 'polisen' }));
    const { container } = render(<OwnActionItems session={buildSessionInfo()} />);
    expect(container.textContent).toBe('');
  });
});
