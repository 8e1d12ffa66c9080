import {
  buildIncident,
  buildLogEntry,
  buildState,
  minutesAfterNow,
  stockholmRegion,
  TEST_NOW,
} from '@lagesbild/shared/test-factories';
import type { State } from '@lagesbild/shared';
import { act, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WALL_RESET_NOTICE_MS } from '../components/LogNotices';
import { useConnection } from '../stores/connection';
import { useLogNotices } from '../stores/log-notices';
import { usePicture } from '../stores/picture';
import { MapStub } from '../test/map-stub';
import { setUpUiTests } from '../test/ui';
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
const show = (state: State) =>
  act(() => {
    usePicture.getState().replaceWithSnapshot({ epoch: 'e', seq: ++seq, state });
    vi.advanceTimersByTime(WALL_FRAME_MS);
  });

describe('WallPage', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse(TEST_NOW) });
    useWall.setState({ link: { status: 'online', lostAt: null, everSynced: true } });
  });
  afterEach(() => vi.useRealTimers());

  it('says the picture was reset with nothing to click, and takes it down by itself', () => {
    show(buildState({}));
    render(<WallPage display={display} />);
    act(() => useLogNotices.getState().showReset());
    const notice = screen.getByTestId('picture-reset');
    expect(notice.textContent).toContain('Lägesbilden har återställts');
    expect(within(notice).queryByRole('button')).toBeNull();
    act(() => vi.advanceTimersByTime(WALL_RESET_NOTICE_MS));
    expect(screen.queryByTestId('picture-reset')).toBeNull();
  });

  it('shows ordinary mode calmly: the next conference and the newest log entries', () => {
    show(
      buildState({
        incidents: [
          buildIncident({ status: 'requested', title: 'Vattenläcka', nextConferenceAt: minutesAfterNow(90) }),
        ],
        logEntries: [
          buildLogEntry({ text: 'SMHI varnar för kraftig vind i morgon', at: minutesAfterNow(-5) }),
        ],
      }),
    );
    render(<WallPage display={display} />);
    act(() => vi.advanceTimersByTime(WALL_FRAME_MS));

    expect(screen.getByTestId('wall-mode').textContent).toBe('ORDINARIE LÄGE');
    const ordinary = screen.getByTestId('wall-ordinary');
    expect(within(ordinary).getByText('Vattenläcka', { selector: '.wall-conference__title' })).toBeTruthy();
    expect(within(screen.getByTestId('wall-log')).getByText(/SMHI varnar för kraftig vind/)).toBeTruthy();
    expect(screen.queryByTestId('wall-takeover')).toBeNull();
  });

  it('fills the screen at once for an activation that happens while it runs, not for one already active', () => {
    const storm = buildIncident({ title: 'Storm Ylva', summonedActorIds: ['lansstyrelsen', 'nacka'] });
    show(buildState({ incidents: [storm] }));
    render(<WallPage display={display} />);
    act(() => vi.advanceTimersByTime(WALL_FRAME_MS));
    expect(screen.queryByTestId('wall-takeover')).toBeNull();
    expect(screen.getByTestId('wall-ack-count').textContent).toBe('0 av 2 har kvitterat');

    const flood = buildIncident({ title: 'Översvämning i Norrtälje', activatedAt: minutesAfterNow(1) });
    act(() =>
      usePicture
        .getState()
        .replaceWithSnapshot({ epoch: 'e', seq: ++seq, state: buildState({ incidents: [storm, flood] }) }),
    );

    // No frame has passed: the takeover does not wait for one.
    const takeover = screen.getByTestId('wall-takeover');
    expect(within(takeover).getByText('AKTIVERING')).toBeTruthy();
    expect(within(takeover).getByRole('heading').textContent).toBe('Översvämning i Norrtälje');
    expect(takeover.textContent).toContain('Alla aktörer kallade');

    // It gives way by itself, to the new incident, held on screen.
    act(() => vi.advanceTimersByTime(60_000));
    expect(screen.queryByTestId('wall-takeover')).toBeNull();
    expect(screen.getByTestId('wall-incident').textContent).toContain('Översvämning i Norrtälje');
    expect(screen.getByTestId('wall-incident').textContent).toContain('Händelse 2 av 2');
  });

  it('rotates between incidents in activated mode', () => {
    const storm = buildIncident({ title: 'Storm Ylva', activatedAt: minutesAfterNow(-10) });
    const flood = buildIncident({ title: 'Översvämning i Norrtälje', activatedAt: minutesAfterNow(-5) });
    show(buildState({ incidents: [storm, flood] }));
    render(<WallPage display={display} />);
    act(() => vi.advanceTimersByTime(1_000));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Storm Ylva');
    act(() => vi.advanceTimersByTime(20_000));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Översvämning i Norrtälje');
  });

  it('says how old its data is when the link has been down past the grace, and dims nothing while live', () => {
    show(buildState());
    render(<WallPage display={display} />);
    expect(screen.queryByTestId('stale-warning')).toBeNull();

    act(() => useWall.setState({ link: { status: 'reconnecting', lostAt: Date.now(), everSynced: true } }));
    act(() => vi.advanceTimersByTime(2_000));
    expect(screen.queryByTestId('stale-warning')).toBeNull();

    act(() => vi.advanceTimersByTime(3 * 60_000));
    const warning = screen.getByTestId('stale-warning');
    expect(warning.getAttribute('role')).toBe('alert');
    expect(warning.textContent).toContain('INAKTUELL BILD');
    expect(warning.textContent).toContain('uppgifterna är 3 minuter gamla');

    act(() => useWall.setState({ link: { status: 'online', lostAt: null, everSynced: true } }));
    expect(screen.queryByTestId('stale-warning')).toBeNull();
  });

  it('warns that the picture may be outdated while its server is cut off from its database, though the link is up', () => {
    show(buildState({}));
    render(<WallPage display={display} />);
    expect(screen.queryByTestId('stale-warning')).toBeNull();

    const since = Date.now() - 45_000;
    act(() => useConnection.getState().setStaleSince(new Date(since).toISOString()));
    const warning = screen.getByTestId('stale-warning');
    expect(warning.getAttribute('data-cause')).toBe('hub');
    expect(warning.textContent).toContain('INAKTUELL BILD');
    expect(warning.textContent).toContain('Servern har inte nått sin databas sedan');
    expect(warning.textContent).toContain('45 sekunder');

    act(() => useConnection.getState().setStaleSince(null));
    expect(screen.queryByTestId('stale-warning')).toBeNull();
  });
});
