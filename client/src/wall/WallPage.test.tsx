import {
  buildAttribution,
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
import {
  buildActionItem,
  buildAssessment,
  buildConference,
  buildRollCall,
  byId,
} from './conference-test-data';
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
    // The same next conference as the dashboard's: a request's time is no conference yet.
    show({
      ...buildState({
        incidents: [
          buildIncident({ status: 'requested', title: 'Vattenläcka', nextConferenceAt: minutesAfterNow(30) }),
        ],
        logEntries: [
          buildLogEntry({ text: 'SMHI varnar för kraftig vind i morgon', at: minutesAfterNow(-5) }),
        ],
      }),
      conferences: byId([
        buildConference({ title: 'Veckokonferens', status: 'scheduled', scheduledAt: minutesAfterNow(90) }),
      ]),
    });
    render(<WallPage display={display} />);
    act(() => vi.advanceTimersByTime(WALL_FRAME_MS));

    expect(screen.getByTestId('wall-mode').textContent).toBe('ORDINARIE LÄGE');
    const ordinary = screen.getByTestId('wall-ordinary');
    expect(
      within(ordinary).getByText('Veckokonferens', { selector: '.wall-conference__title' }),
    ).toBeTruthy();
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

  describe('the coordination conference', () => {
    const acked = { at: minutesAfterNow(1), by: buildAttribution({ actorId: 'nacka' }), seq: 2 };

    it('shows the current step large and the roll call while the conference runs, and the next step within a second', () => {
      const storm = buildIncident({
        title: 'Storm Ylva',
        summonedActorIds: ['lansstyrelsen', 'nacka', 'solna', 'polisen'],
        acknowledgements: { nacka: acked },
      });
      const conference = buildConference({
        incidentId: storm.id,
        summonedActorIds: ['lansstyrelsen', 'nacka', 'solna', 'polisen'],
        rollCall: {
          lansstyrelsen: buildRollCall({ presence: 'present' }),
          nacka: buildRollCall({ presence: 'absent' }),
          solna: buildRollCall({ presence: 'absent' }),
        },
      });
      show({ ...buildState({ incidents: [storm] }), conferences: byId([conference]) });
      render(<WallPage display={display} />);

      const step = screen.getByTestId('wall-conference-step');
      expect(step.textContent).toBe('Steg 1 av 7 Upprop');
      expect(step.getAttribute('aria-live')).toBe('polite');
      const agenda = screen.getByRole('list', { name: 'Dagordning' });
      expect(within(agenda).getAllByRole('listitem')).toHaveLength(7);
      expect(agenda.querySelector('[aria-current="step"]')?.textContent).toContain('Upprop');

      expect(screen.getByTestId('wall-roll-call-count').textContent).toBe(
        '1 närvarande · 0 företrädda · 2 frånvarande · 1 ej uppropade (! = ej kvitterat)',
      );
      expect(screen.getByTestId('wall-roll-nacka').textContent).toContain('frånvarande, har kvitterat');
      expect(screen.getByTestId('wall-roll-solna').textContent).toContain('frånvarande, har inte kvitterat');
      expect(screen.getByTestId('wall-roll-polisen').textContent).toContain('ej uppropad');
      // The roll call replaces the acknowledgement matrix, and nothing of between conferences shows.
      expect(screen.queryByTestId('wall-ack-count')).toBeNull();
      expect(screen.queryByTestId('wall-common-picture')).toBeNull();

      const stepped = {
        ...conference,
        step: 'rounds' as const,
        rollCall: {
          ...conference.rollCall,
          polisen: buildRollCall({
            presence: 'represented',
            representedBy: { actorId: 'lansstyrelsen', functionId: 'dutyOfficer' },
          }),
        },
      };
      act(() =>
        usePicture.getState().replaceWithSnapshot({
          epoch: 'e',
          seq: ++seq,
          state: { ...buildState({ incidents: [storm] }), conferences: byId([stepped]) },
        }),
      );
      act(() => vi.advanceTimersByTime(1_000));
      expect(screen.getByTestId('wall-conference-step').textContent).toBe('Steg 3 av 7 Aktörernas rundor');
      expect(screen.getByTestId('wall-roll-polisen').textContent).toContain('företrädd av Länsstyrelsen');
    });

    it('stays on the incident whose conference runs instead of rotating it away', () => {
      const storm = buildIncident({ title: 'Storm Ylva', activatedAt: minutesAfterNow(-10) });
      const flood = buildIncident({ title: 'Översvämning i Norrtälje', activatedAt: minutesAfterNow(-5) });
      const conference = buildConference({ incidentId: flood.id, step: 'assessment' });
      show({ ...buildState({ incidents: [storm, flood] }), conferences: byId([conference]) });
      render(<WallPage display={display} />);
      act(() => vi.advanceTimersByTime(1_000));
      expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Översvämning i Norrtälje');
      act(() => vi.advanceTimersByTime(60_000));
      expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Översvämning i Norrtälje');
      expect(screen.getByTestId('wall-conference-step').textContent).toContain('Samlad bedömning');
    });

    it('shows the latest common assessment and the open decisions with owner and due time between conferences', () => {
      const storm = buildIncident({ title: 'Storm Ylva' });
      const earlier = buildConference({
        incidentId: storm.id,
        status: 'closed',
        assessments: [buildAssessment({ situation: 'Gammal bedömning', seq: 4 })],
      });
      const latest = buildConference({
        incidentId: storm.id,
        title: 'Andra konferensen',
        status: 'closed',
        assessments: [
          buildAssessment({
            situation: 'Stormen har passerat länet.',
            uncertainties: '',
            at: minutesAfterNow(-30),
            seq: 9,
          }),
        ],
      });
      const decision = buildActionItem({
        incidentId: storm.id,
        kind: 'decision',
        text: 'Öppna trygghetspunkter i Nacka',
        ownerActorId: 'nacka',
        dueAt: minutesAfterNow(60),
      });
      const done = buildActionItem({ incidentId: storm.id, text: 'Redan klar', status: 'done' });
      show({
        ...buildState({ incidents: [storm] }),
        conferences: byId([earlier, latest]),
        actionItems: byId([decision, done]),
      });
      render(<WallPage display={display} />);

      expect(screen.queryByTestId('wall-conference')).toBeNull();
      expect(screen.getByTestId('wall-ack-count')).toBeTruthy();
      const assessment = screen.getByTestId('wall-assessment');
      expect(assessment.textContent).toContain('Från Andra konferensen, 07:30');
      expect(within(assessment).getByText('Läge').nextSibling?.textContent).toBe(
        'Stormen har passerat länet.',
      );
      expect(assessment.textContent).not.toContain('Gammal bedömning');
      // An empty part is left out rather than shown blank.
      expect(within(assessment).queryByText('Osäkerheter')).toBeNull();

      const decisions = screen.getByTestId('wall-decisions');
      expect(within(decisions).getAllByRole('listitem')).toHaveLength(1);
      expect(screen.getByTestId(`wall-decision-${decision.id}`).textContent).toBe(
        'Beslut Ansvarig: Nacka, senast 09:00: Öppna trygghetspunkter i Nacka',
      );
    });

    it('runs an ordinary-mode conference on the whole screen, and keeps a calm ordinary mode free of empty panels', () => {
      show(buildState({}));
      render(<WallPage display={display} />);
      expect(screen.getByTestId('wall-ordinary')).toBeTruthy();
      expect(screen.queryByTestId('wall-common-picture')).toBeNull();

      const weekly = buildConference({ title: 'Veckokonferens', step: 'convenerPicture' });
      act(() =>
        usePicture.getState().replaceWithSnapshot({
          epoch: 'e',
          seq: ++seq,
          state: { ...buildState({}), conferences: byId([weekly]) },
        }),
      );
      act(() => vi.advanceTimersByTime(WALL_FRAME_MS));
      expect(screen.queryByTestId('wall-ordinary')).toBeNull();
      expect(screen.getByTestId('wall-conference').textContent).toContain('Veckokonferens');
      expect(screen.getByTestId('wall-conference-step').textContent).toBe(
        'Steg 2 av 7 Sammankallande aktörs lägesbild',
      );

      const closed = {
        ...weekly,
        status: 'closed' as const,
        assessments: [buildAssessment({ situation: 'Inget särskilt att rapportera.' })],
      };
      show({
        ...buildState({}),
        conferences: byId([closed]),
        actionItems: byId([buildActionItem({ text: 'Uppdatera kontaktlistan', ownerActorId: 'solna' })]),
      });
      expect(screen.getByTestId('wall-ordinary')).toBeTruthy();
      expect(screen.getByTestId('wall-assessment').textContent).toContain('Inget särskilt att rapportera.');
      expect(screen.getByTestId('wall-decisions').textContent).toContain('Uppdatera kontaktlistan');
      expect(screen.getByTestId('wall-decisions').textContent).toContain('Ansvarig: Solna');
    });
  });
});
