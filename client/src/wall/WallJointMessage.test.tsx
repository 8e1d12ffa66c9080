import {
  buildIncident,
  buildState,
  minutesAfterNow,
  stockholmRegion,
  TEST_NOW,
} from '@lagesbild/shared/test-factories';
import type { JointMessage, State } from '@lagesbild/shared';
import { act, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { usePicture } from '../stores/picture';
import { MapStub } from '../test/map-stub';
import { seriousViolations } from '../test/conference-ui';
import { setUpUiTests } from '../test/ui';
import { buildConference, byId } from './conference-test-data';
import {
  buildAgreedVersion,
  buildCancellation,
  buildDraftVersion,
  buildJointMessage,
  buildMessageContent,
} from './message-test-data';
import { WALL_FRAME_MS } from './wall-frame';
import { WITHDRAWN_NOTICE_MS } from './wall-message';
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
const withMessages = (messages: JointMessage[], incidents = [storm]): State => ({
  ...buildState({ incidents }),
  jointMessages: byId(messages),
});
const texts = (headline: string, core = 'Kärnbudskapet.', whatToDo = 'Stanna inomhus.') => ({
  sv: { headline, core, whatToDo },
  en: null,
  svEasy: null,
});

const headline = () => screen.getByTestId('wall-joint-message-headline').textContent;

// Generous: a shared two-core machine runs axe slowly.
describe('the joint message on the wall', { timeout: 20_000 }, () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse(TEST_NOW) });
    useWall.setState({ link: { status: 'online', lostAt: null, everSynced: true } });
  });
  afterEach(() => vi.useRealTimers());

  it('shows the agreed headline and what to do, the core message and until when it is valid, never the draft after it', async () => {
    const agreed = buildAgreedVersion({
      content: buildMessageContent({
        texts: texts(
          'Stanna inomhus i kväll',
          'Kraftig storm med vindbyar upp till 30 m/s.',
          'Undvik onödiga resor och ladda mobilen.',
        ),
      }),
      agreedAt: minutesAfterNow(-5),
    });
    const draft = buildDraftVersion({
      version: 2,
      content: buildMessageContent({ texts: texts('Utkast som inte är överenskommet', 'Utkastets kärna') }),
      seq: 30,
    });
    show(withMessages([buildJointMessage({ incidentId: storm.id, versions: [agreed, draft] })]));
    render(<WallPage display={display} />);

    const panel = screen.getByTestId('wall-joint-message');
    expect(within(panel).getByRole('heading', { level: 2 }).textContent).toBe('Samordnat budskap');
    expect(headline()).toBe('Stanna inomhus i kväll');
    expect(screen.getByTestId('wall-joint-message-todo').textContent).toBe(
      'Gör så här: Undvik onödiga resor och ladda mobilen.',
    );
    expect(screen.getByTestId('wall-joint-message-core').textContent).toBe(
      'Kraftig storm med vindbyar upp till 30 m/s.',
    );
    expect(screen.getByTestId('wall-joint-message-when').textContent).toBe(
      'v1 · överenskommet 07:55 · gäller till 18:00',
    );
    expect(screen.getByTestId('wall').textContent).not.toContain('Utkast');
    expect(screen.queryByTestId('wall-joint-message-exercise')).toBeNull();
    vi.useRealTimers();
    expect(await seriousViolations(panel)).toEqual([]);
  });

  it('shows nothing of a message that is only a draft', () => {
    const draft = buildJointMessage({
      incidentId: storm.id,
      versions: [buildDraftVersion({ content: buildMessageContent({ texts: texts('Hemligt utkast') }) })],
    });
    show(withMessages([draft]));
    render(<WallPage display={display} />);
    expect(screen.getByTestId('wall-incident')).toBeTruthy();
    expect(screen.queryByTestId('wall-joint-message')).toBeNull();
    expect(screen.queryByText('Hemligt utkast')).toBeNull();
  });

  it('marks an exercise "ÖVNING" in the message panel', async () => {
    const exercise = buildJointMessage({
      incidentId: storm.id,
      versions: [buildAgreedVersion({ content: buildMessageContent({ exercise: true }) })],
    });
    show(withMessages([exercise]));
    render(<WallPage display={display} />);
    const panel = screen.getByTestId('wall-joint-message');
    expect(within(panel).getByTestId('wall-joint-message-exercise').textContent).toBe('ÖVNING');
    expect(panel.className).toContain('wall-joint-message--exercise');
    vi.useRealTimers();
    expect(await seriousViolations(panel)).toEqual([]);
  });

  it('says when a later validity begins', () => {
    const later = buildJointMessage({
      incidentId: storm.id,
      versions: [buildAgreedVersion({ content: buildMessageContent({ validFrom: minutesAfterNow(60) }) })],
    });
    show(withMessages([later]));
    render(<WallPage display={display} />);
    expect(screen.getByTestId('wall-joint-message-when').textContent).toBe(
      'v1 · överenskommet 08:00 · gäller från 09:00 till 18:00',
    );
  });

  it('turns to the incident and shows the headline within a second of the agreement, and holds it', () => {
    const draft = buildJointMessage({
      incidentId: flood.id,
      versions: [
        buildDraftVersion({ content: buildMessageContent({ texts: texts('Undvik Norrtälje centrum') }) }),
      ],
    });
    show(withMessages([draft], [storm, flood]));
    render(<WallPage display={display} />);
    act(() => vi.advanceTimersByTime(1_000));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Storm Ylva');

    const agreed = { ...draft, versions: [buildAgreedVersion({ content: draft.versions[0]?.content })] };
    arrive(withMessages([agreed], [storm, flood]));
    // The first change after a quiet frame is drawn at once.
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Översvämning i Norrtälje');
    expect(headline()).toBe('Undvik Norrtälje centrum');

    // It holds the incident past a normal turn, so the room can read it.
    act(() => vi.advanceTimersByTime(40_000));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Översvämning i Norrtälje');
  });

  it('turns to a withdrawn message and says "Återkallat" with the headline struck through', () => {
    const message = buildJointMessage({
      incidentId: flood.id,
      versions: [buildAgreedVersion({ content: buildMessageContent({ texts: texts('Koka vattnet') }) })],
    });
    show(withMessages([message], [storm, flood]));
    render(<WallPage display={display} />);
    act(() => vi.advanceTimersByTime(1_000));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Storm Ylva');

    arrive(
      withMessages(
        [{ ...message, cancelled: buildCancellation(new Date(Date.now()).toISOString()) }],
        [storm, flood],
      ),
    );
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Översvämning i Norrtälje');
    const panel = screen.getByTestId('wall-joint-message');
    expect(panel.getAttribute('data-kind')).toBe('withdrawn');
    expect(screen.getByTestId('wall-joint-message-when').textContent).toBe('Återkallat 08:00');
    expect(within(panel).getByText('Koka vattnet').tagName).toBe('DEL');
    expect(screen.queryByTestId('wall-joint-message-todo')).toBeNull();
  });

  it('removes the withdrawal notice after ten minutes', () => {
    const message = buildJointMessage({
      incidentId: storm.id,
      versions: [buildAgreedVersion({ content: buildMessageContent({ texts: texts('Koka vattnet') }) })],
      cancelled: buildCancellation(TEST_NOW),
    });
    show(withMessages([message]));
    render(<WallPage display={display} />);
    expect(screen.getByTestId('wall-joint-message').getAttribute('data-kind')).toBe('withdrawn');

    act(() => vi.advanceTimersByTime(WITHDRAWN_NOTICE_MS + 30_000));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Storm Ylva');
    expect(screen.queryByTestId('wall-joint-message')).toBeNull();
    expect(screen.queryByText('Koka vattnet')).toBeNull();
  });

  it('removes a message whose validity has run out', () => {
    const message = buildJointMessage({
      incidentId: storm.id,
      versions: [buildAgreedVersion({ content: buildMessageContent({ validUntil: minutesAfterNow(30) }) })],
    });
    show(withMessages([message]));
    render(<WallPage display={display} />);
    expect(headline()).toBe('Stanna inomhus i kväll');
    act(() => vi.advanceTimersByTime(31 * 60_000));
    expect(screen.queryByTestId('wall-joint-message')).toBeNull();
  });

  it('keeps a running conference on screen and shows the message as one line beside the facts', () => {
    const conference = buildConference({ incidentId: storm.id, step: 'jointMessage' });
    const message = buildJointMessage({
      incidentId: storm.id,
      versions: [buildAgreedVersion({ content: buildMessageContent({ exercise: true }) })],
    });
    show({ ...withMessages([message]), conferences: byId([conference]) });
    render(<WallPage display={display} />);
    expect(screen.getByTestId('wall-conference-step').getAttribute('data-step')).toBe('jointMessage');
    const line = screen.getByTestId('wall-joint-message');
    expect(line.tagName).toBe('P');
    expect(line.textContent).toBe('ÖVNING Budskap v1: Stanna inomhus i kväll');
  });
});
