import { buildAttribution, buildIncident, buildReport, buildState } from '@lagesbild/shared/test-factories';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { usePicture } from '../stores/picture';
import { buildSessionInfo } from '../test/fixtures';
import { MapStub } from '../test/map-stub';
import { setUpUiTests } from '../test/ui';
import { PicturePanel } from './PicturePanel';

vi.mock('../map/LazyMap', () => ({ LazyMap: MapStub }));

setUpUiTests();

const storm = buildIncident({ title: 'Storm Ylva' });
const solna = buildAttribution({ userId: 'user-solna-tib', userName: 'Sara Sund', actorId: 'solna' });

function showPicture() {
  const state = buildState({
    incidents: [storm],
    reports: [
      buildReport({ incidentId: storm.id, status: 'normal', happened: 'Lugnt i Nacka', seq: 1 }),
      buildReport({ incidentId: storm.id, status: 'severe', happened: 'Träd över Värmdöleden', seq: 2 }),
      buildReport({ incidentId: storm.id, by: solna, actorId: 'solna', status: 'strained', seq: 3 }),
    ],
  });
  usePicture.getState().replaceWithSnapshot({ epoch: 'e', seq: 3, state });
  return render(<PicturePanel session={buildSessionInfo()} incident={storm} />);
}

const municipalityOnMap = (actorId: string) =>
  within(screen.getByTestId('stub-municipalities'))
    .getAllByRole('listitem')
    .find((item) => item.getAttribute('data-actor-id') === actorId);

describe('the picture map coloured by status', () => {
  it('colours each municipality by its latest report and counts them in the legend', () => {
    showPicture();
    // Nacka's newer report (severe) replaced its first (normal).
    expect(municipalityOnMap('nacka')?.getAttribute('data-status')).toBe('severe');
    expect(municipalityOnMap('solna')?.getAttribute('data-status')).toBe('strained');
    expect(municipalityOnMap('botkyrka')?.getAttribute('data-status')).toBe('none');

    const legend = screen.getByRole('group', { name: 'Kommunerna efter senaste lägesrapport' });
    const items = within(legend)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(items).toEqual(['Allvarlig: 1', 'Ansträngd: 1', 'Normal: 0', 'Ingen rapport: 24']);
  });

  it("opens the municipality's latest report when it is clicked on the map, and closes it again", async () => {
    const user = userEvent.setup();
    showPicture();
    await user.click(screen.getByRole('button', { name: 'stub-municipality-nacka' }));

    const opened = screen.getByTestId('municipality-report');
    expect(within(opened).getByRole('heading', { name: 'Senaste lägesrapport från Nacka' })).toBeTruthy();
    expect(within(opened).getByText('Träd över Värmdöleden')).toBeTruthy();
    expect(within(opened).queryByText('Lugnt i Nacka')).toBeNull();
    // The map shows which one is open.
    expect(municipalityOnMap('nacka')?.getAttribute('data-selected')).toBe('true');

    await user.click(within(opened).getByRole('button', { name: 'Stäng' }));
    expect(screen.queryByTestId('municipality-report')).toBeNull();
  });

  it('says so when the clicked municipality has not reported', async () => {
    const user = userEvent.setup();
    showPicture();
    await user.click(screen.getByRole('button', { name: 'stub-municipality-botkyrka' }));
    const opened = screen.getByTestId('municipality-report');
    expect(opened.textContent).toContain('Botkyrka har inte lämnat någon lägesrapport om händelsen.');
    expect(within(opened).queryByTestId('report')).toBeNull();
  });

  it('lets a keyboard user open the same report from the list of municipalities', async () => {
    const user = userEvent.setup();
    showPicture();
    const list = screen.getByTestId('municipality-list');
    const solnaButton = within(list).getByRole('button', { name: /^Solna/ });
    expect(solnaButton.textContent).toBe('SolnaAnsträngd');
    solnaButton.focus();
    await user.keyboard('{Enter}');

    const opened = screen.getByTestId('municipality-report');
    expect(opened.getAttribute('data-actor-id')).toBe('solna');
    expect(within(opened).getByTestId('report').getAttribute('data-actor-id')).toBe('solna');
    // Focus lands on the report, so the reader hears what opened.
    expect(document.activeElement?.textContent).toBe('Senaste lägesrapport från Solna');
    expect(solnaButton.getAttribute('aria-pressed')).toBe('true');
  });
});
