import {
  buildAttribution,
  buildDirectiveContent,
  buildIncident,
  buildState,
  minutesAfterNow,
  TEST_NOW,
  testUuid,
} from '@lagesbild/shared/test-factories';
import type { Command, State } from '@lagesbild/shared';
import { act, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useOutbox } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import { seriousViolations } from '../test/conference-ui';
import { buildSessionInfo } from '../test/fixtures';
import { MapStub } from '../test/map-stub';
import { setUpUiTests } from '../test/ui';
import { byId } from '../wall/conference-test-data';
import { buildDirective, buildDirectiveVersion, buildFollowUp } from '../wall/directive-test-data';
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

// The directive's validity is judged against the clock: only the date is the test's.
beforeEach(() => vi.useFakeTimers({ now: Date.parse(TEST_NOW), toFake: ['Date'] }));
afterEach(() => vi.useRealTimers());

const nackaTib = buildSessionInfo();
const nackaViewer = buildSessionInfo({
  user: { id: 'user-nacka-viewer', username: 'lasare.nacka', name: 'Lisa Läsare' },
  functionIds: ['viewer'],
});

const show = (state: State) =>
  act(() => usePicture.getState().replaceWithSnapshot({ epoch: 'e', seq: 1, state }));

const queued = (): Command[] =>
  Object.values(useOutbox.getState().items)
    .sort((a, b) => a.order - b.order)
    .map((item) => item.command);

// Acknowledged, so the activation alert does not cover the page.
const storm = buildIncident({
  title: 'Storm Ylva',
  acknowledgements: { nacka: { at: minutesAfterNow(1), by: buildAttribution(), seq: 2 } },
});
// The default content: "Öppna trygghetspunkter" for Nacka, "Säkra reservkraft på sjukhusen" for Region Stockholm.
const nackaItemId = testUuid(0xd1);

const openPicture = async (session = nackaTib) => {
  render(<PhonePage session={session} live />);
  await userEvent.click(screen.getByRole('tab', { name: 'Läget' }));
};

