import type { Command, SessionInfo, State } from '@lagesbild/shared';
import {
  buildDirectiveConfirmCommand,
  buildDirectiveContent,
  buildDirectiveReportCommand,
  minutesAfterNow,
  runCommands,
  type Step,
} from '@lagesbild/shared/test-factories';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useOutbox } from '../stores/outbox';
import { seriousViolations, sentCommands, showPicture } from '../test/conference-ui';
import {
  activationStep,
  coordinatorBy,
  decideStep,
  DIRECTIVE_SCENE,
  directiveScene,
  draftStep,
  nackaBy,
} from '../test/directive-scene';
import { buildSessionInfo } from '../test/fixtures';
import { MapStub } from '../test/map-stub';
import { setUpUiTests } from '../test/ui';
import { DirectiveTab } from './DirectiveTab';

vi.mock('../map/LazyMap', () => ({ LazyMap: MapStub }));
vi.mock('../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();

const { incidentId, directiveId, nackaItem, regionItem } = DIRECTIVE_SCENE;

const coordinator = buildSessionInfo({
  user: { id: coordinatorBy.userId, username: 'lst.samordnare', name: coordinatorBy.userName },
  actorId: 'lansstyrelsen',
  functionIds: ['coordinator'],
});
const directing = buildSessionInfo({
  user: { id: 'user-lansstyrelsen-directing', username: 'directing.lansstyrelsen', name: 'Dag Direktör' },
  actorId: 'lansstyrelsen',
  functionIds: ['directing'],
});
const nacka = buildSessionInfo();

/**
 * The region with a handful of actors: the storm template gives every municipality its
 * items, and jsdom is slow with a hundred rows of forty owners each.
 */
const smallRegion = (() => {
  const region = coordinator.region;
  const kept = ['lansstyrelsen', 'nacka', 'stockholm', 'region-stockholm', 'polisen', 'trafikverket'];
  return { ...region, actors: region.actors.filter((a) => kept.includes(a.id)) };
})();
const regionTib = buildSessionInfo({
  user: { id: 'user-region-tib', username: 'region.tib', name: 'Rut Region' },
  actorId: 'region-stockholm',
});

/** The page's clock: an hour after the activation, before the review time, unless moved. */
function clockAt(minutes: number) {
  vi.setSystemTime(new Date(minutesAfterNow(minutes)));
}

function renderTab(session: SessionInfo, state: State) {
  showPicture(state);
  const incident = state.incidents[incidentId];
  if (!incident) throw new Error('no incident');
  return render(<DirectiveTab session={session} incident={incident} />);
}

/** Folds commands the page sent, as the hub would decide them, at the page's clock. */
function hubDecides(
  state: State,
  commands: readonly Command[],
  by = coordinatorBy,
  region = coordinator.region,
): State {
  const at = new Date(Date.now()).toISOString();
  const next = runCommands(
    commands.map((command) => ({ command, by, at })),
    { state, firstSeq: 200, region },
  ).state;
  act(() => {
    showPicture(next, 300);
    // The hub's answer: the outbox hands each command over as sent.
    for (const item of Object.values(useOutbox.getState().items)) {
      useOutbox.getState().upsert({ ...item, status: 'sent' });
    }
  });
  return next;
}

// Generous: a shared two-core machine types and runs axe slowly.
describe('the directive tab', { timeout: 30_000 }, () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    clockAt(60);
  });
  afterEach(() => vi.useRealTimers());

  it('drafts from the storm template; an edited priority reads as changed, the rest as the template’s', async () => {
    const user = userEvent.setup({ delay: null });
    const state = runCommands([activationStep()]).state;
    renderTab({ ...coordinator, region: smallRegion }, state);
    await user.click(screen.getByRole('button', { name: 'Ny inriktning' }));
    const chooser = screen.getByTestId('template-chooser');
    // Made for storms (weather) first, and chosen.
    expect(within(chooser).getByRole('radio', { name: /^Storm/ })).toHaveProperty('checked', true);
    await user.click(screen.getByRole('button', { name: 'Börja skriva' }));

    const editor = screen.getByTestId('directive-editor');
    expect((screen.getByLabelText(/^Syfte och gemensamt mål/) as HTMLTextAreaElement).value).toMatch(
      /^Begränsa stormens konsekvenser/,
    );
    const priorities = within(editor).getByTestId('priority-editor');
    expect(within(priorities).getByTestId('template-mark').textContent).toBe('Från mallen');
    fireEvent.change(within(priorities).getByLabelText('Prioritet 1'), {
      target: { value: 'Liv och hälsa först, även i avskurna områden' },
    });
    expect(within(priorities).getByTestId('template-mark').textContent).toBe('Ändrad från mallen');
    expect(within(within(editor).getByTestId('items-editor')).getByTestId('template-mark').textContent).toBe(
      'Från mallen',
    );

    await user.click(screen.getByRole('button', { name: 'Spara utkastet' }));
    const [command] = await sentCommands(1);
    if (command?.type !== 'directive.draft') throw new Error(`sent ${command?.type}`);
    expect(command.payload).toMatchObject({ incidentId, templateId: 'storm', baseVersion: 0 });
    expect(command.payload.content.priorities[0]).toBe('Liv och hälsa först, även i avskurna områden');
    expect(command.payload.content.items.some((i) => i.ownerActorId === 'nacka')).toBe(true);

    // The hub fills the template again as it saves: only the priority reads as changed.
    hubDecides(state, [command], coordinatorBy, smallRegion);
    const draft = await screen.findByTestId('draft-content');
    const markOf = (field: string) =>
      within(draft.querySelector(`[data-field="${field}"]`) as HTMLElement).getByTestId('template-mark')
        .textContent;
    expect(markOf('priorities')).toBe('Ändrad från mallen');
    expect(markOf('purpose')).toBe('Från mallen');
    expect(markOf('items')).toBe('Från mallen');
    expect(markOf('validity')).toBe('Från mallen');
    expect(markOf('reviewAt')).toBe('Från mallen');
    // The form filled the incident's area as the hub does: not "changed".
    expect(markOf('area')).toBe('Från mallen');
    // Items only for the summoned actors (Polisen and Trafikverket are not).
    const owners = new Set(command.payload.content.items.map((i) => i.ownerActorId));
    expect([...owners].sort()).toEqual(['lansstyrelsen', 'nacka', 'region-stockholm', 'stockholm']);

    // Saving the draft again keeps its times: no "start changed" from a later save.
    clockAt(90);
    await user.click(screen.getByRole('button', { name: 'Ändra utkastet' }));
    await user.click(screen.getByRole('button', { name: 'Spara utkastet' }));
    const [, again] = await sentCommands(2);
    if (again?.type !== 'directive.draft') throw new Error(`sent ${again?.type}`);
    expect(again.payload.content.validFrom).toBe(command.payload.content.validFrom);
    expect(again.payload.baseDraftSeq).toBe(200);
  });

  it('lets only the directing level decide the draft, on the version it read', async () => {
    const user = userEvent.setup({ delay: null });
    const state = directiveScene({ decided: false });
    const first = renderTab(coordinator, state);
    screen.getByTestId('directive-draft');
    expect(screen.queryByRole('button', { name: /^Besluta/ })).toBeNull();
    first.unmount();
    const second = renderTab(nacka, state);
    expect(screen.queryByRole('button', { name: /^Besluta/ })).toBeNull();
    second.unmount();

    const { container } = renderTab(directing, state);
    await user.click(screen.getByRole('button', { name: 'Besluta utkastet som v1' }));
    // A binding decision asks once more, naming the version; nothing is sent yet.
    const step = screen.getByTestId('decide-confirm');
    expect(within(step).getByRole('heading').textContent).toBe('Besluta v1?');
    expect(step.textContent).toContain('Beslutet gör utkastet till v1 av inriktningen.');
    const yes = within(step).getByRole('button', { name: 'Ja, besluta v1' });
    expect(document.activeElement).toBe(yes);
    expect(await seriousViolations(container)).toEqual([]);
    expect(Object.keys(useOutbox.getState().items)).toHaveLength(0);
    await user.click(yes);
    const [command] = await sentCommands(1);
    // It names the draft the head read.
    const draftSeq = state.directives[directiveId]?.draft?.seq;
    expect(command).toEqual({
      id: command?.id,
      type: 'directive.decide',
      payload: { directiveId, baseVersion: 0, draftSeq },
    });
  });

  it('names what a new version changes before deciding it, and can be cancelled', async () => {
    const user = userEvent.setup({ delay: null });
    const state = runCommands([draftStep(buildDirectiveContent({ limits: 'Ändrat' }), 1, 20)], {
      state: directiveScene(),
      firstSeq: 50,
    }).state;
    renderTab(directing, state);
    await user.click(screen.getByRole('button', { name: 'Besluta utkastet som v2' }));
    const step = screen.getByTestId('decide-confirm');
    expect(step.textContent).toContain(
      'Beslutet gör utkastet till v2. Det ändrar: Begränsningar och vad som inte ska göras.',
    );
    await user.click(within(step).getByRole('button', { name: 'Avbryt' }));
    expect(screen.queryByTestId('decide-confirm')).toBeNull();
    expect(Object.keys(useOutbox.getState().items)).toHaveLength(0);
  });

  it('does not decide a draft rewritten while the head was reading it, and says who rewrote it', async () => {
    const user = userEvent.setup({ delay: null });
    const state = directiveScene({ decided: false });
    renderTab(directing, state);
    await user.click(screen.getByRole('button', { name: 'Besluta utkastet som v1' }));
    const rewritten = runCommands([draftStep(buildDirectiveContent({ purpose: 'Nytt syfte' }), 0, 30)], {
      state,
      firstSeq: 80,
    }).state;
    act(() => showPicture(rewritten, 200));
    const step = screen.getByTestId('decide-confirm');
    expect(within(step).getByRole('alert').textContent).toBe(
      'Utkastet har ändrats av Cecilia Carlsson (Länsstyrelsen i Stockholms län) medan du läste det. Läs det igen innan du beslutar.',
    );
    const yes = within(step).getByRole('button', { name: 'Ja, besluta v1' });
    expect(yes.getAttribute('aria-disabled')).toBe('true');
    await user.click(yes);
    expect(Object.keys(useOutbox.getState().items)).toHaveLength(0);
  });

  it('offers neither deciding nor co-signing on a closed incident', () => {
    const state = directiveScene({ decided: false });
    const incident = state.incidents[incidentId];
    if (!incident) throw new Error('no incident');
    const closed = { ...state, incidents: { [incidentId]: { ...incident, status: 'closed' as const } } };
    renderTab(directing, closed);
    expect(screen.getByTestId('directive-draft')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Besluta/ })).toBeNull();
    expect(screen.queryByTestId('decide-controls')).toBeNull();
  });

  it('tells the drafter when someone else has saved the draft meanwhile, naming them', async () => {
    const user = userEvent.setup({ delay: null });
    const state = directiveScene({ decided: false });
    renderTab(coordinator, state);
    await user.click(screen.getByRole('button', { name: 'Ändra utkastet' }));
    expect(screen.queryByTestId('directive-draft-changed')).toBeNull();
    const other = {
      ...coordinatorBy,
      userId: 'user-lansstyrelsen-tib',
      userName: 'Tove Tjänsteman',
      functionId: 'dutyOfficer',
    };
    const rewritten = runCommands(
      [{ ...draftStep(buildDirectiveContent({ purpose: 'Nytt syfte' }), 0, 30), by: other }],
      { state, firstSeq: 80 },
    ).state;
    act(() => showPicture(rewritten, 200));
    expect(screen.getByTestId('directive-draft-changed').textContent).toContain(
      'Tove Tjänsteman (Länsstyrelsen i Stockholms län) har sparat utkastet medan du skrev.',
    );
  });

  it('shows a version decided to begin later as upcoming, with the earlier one in force until then', () => {
    const later = buildDirectiveContent({
      purpose: 'Återställa elförsörjningen',
      validFrom: minutesAfterNow(120),
      validUntil: minutesAfterNow(24 * 60),
      reviewAt: null,
    });
    const state = runCommands([draftStep(later, 1, 20), decideStep(1, 25)], {
      state: directiveScene(),
      firstSeq: 50,
    }).state;
    renderTab(coordinator, state);
    expect(within(screen.getByTestId('directive-current')).getByRole('heading').textContent).toBe(
      'Gällande inriktning (v1)',
    );
    const upcoming = screen.getByTestId('directive-upcoming');
    expect(within(upcoming).getByRole('heading').textContent).toBe('Kommande inriktning (v2)');
    expect(upcoming.textContent).toContain('Återställa elförsörjningen');
  });

  it('moves a priority with its focus, announces it, and keeps the focus at the end of the list', async () => {
    const user = userEvent.setup({ delay: null });
    renderTab(coordinator, directiveScene({ decided: false }));
    await user.click(screen.getByRole('button', { name: 'Ändra utkastet' }));
    const priorities = screen.getByTestId('priority-editor');
    const down = within(priorities).getByRole('button', { name: 'Ner Prioritet 1' });
    await user.click(down);
    // The row moved to second place, and the focus went with it.
    expect((within(priorities).getByLabelText('Prioritet 2') as HTMLInputElement).value).toBe(
      'Liv och hälsa',
    );
    expect(document.activeElement?.textContent).toBe('Ner Prioritet 2');
    expect(within(priorities).getByTestId('priority-announcement').textContent).toBe(
      'Prioritet 1 är nu prioritet 2.',
    );
    // At the end "Ner" is unavailable but keeps the focus: nothing moves, nothing drops to the page.
    const last = document.activeElement as HTMLElement;
    expect(last.getAttribute('aria-disabled')).toBe('true');
    await user.click(last);
    expect(document.activeElement).toBe(last);
    expect((within(priorities).getByLabelText('Prioritet 2') as HTMLInputElement).value).toBe(
      'Liv och hälsa',
    );
  });

  it('does not offer to decide a draft written on a version since replaced', () => {
    const v1 = directiveScene();
    // A draft on v1 is decided as v2 while another, written on v1 too, is saved afterwards.
    const state = runCommands(
      [draftStep(buildDirectiveContent({ limits: 'Ändrat' }), 1, 20), decideStep(1, 25)],
      { state: v1, firstSeq: 50 },
    ).state;
    const directive = state.directives[directiveId];
    if (!directive) throw new Error('no directive');
    const stale = {
      ...state,
      directives: {
        ...state.directives,
        [directiveId]: {
          ...directive,
          draft: {
            content: buildDirectiveContent({ limits: 'Ett annat förslag' }),
            templateId: null,
            templateFilledAt: null,
            baseVersion: 1,
            at: minutesAfterNow(26),
            by: coordinatorBy,
            seq: 60,
          },
        },
      },
    };
    renderTab(directing, stale);
    expect(screen.getByTestId('draft-outdated').textContent).toContain('skrevs på v1, men v2');
    expect(screen.getByTestId('draft-changes').textContent).toBe(
      'Ändrar i v2: Begränsningar och vad som inte ska göras',
    );
    expect(screen.queryByRole('button', { name: /^Besluta utkastet/ })).toBeNull();
  });

  it("keeps an earlier version's confirmation and outcome in the record once the item has changed", () => {
    const changed = buildDirectiveContent({
      items: [
        { id: nackaItem, text: 'Öppna fem trygghetspunkter', ownerActorId: 'nacka' },
        { id: regionItem, text: 'Säkra reservkraft på sjukhusen', ownerActorId: 'region-stockholm' },
      ],
    });
    const state = directiveScene({
      more: [
        {
          command: buildDirectiveConfirmCommand({ directiveId, itemId: nackaItem }),
          by: nackaBy,
          at: minutesAfterNow(15),
        },
        {
          command: buildDirectiveReportCommand({ directiveId, itemId: nackaItem, outcome: 'partlyDone' }),
          by: nackaBy,
          at: minutesAfterNow(18),
        },
        draftStep(changed, 1, 20),
        decideStep(1, 25),
      ],
    });
    renderTab(coordinator, state);
    const row = screen
      .getByTestId('follow-up-matrix')
      .querySelector(`tr[data-item-id="${nackaItem}"]`) as HTMLElement;
    // Version 2 changed the item: not received yet, and version 1's confirmation and outcome shown beside.
    expect(row.textContent).toContain('Inte mottaget');
    expect(within(row).getByTestId('earlier-follow-up').textContent).toBe(
      ' (tidigare: v1 mottogs 2024-05-01 08:15, Delvis klart)',
    );
  });

  it('shows who confirmed what and when, the outcomes, and the items overdue at the review time', () => {
    const state = directiveScene({
      more: [
        {
          command: buildDirectiveConfirmCommand({ directiveId, itemId: nackaItem }),
          by: nackaBy,
          at: minutesAfterNow(30),
        },
        {
          command: buildDirectiveReportCommand({ directiveId, itemId: nackaItem, outcome: 'done' }),
          by: nackaBy,
          at: minutesAfterNow(120),
        },
      ],
    });
    clockAt(5 * 60); // the review time (four hours) has passed
    renderTab(coordinator, state);
    const matrix = screen.getByTestId('follow-up-matrix');
    const row = (itemId: string) => matrix.querySelector(`tr[data-item-id="${itemId}"]`) as HTMLElement;
    expect(row(nackaItem).textContent).toContain('Nacka kommun');
    expect(row(nackaItem).textContent).toContain('Nils Nord');
    expect(row(nackaItem).textContent).toContain('Klart');
    expect(row(nackaItem).textContent).toContain('Tre trygghetspunkter öppna');
    expect(row(nackaItem).dataset.overdue).toBe('false');
    expect(row(regionItem).textContent).toContain('Inte mottaget');
    expect(row(regionItem).textContent).toContain('Försenad');
    expect(row(regionItem).dataset.overdue).toBe('true');
    expect(screen.getByTestId('follow-up-summary').textContent).toBe(
      '1 av 2 ansvar mottagna, 1 rapporterade klara. 1 försenat.',
    );
    // The coordinator owns no item here: no buttons in the matrix.
    expect(within(matrix).queryByRole('button')).toBeNull();
  });

  it('lets an owner confirm and report only its own items', async () => {
    const user = userEvent.setup({ delay: null });
    const state = directiveScene();
    const other = renderTab(regionTib, state);
    const regionRow = () =>
      screen.getByTestId('follow-up-matrix').querySelector(`tr[data-item-id="${nackaItem}"]`) as HTMLElement;
    expect(within(regionRow()).queryByRole('button')).toBeNull();
    other.unmount();

    renderTab(nacka, state);
    const matrix = screen.getByTestId('follow-up-matrix');
    const rowOf = (itemId: string) => matrix.querySelector(`tr[data-item-id="${itemId}"]`) as HTMLElement;
    expect(within(rowOf(regionItem)).queryByRole('button')).toBeNull();
    expect(within(rowOf(nackaItem)).queryByRole('button', { name: /^Rapportera utfall/ })).toBeNull();
    await user.click(within(rowOf(nackaItem)).getByRole('button', { name: /^Mottaget och omhändertaget/ }));
    const [confirm] = await sentCommands(1);
    expect(confirm).toMatchObject({ type: 'directive.confirm', payload: { directiveId, itemId: nackaItem } });

    if (!confirm) throw new Error('nothing sent');
    hubDecides(state, [confirm], nackaBy);
    const confirmedRow = () =>
      screen.getByTestId('follow-up-matrix').querySelector(`tr[data-item-id="${nackaItem}"]`) as HTMLElement;
    expect(within(confirmedRow()).queryByRole('button', { name: /^Mottaget/ })).toBeNull();
    await user.click(within(confirmedRow()).getByRole('button', { name: /^Rapportera utfall/ }));
    const form = screen.getByTestId('item-report-form');
    await user.click(within(form).getByRole('button', { name: 'Rapportera' }));
    within(form).getByText('Välj ett utfall.');
    await user.click(within(form).getByRole('radio', { name: 'Delvis klart' }));
    fireEvent.change(within(form).getByLabelText(/^Kort beskrivning/), {
      target: { value: 'Två av tre punkter öppna' },
    });
    await user.click(within(form).getByRole('button', { name: 'Rapportera' }));
    const [, report] = await sentCommands(2);
    expect(report).toMatchObject({
      type: 'directive.reportItem',
      payload: { directiveId, itemId: nackaItem, outcome: 'partlyDone', text: 'Två av tre punkter öppna' },
    });
  });

  it('shows an earlier version beside the one in force, field by field', async () => {
    const user = userEvent.setup({ delay: null });
    const more: Step[] = [
      draftStep(
        buildDirectiveContent({
          priorities: ['Liv och hälsa', 'Framkomlighet'],
          limits: 'Inga stängda skolor',
        }),
        1,
        20,
      ),
      decideStep(1, 25),
    ];
    const { container } = renderTab(coordinator, directiveScene({ more }));
    const versions = screen.getByTestId('directive-versions');
    const v2 = versions.querySelector('tr[data-version="2"]') as HTMLElement;
    expect(v2.textContent).toContain('Prioriteringar, Begränsningar och vad som inte ska göras');
    expect(v2.textContent).toContain('Cecilia Carlsson');
    expect(v2.textContent).toContain('Dag Direktör');
    await user.click(screen.getByRole('button', { name: 'Visa v1 bredvid v2' }));
    const diff = screen.getByTestId('version-diff');
    const changed = [...diff.querySelectorAll('tr[data-changed="true"]')].map((r) =>
      r.getAttribute('data-field'),
    );
    expect(changed).toEqual(['priorities', 'limits']);
    const priorities = diff.querySelector('tr[data-field="priorities"]') as HTMLElement;
    expect(priorities.textContent).toContain('Elförsörjning till vård och omsorg');
    expect(priorities.textContent).toContain('Framkomlighet');
    expect(priorities.textContent).toContain('ändrat');
    expect(screen.getByTestId('version-diff-summary').textContent).toBe(
      '2 fält skiljer sig: Prioriteringar, Begränsningar och vad som inte ska göras.',
    );
    expect(await seriousViolations(container)).toEqual([]);
  });
});
