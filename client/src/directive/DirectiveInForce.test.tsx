import type { State } from '@lagesbild/shared';
import { minutesAfterNow } from '@lagesbild/shared/test-factories';
import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useView } from '../stores/view';
import { seriousViolations, showPicture } from '../test/conference-ui';
import { DIRECTIVE_SCENE, directiveScene } from '../test/directive-scene';
import { buildSessionInfo } from '../test/fixtures';
import { setUpUiTests } from '../test/ui';
import { DirectiveInForce } from './DirectiveInForce';

setUpUiTests();

const { incidentId, directiveId } = DIRECTIVE_SCENE;
const session = buildSessionInfo();

/** The scene's v1, marked as made under heightened readiness. */
function underReadiness(state: State): State {
  const directive = state.directives[directiveId];
  const v1 = directive?.versions[0];
  if (!directive || !v1) throw new Error('no version');
  const marked = { ...v1, content: { ...v1.content, underReadiness: true } };
  return {
    ...state,
    directives: { ...state.directives, [directiveId]: { ...directive, versions: [marked] } },
  };
}

function renderAt(state: State, minutes: number) {
  vi.setSystemTime(new Date(minutesAfterNow(minutes)));
  showPicture(state);
  const incident = state.incidents[incidentId];
  if (!incident) throw new Error('no incident');
  return render(<DirectiveInForce session={session} incident={incident} />);
}

describe('the directive in force at the top of the incident', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['Date'] }));
  afterEach(() => vi.useRealTimers());

  it('says what is in force, until when, when it is reviewed and who decided it', async () => {
    const user = userEvent.setup({ delay: null });
    const { container } = renderAt(underReadiness(directiveScene()), 60);
    const box = screen.getByTestId('directive-in-force');
    expect(screen.getByRole('heading', { name: /Gällande inriktning \(v1\)/ }).textContent).toContain(
      'Under höjd beredskap',
    );
    expect(box.textContent).toContain('Skydda liv och hälsa och upprätthålla samhällsviktig verksamhet');
    expect([...box.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'Liv och hälsa',
      'Elförsörjning till vård och omsorg',
    ]);
    expect(box.textContent).toContain('Beslutad av Dag Direktör (Länsstyrelsen i Stockholms län)');
    expect(box.querySelector('time[datetime="2024-05-01T12:00:00.000Z"]')).not.toBeNull();
    await user.click(screen.getByRole('button', { name: 'Visa hela inriktningen' }));
    expect(useView.getState().tab).toBe('directive');
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('shows nothing before a decision, or once the directive has expired', () => {
    const first = renderAt(directiveScene({ decided: false }), 60);
    expect(screen.queryByTestId('directive-in-force')).toBeNull();
    first.unmount();
    renderAt(directiveScene(), 25 * 60);
    expect(screen.queryByTestId('directive-in-force')).toBeNull();
  });
});