// Generous: a shared two-core machine runs axe slowly.
describe('the directive in force on the phone', { timeout: 20_000 }, () => {
  it("shows the purpose and only the items of the person's own actor", async () => {
    const directive = buildDirective({ incidentId: storm.id });
    show({ ...buildState({ incidents: [storm] }), directives: byId([directive]) });
    await openPicture();

    const shown = screen.getByTestId('phone-directive');
    expect(within(shown).getByRole('heading', { level: 4 }).textContent).toBe(
      'Gällande inriktning v1, beslutad 08:00, gäller till 2 maj 08:00',
    );
    expect(shown.textContent).toContain('Skydda liv och hälsa och upprätthålla samhällsviktig verksamhet');
    const items = within(shown).getByTestId('phone-directive-items');
    expect(within(items).getAllByRole('listitem')).toHaveLength(1);
    expect(items.textContent).toContain('Öppna trygghetspunkter');
    expect(items.textContent).toContain('Inte mottaget ännu.');
    expect(shown.textContent).not.toContain('Säkra reservkraft på sjukhusen');
  });

  it('confirms an item through the outbox with one tap, and says it waits to be sent', async () => {
    const directive = buildDirective({ incidentId: storm.id });
    show({ ...buildState({ incidents: [storm] }), directives: byId([directive]) });
    await openPicture();

    await userEvent.click(
      screen.getByRole('button', { name: 'Mottaget och omhändertaget: Öppna trygghetspunkter' }),
    );
    await vi.waitFor(() =>
      expect(queued()).toEqual([
        {
          id: expect.any(String),
          type: 'directive.confirm',
          payload: { directiveId: directive.id, itemId: nackaItemId },
        },
      ]),
    );
    const item = screen.getByTestId(`phone-directive-item-${nackaItemId}`);
    expect(within(item).getByRole('status').textContent).toBe(
      'Mottaget – skickas så snart telefonen har kontakt.',
    );
    expect(within(item).queryByRole('button', { name: /^Mottaget/ })).toBeNull();
  });

  it('reports the outcome of a confirmed item with a short text', async () => {
    const directive = buildDirective({
      incidentId: storm.id,
      followUps: { [`${nackaItemId}@1`]: buildFollowUp() },
    });
    show({ ...buildState({ incidents: [storm] }), directives: byId([directive]) });
    await openPicture();

    const item = screen.getByTestId(`phone-directive-item-${nackaItemId}`);
    expect(item.textContent).toContain('Mottaget och omhändertaget 08:00 av Nils Nord');
    expect(within(item).queryByRole('button', { name: /^Mottaget/ })).toBeNull();

    await userEvent.click(
      within(item).getByRole('button', { name: 'Rapportera utfall: Öppna trygghetspunkter' }),
    );
    expect(await seriousViolations(document.body)).toEqual([]);
    await userEvent.click(within(item).getByRole('radio', { name: 'Delvis klart' }));
    await userEvent.type(within(item).getByLabelText('Kort beskrivning'), 'Två av tre öppna');
    await userEvent.click(within(item).getByRole('button', { name: 'Skicka rapporten' }));

    await vi.waitFor(() =>
      expect(queued()).toEqual([
        {
          id: expect.any(String),
          type: 'directive.reportItem',
          payload: {
            directiveId: directive.id,
            itemId: nackaItemId,
            outcome: 'partlyDone',
            text: 'Två av tre öppna',
          },
        },
      ]),
    );
    expect(within(item).getByRole('status').textContent).toBe(
      'Rapporten skickas så snart telefonen har kontakt.',
    );
  });

  it('asks for an outcome before sending a report, and sends nothing without one', async () => {
    const directive = buildDirective({
      incidentId: storm.id,
      followUps: { [`${nackaItemId}@1`]: buildFollowUp() },
    });
    show({ ...buildState({ incidents: [storm] }), directives: byId([directive]) });
    await openPicture();

    await userEvent.click(screen.getByRole('button', { name: 'Rapportera utfall: Öppna trygghetspunkter' }));
    await userEvent.click(screen.getByRole('button', { name: 'Skicka rapporten' }));
    expect(screen.getByRole('alert').textContent).toBe('Välj ett utfall.');
    expect(queued()).toEqual([]);
  });

  it('shows a reported outcome, and lets the owner change it', async () => {
    const reported = buildFollowUp({
      outcome: 'done',
      outcomeText: 'Tre trygghetspunkter öppna',
      reportedAt: minutesAfterNow(90),
      reportedBy: buildAttribution({ actorId: 'nacka' }),
    });
    const directive = buildDirective({ incidentId: storm.id, followUps: { [`${nackaItemId}@1`]: reported } });
    show({ ...buildState({ incidents: [storm] }), directives: byId([directive]) });
    await openPicture();

    const item = screen.getByTestId(`phone-directive-item-${nackaItemId}`);
    expect(item.textContent).toContain('Klart – Tre trygghetspunkter öppna (09:30)');
    await userEvent.click(
      within(item).getByRole('button', { name: 'Ändra rapporten: Öppna trygghetspunkter' }),
    );
    expect((within(item).getByRole('radio', { name: 'Klart' }) as HTMLInputElement).checked).toBe(true);
  });

  it('shows the items without buttons to a person whose function may not confirm', async () => {
    const directive = buildDirective({ incidentId: storm.id });
    show({ ...buildState({ incidents: [storm] }), directives: byId([directive]) });
    await openPicture(nackaViewer);
    expect(screen.getByTestId('phone-directive-items').textContent).toContain('Öppna trygghetspunkter');
    expect(screen.queryByRole('button', { name: /^Mottaget/ })).toBeNull();
  });

  it('shows nothing of a directive whose validity has ended', async () => {
    const expired = buildDirectiveVersion({
      content: buildDirectiveContent({ validFrom: minutesAfterNow(-120), validUntil: minutesAfterNow(-1) }),
    });
    show({
      ...buildState({ incidents: [storm] }),
      directives: byId([buildDirective({ incidentId: storm.id, versions: [expired] })]),
    });
    await openPicture();
    expect(screen.getByTestId('phone-incident')).toBeTruthy();
    expect(screen.queryByTestId('phone-directive')).toBeNull();
  });
});

describe('heightened readiness on the phone', () => {
  it('names the level, where it applies and the government decision in the banner', () => {
    show(
      buildState({
        readiness: {
          heightened: true,
          level: 'heightened',
          scope: 'parts',
          parts: 'Stockholms län',
          decisionRef: 'Fö2026/01234',
          decisionDate: '2024-04-30T12:00:00.000Z',
        },
      }),
    );
    render(<PhonePage session={nackaTib} live />);
    const banner = screen.getByTestId('readiness');
    expect(
      within(banner)
        .getAllByText(/./)
        .map((e) => e.textContent),
    ).toEqual([
      'SKÄRPT BEREDSKAP',
      'Delar av landet: Stockholms län',
      'Regeringsbeslut Fö2026/01234, 2024-04-30',
    ]);
  });

  it('shows no readiness while none is in force', () => {
    show(buildState({ incidents: [storm] }));
    render(<PhonePage session={nackaTib} live />);
    expect(screen.queryByTestId('readiness')).toBeNull();
  });
});
