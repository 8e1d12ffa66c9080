import { buildAttribution, buildIncident, minutesAfterNow } from '@lagesbild/shared/test-factories';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setUpUiTests } from '../test/ui';
import { IncidentList } from './IncidentList';

setUpUiTests();

describe('IncidentList', () => {
  it('calls a request closed without activation declined, not an ended incident', () => {
    const declined = buildIncident({
      title: 'Höga flöden',
      status: 'closed',
      activatedAt: null,
      activatedBy: null,
      closedAt: minutesAfterNow(5),
      closedBy: buildAttribution(),
    });
    const ended = buildIncident({
      title: 'Stormen Ylva',
      status: 'closed',
      closedAt: minutesAfterNow(10),
      closedBy: buildAttribution(),
    });
    render(<IncidentList incidents={[declined, ended]} regionActorIds={[]} emptyText="" />);
    const [first, second] = screen.getAllByRole('listitem');
    expect(first?.textContent).toContain('Avslagen begäran');
    expect(second?.textContent).toContain('Avslutad');
    expect(second?.textContent).not.toContain('Avslagen');
  });
});
