import { initialState, type Assessment, type Conference } from '@lagesbild/shared';
import { testUuid } from '@lagesbild/shared/test-factories';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { usePicture } from '../stores/picture';
import { setUpUiTests } from '../test/ui';
import { AssessmentSummary } from './AssessmentSummary';
import { buildClosedConference, lansstyrelsenChair } from './minutes/minutes-fixtures';

setUpUiTests();

const INCIDENT = testUuid(8001);

const assessment = (version: number, seq: number, situation: string): Assessment => ({
  situation,
  expectedDevelopment: `Utveckling ${version}`,
  consequences: '',
  uncertainties: '',
  version,
  at: '2024-05-01T09:00:00.000Z',
  by: lansstyrelsenChair,
  seq,
});

const conference = (id: number, overrides: Partial<Conference>): Conference =>
  buildClosedConference({ id: testUuid(id), incidentId: INCIDENT, scheduledSeq: id, ...overrides });

function withConferences(...conferences: Conference[]) {
  usePicture.setState({
    state: { ...initialState(), conferences: Object.fromEntries(conferences.map((c) => [c.id, c])) },
  });
}

describe('AssessmentSummary', () => {
  it('shows nothing until a conference has made an assessment', () => {
    withConferences(conference(1, { assessments: [] }));
    const { container } = render(<AssessmentSummary incidentId={INCIDENT} />);
    expect(container.textContent).toBe('');
  });

  it("heads the picture with the newest assessment of the incident's conferences", () => {
    withConferences(
      conference(1, {
        title: 'Första konferensen',
        assessments: [assessment(1, 20, 'Gammalt läge'), assessment(2, 25, 'Äldre läge')],
      }),
      conference(2, { title: 'Andra konferensen', assessments: [assessment(1, 60, 'Stormen avtar.')] }),
    );
    render(<AssessmentSummary incidentId={INCIDENT} />);
    expect(screen.getByRole('heading', { name: 'Samlad bedömning' })).toBeTruthy();
    expect(screen.getByText('Stormen avtar.')).toBeTruthy();
    expect(screen.getByText(/Version 1 från Andra konferensen/)).toBeTruthy();
    expect(screen.queryByText('Äldre läge')).toBeNull();
    // The other parts are one click away; empty ones say so rather than vanish.
    expect(screen.getByText('Hela bedömningen')).toBeTruthy();
    expect(screen.getByText('Utveckling 1')).toBeTruthy();
    expect(screen.getAllByText('–')).toHaveLength(2);
  });

  it('keeps incidents apart from each other and from ordinary mode', () => {
    withConferences(
      conference(1, { assessments: [assessment(1, 20, 'Stormens läge')] }),
      conference(2, {
        incidentId: null,
        title: 'Veckokonferens',
        assessments: [assessment(1, 30, 'Lugnt i länet.')],
      }),
    );
    const { unmount } = render(<AssessmentSummary incidentId={null} headingLevel={2} />);
    expect(screen.getByRole('heading', { level: 2, name: 'Samlad bedömning' })).toBeTruthy();
    expect(screen.getByText('Lugnt i länet.')).toBeTruthy();
    expect(screen.queryByText('Stormens läge')).toBeNull();
    unmount();
    render(<AssessmentSummary incidentId={testUuid(8999)} />);
    expect(screen.queryByTestId('assessment-summary')).toBeNull();
  });
});
