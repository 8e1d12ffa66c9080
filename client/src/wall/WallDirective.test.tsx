import {
  buildDirectiveContent,
  buildIncident,
  buildState,
  minutesAfterNow,
  stockholmRegion,
  TEST_NOW,
} from '@lagesbild/shared/test-factories';
import type { State } from '@lagesbild/shared';
import { act, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { usePicture } from '../stores/picture';
import { MapStub } from '../test/map-stub';
import { seriousViolations } from '../test/conference-ui';
import { setUpUiTests } from '../test/ui';
import { buildConference, byId } from './conference-test-data';
import { buildDirective, buildDirectiveVersion } from './directive-test-data';
import { WALL_FRAME_MS } from './wall-frame';
import { WallPage } from './WallPage';
import { useWall, type WallDisplay } from './wall-store';

vi.mock('../map/LazyMap', () => ({ LazyMap: MapStub }));
vi.mock('../domain/alert-signals', () => ({ playActivationSound: vi.fn() }));

setUpUiTests();

const display: WallDisplay = {
  identity: { kind: 'device', name: 'Ledningsrummet' },
  region: stockholmRegion(),
  tiles: { url: '', attribution: '' },
};

let seq = 0;
/** A new picture from the server, without waiting for the wall's next frame. */
const arrive = (state: State) =>
  act(() => usePicture.getState().replaceWithSnapshot({ epoch: 'e', seq: ++seq, state }));
const show = (state: State) => {
  arrive(state);
  act(() => vi.advanceTimersByTime(WALL_FRAME_MS));
};

const storm = buildIncident({ title: 'Storm Ylva', activatedAt: minutesAfterNow(-10) });
const flood = buildIncident({ title: 'Översvämning i Norrtälje', activatedAt: minutesAfterNow(-5) });

// Generous: a shared two-core machine runs axe slowly.
describe('the directive in force on the wall', { timeout: 20_000 }, () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse(TEST_NOW) });
    useWall.setState({ link: { status: 'online', lostAt: null, everSynced: true } });
  });
  afterEach(() => vi.useRealTimers());

  it('shows the purpose and priorities of the version in force, with when it was decided and until when it is valid', async () => {
    const v1 = buildDirectiveVersion({ content: buildDirectiveContent({ purpose: 'Gammalt syfte' }) });
    const v2 = buildDirectiveVersion({
      version: 2,
      content: buildDirectiveContent({
        purpose: 'Skydda liv och hälsa under stormen',
        priorities: [
          'Liv och hälsa',
          'Elförsörjning till vård och omsorg',
          'Framkomlighet',
          'Information',
          'Vatten',
          'Tele',
        ],
        validUntil: minutesAfterNow(10 * 60),
        underReadiness: true,
      }),
      decidedAt: minutesAfterNow(-15),
      seq: 20,
    });
    const directive = buildDirective({ incidentId: storm.id, versions: [v1, v2] });
    show({ ...buildState({ incidents: [storm] }), directives: byId([directive]) });
    render(<WallPage display={display} />);

    const panel = screen.getByTestId('wall-directive');
    expect(within(panel).getByRole('heading', { level: 2 }).textContent).toBe('Gällande inriktning');
    expect(screen.getByTestId('wall-directive-purpose').textContent).toBe(
      'Skydda liv och hälsa under stormen',
    );
    expect(panel.textContent).not.toContain('Gammalt syfte');
    expect(screen.getByTestId('wall-directive-when').textContent).toBe(
      'v2 · beslutad 07:45 · gäller till 18:00 · under höjd beredskap',
    );
    // In order, large, on four lines at most: the first three, and the rest counted.
    const priorities = within(panel).getByRole('list', { name: 'Prioriteringar' });
    expect(
      within(priorities)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      '1Liv och hälsa',
      '2Elförsörjning till vård och omsorg',
      '3Framkomlighet',
      '+ 3 prioriteringar till',
    ]);
    vi.useRealTimers();
    expect(await seriousViolations(panel)).toEqual([]);
  });

  it('shows no directive once the version in force has expired, nor an older version in its place', () => {
    const v1 = buildDirectiveVersion({ content: buildDirectiveContent({ purpose: 'Första syftet' }) });
    const v2 = buildDirectiveVersion({
      version: 2,
      content: buildDirectiveContent({ purpose: 'Andra syftet', validUntil: minutesAfterNow(30) }),
      seq: 20,
    });
    show({
      ...buildState({ incidents: [storm] }),
      directives: byId([buildDirective({ incidentId: storm.id, versions: [v1, v2] })]),
    });
    render(<WallPage display={display} />);
    expect(screen.getByTestId('wall-directive-purpose').textContent).toBe('Andra syftet');

    act(() => vi.advanceTimersByTime(31 * 60_000));
    expect(screen.queryByTestId('wall-directive')).toBeNull();
    expect(screen.queryByText('Första syftet')).toBeNull();
  });

  it('turns to the incident and shows the purpose within a second of the decision', () => {
    show(buildState({ incidents: [storm, flood] }));
    render(<WallPage display={display} />);
    act(() => vi.advanceTimersByTime(1_000));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Storm Ylva');

    const decided = buildDirective({
      incidentId: flood.id,
      versions: [
        buildDirectiveVersion({ content: buildDirectiveContent({ purpose: 'Rädda liv i Norrtälje' }) }),
      ],
    });
    arrive({ ...buildState({ incidents: [storm, flood] }), directives: byId([decided]) });
    act(() => vi.advanceTimersByTime(WALL_FRAME_MS));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Översvämning i Norrtälje');
    expect(screen.getByTestId('wall-directive-purpose').textContent).toBe('Rädda liv i Norrtälje');

    // It holds the incident past a normal turn, so the room can read it.
    act(() => vi.advanceTimersByTime(40_000));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Översvämning i Norrtälje');
  });

  it('keeps a running conference on screen and shows the directive as one line beside the facts', () => {
    const conference = buildConference({ incidentId: flood.id, step: 'directives' });
    const directive = buildDirective({ incidentId: flood.id });
    show({
      ...buildState({ incidents: [storm, flood] }),
      conferences: byId([conference]),
      directives: byId([directive]),
    });
    render(<WallPage display={display} />);
    act(() => vi.advanceTimersByTime(1_000));

    expect(screen.getByTestId('wall-conference-step').getAttribute('data-step')).toBe('directives');
    const line = screen.getByTestId('wall-directive');
    expect(line.tagName).toBe('P');
    expect(line.textContent).toBe(
      'Inriktning v1: Skydda liv och hälsa och upprätthålla samhällsviktig verksamhet under stormen',
    );
    expect(screen.queryByRole('list', { name: 'Prioriteringar' })).toBeNull();

    // A directive decided on another incident does not take the conference's screen away.
    const other = buildDirective({ incidentId: storm.id, versions: [buildDirectiveVersion({ seq: 30 })] });
    arrive({
      ...buildState({ incidents: [storm, flood] }),
      conferences: byId([conference]),
      directives: byId([directive, other]),
    });
    act(() => vi.advanceTimersByTime(2_000));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Översvämning i Norrtälje');
    expect(screen.getByTestId('wall-conference-step')).toBeTruthy();
  });

  it('names the level of heightened readiness in the top bar, and where it applies in the small print', () => {
    show(
      buildState({
        readiness: {
          heightened: true,
          level: 'highest',
          scope: 'parts',
          parts: 'Gotlands län',
          decisionRef: 'Fö2026/01234',
        },
      }),
    );
    render(<WallPage display={display} />);
    expect(screen.getByTestId('wall-readiness').textContent).toBe('HÖGSTA BEREDSKAP');
    expect(screen.getByTestId('wall-readiness-scope').textContent).toBe(
      'Höjd beredskap gäller: Delar av landet: Gotlands län · Regeringsbeslut Fö2026/01234',
    );

    show(
      buildState({
        readiness: { heightened: true, level: 'heightened', scope: 'country', decisionRef: 'Fö2026/02000' },
      }),
    );
    expect(screen.getByTestId('wall-readiness').textContent).toBe('SKÄRPT BEREDSKAP');
    expect(screen.getByTestId('wall-readiness-scope').textContent).toBe(
      'Höjd beredskap gäller: Hela landet · Regeringsbeslut Fö2026/02000',
    );

    // Without a named decision the scope was never recorded: none is claimed.
    show(buildState({ readiness: { heightened: true, level: 'heightened', scope: 'country' } }));
    expect(screen.getByTestId('wall-readiness').textContent).toBe('SKÄRPT BEREDSKAP');
    expect(screen.queryByTestId('wall-readiness-scope')).toBeNull();

    show(buildState({}));
    expect(screen.queryByTestId('wall-readiness')).toBeNull();
    expect(screen.queryByTestId('wall-readiness-scope')).toBeNull();
  });
});
