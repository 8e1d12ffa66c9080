import { buildIncident } from '@lagesbild/shared/test-factories';
import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { buildSessionInfo } from '../test/fixtures';
import { MapStub } from '../test/map-stub';
import { setUpUiTests } from '../test/ui';
import { IncidentView } from './IncidentView';

vi.mock('../map/LazyMap', () => ({ LazyMap: MapStub }));

setUpUiTests();

const incident = buildIncident({ title: 'Storm Ylva', summonedActorIds: ['lansstyrelsen', 'nacka'] });
const leadTib = buildSessionInfo({
  user: { id: 'user-lan', username: 'tib.lansstyrelsen', name: 'Lena Lindqvist' },
  actorId: 'lansstyrelsen',
});

describe('IncidentView: the way into the edit dialog', { timeout: 20_000 }, () => {
  it('is offered to those who may change the incident, and not to others', async () => {
    const user = userEvent.setup();
    const { unmount } = render(<IncidentView session={buildSessionInfo()} incident={incident} />);
    expect(screen.queryByRole('button', { name: 'Ändra händelsen' })).toBeNull();
    unmount();

    render(<IncidentView session={leadTib} incident={incident} />);
    await user.click(screen.getByRole('button', { name: 'Ändra händelsen' }));
    expect(await screen.findByTestId('incident-edit-dialog')).toBeTruthy();
  });
});
