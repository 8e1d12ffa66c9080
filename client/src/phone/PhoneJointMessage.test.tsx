import {
  buildAttribution,
  buildIncident,
  buildState,
  minutesAfterNow,
  TEST_NOW,
} from '@lagesbild/shared/test-factories';
import type { JointMessage, State } from '@lagesbild/shared';
import { act, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { usePicture } from '../stores/picture';
import { seriousViolations } from '../test/conference-ui';
import { buildSessionInfo } from '../test/fixtures';
import { MapStub } from '../test/map-stub';
import { setUpUiTests } from '../test/ui';
import { byId } from '../wall/conference-test-data';
import {
  buildAgreedVersion,
  buildCancellation,
  buildDraftVersion,
  buildJointMessage,
  buildMessageContent,
} from '../wall/message-test-data';
import { PhonePage } from './PhonePage';

vi.mock('../map/LazyMap', () => ({ LazyMap: MapStub }));
vi.mock('../domain/alert-signals', () => ({ playActivationSound: vi.fn() }));
vi.mock('../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();

// Validity is judged against the clock: only the date is the test's.
beforeEach(() => vi.useFakeTimers({ now: Date.parse(TEST_NOW), toFake: ['Date'] }));
afterEach(() => vi.useRealTimers());

// Acknowledged, so the activation alert does not cover the page.
const storm = buildIncident({
  title: 'Storm Ylva',
  acknowledgements: { nacka: { at: minutesAfterNow(1), by: buildAttribution(), seq: 2 } },
});

const show = (messages: JointMessage[]) =>
  act(() =>
    usePicture.getState().replaceWithSnapshot({
      epoch: 'e',
      seq: 1,
      state: { ...buildState({ incidents: [storm] }), jointMessages: byId(messages) } satisfies State,
    }),
  );

const openPicture = async () => {
  render(<PhonePage session={buildSessionInfo()} live />);
  await userEvent.click(screen.getByRole('tab', { name: 'Läget' }));
};

const texts = (headline: string) => ({
  sv: {
    headline,
    core: 'Kraftig storm med vindbyar upp till 30 m/s.',
    whatToDo: 'Undvik onödiga resor och ladda mobilen.',
  },
  en: null,
  svEasy: null,
});

// Generous: a shared two-core machine runs axe slowly.
describe('the joint message on the phone', { timeout: 20_000 }, () => {
  it('shows the agreed headline, core message and what to do, with the agreed version and its time, never the draft after it', async () => {
    const agreed = buildAgreedVersion({
      content: buildMessageContent({ texts: texts('Stanna inomhus i kväll') }),
      agreedAt: minutesAfterNow(-5),
    });
    const draft = buildDraftVersion({
      version: 2,
      content: buildMessageContent({ texts: texts('Ett utkast') }),
      seq: 30,
    });
    show([buildJointMessage({ incidentId: storm.id, versions: [agreed, draft] })]);
    await openPicture();

    const shown = within(screen.getByTestId('phone-incident')).getByTestId('phone-joint-message');
    expect(within(shown).getByRole('heading', { level: 4 }).textContent).toBe(
      'Samordnat budskap v1, överenskommet 07:55, gäller till 18:00',
    );
    expect(within(shown).getByTestId('phone-joint-message-headline').textContent).toBe(
      'Stanna inomhus i kväll',
    );
    expect(shown.textContent).toContain('Kraftig storm med vindbyar upp till 30 m/s.');
    expect(shown.textContent).toContain('Gör så här: Undvik onödiga resor och ladda mobilen.');
    expect(shown.textContent).not.toContain('Ett utkast');
    expect(screen.queryByTestId('phone-joint-message-exercise')).toBeNull();
    vi.useRealTimers();
    expect(await seriousViolations(document.body)).toEqual([]);
  });

  it('shows nothing of a message that is only a draft', async () => {
    show([
      buildJointMessage({
        incidentId: storm.id,
        versions: [buildDraftVersion({ content: buildMessageContent({ texts: texts('Ett utkast') }) })],
      }),
    ]);
    await openPicture();
    expect(screen.getByTestId('phone-incident')).toBeTruthy();
    expect(screen.queryByTestId('phone-joint-message')).toBeNull();
    expect(screen.queryByText('Ett utkast')).toBeNull();
  });

  it('marks an exercise as not a real event', async () => {
    show([
      buildJointMessage({
        incidentId: storm.id,
        versions: [buildAgreedVersion({ content: buildMessageContent({ exercise: true }) })],
      }),
    ]);
    await openPicture();
    expect(screen.getByTestId('phone-joint-message-exercise').textContent).toBe(
      'ÖVNING – inte en verklig händelse',
    );
    vi.useRealTimers();
    expect(await seriousViolations(document.body)).toEqual([]);
  });

  it('says a withdrawn message was withdrawn, with its headline struck through and nothing else of it', async () => {
    show([
      buildJointMessage({
        incidentId: storm.id,
        versions: [buildAgreedVersion({ content: buildMessageContent({ texts: texts('Koka vattnet') }) })],
        cancelled: buildCancellation(minutesAfterNow(-2)),
      }),
    ]);
    await openPicture();
    const shown = screen.getByTestId('phone-joint-message');
    expect(within(shown).getByRole('status').textContent).toBe('Återkallat 07:58 – sprid det inte vidare.');
    expect(within(shown).getByText('Koka vattnet').tagName).toBe('DEL');
    expect(shown.textContent).not.toContain('Undvik onödiga resor');
  });

  it('shows nothing of a message whose validity has ended', async () => {
    show([
      buildJointMessage({
        incidentId: storm.id,
        versions: [buildAgreedVersion({ content: buildMessageContent({ validUntil: minutesAfterNow(-1) }) })],
      }),
    ]);
    await openPicture();
    expect(screen.queryByTestId('phone-joint-message')).toBeNull();
  });
});
