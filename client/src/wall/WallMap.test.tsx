import { projectState } from '@lagesbild/shared';
import {
  buildFieldReport,
  buildIncident,
  buildReport,
  buildState,
  stockholmRegion,
} from '@lagesbild/shared/test-factories';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { usePicture } from '../stores/picture';
import { MapStub } from '../test/map-stub';
import { setUpUiTests } from '../test/ui';
import { useWallFrame } from './wall-frame';
import { WallMap } from './WallMap';
import type { WallDisplay } from './wall-store';

vi.mock('../map/LazyMap', () => ({ LazyMap: MapStub }));

setUpUiTests();

const display: WallDisplay = {
  identity: { kind: 'device', name: 'Ledningsrummet' },
  region: stockholmRegion(),
  tiles: { url: '', attribution: '' },
};

describe('WallMap', () => {
  it('draws the field reports the region may see, as the hub projects them for a wall', () => {
    const storm = buildIncident({ title: 'Storm Ylva' });
    const onStorm = { incidentId: storm.id, position: { lat: 59.31, lng: 18.16 } };
    const state = buildState({
      incidents: [storm],
      fieldReports: [
        buildFieldReport({ ...onStorm, eventType: 'Träd över vägen' }),
        buildFieldReport({ ...onStorm, eventType: 'Bara för Nacka', sharing: { scope: 'own' } }),
        buildFieldReport({
          ...onStorm,
          eventType: 'För Nacka och polisen',
          sharing: { scope: 'actors', actorIds: ['polisen'] },
        }),
        buildFieldReport({ incidentId: storm.id, eventType: 'Utan position', position: null }),
      ],
    });
    const seenByWall = projectState(state, { kind: 'device' });
    expect(
      Object.values(seenByWall.fieldReports)
        .map((f) => f.eventType)
        .sort(),
    ).toEqual(['Träd över vägen', 'Utan position']);

    usePicture.getState().replaceWithSnapshot({ epoch: 'e', seq: 1, state: seenByWall });
    useWallFrame.setState({ state: usePicture.getState().state });
    render(<WallMap incident={storm} display={display} />);
    // The incident's area and the one region-wide field report with a position.
    expect(screen.getByTestId('wall-map').getAttribute('data-shape-count')).toBe('2');
  });

  it('colours the municipalities by their latest reports and says in a legend what each colour means', () => {
    const storm = buildIncident({ title: 'Storm Ylva' });
    const state = buildState({
      incidents: [storm],
      reports: [
        buildReport({ incidentId: storm.id, status: 'severe', seq: 1 }),
        buildReport({ incidentId: buildIncident().id, actorId: 'solna', status: 'severe', seq: 2 }),
      ],
    });
    useWallFrame.setState({ state });
    render(<WallMap incident={storm} display={display} />);

    const municipalities = within(screen.getByTestId('stub-municipalities')).getAllByRole('listitem');
    const statusOf = (actorId: string) =>
      municipalities.find((m) => m.dataset.actorId === actorId)?.dataset.status;
    expect(statusOf('nacka')).toBe('severe');
    // Solna reported on another incident, not this one.
    expect(statusOf('solna')).toBe('none');
    // A wall is not touched: its municipalities open nothing.
    expect(screen.queryByRole('button', { name: /stub-municipality/ })).toBeNull();

    const legend = screen.getByRole('group', { name: 'Kommunernas status' });
    expect(
      within(legend)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Allvarlig: 1', 'Ansträngd: 0', 'Normal: 0', 'Ingen rapport: 25']);
  });
});
