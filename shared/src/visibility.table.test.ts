import { describe, expect, it } from 'vitest';
import { apply } from './apply.js';
import type { Command } from './commands.js';
import type { StoredEvent } from './events.js';
import type { Sharing, State } from './model.js';
import {
  buildActivateCommand,
  buildAttribution,
  buildCheckinCommand,
  buildCheckoutCommand,
  buildEvent,
  buildFieldReportCommand,
  buildLogEntryCommand,
  buildReadinessCommand,
  buildReportCommand,
  named,
  runCommands,
  testUuid,
} from './testing/test-factories.js';
import { eventForViewer, eventsForViewer, projectState, type Viewer } from './visibility.js';

/*
 * Who sees what, stated by hand. Every cell below is the answer DOMAIN.md's sharing rules
 * give, written out for one item, one sharing level and one viewer; nothing here is computed
 * by the code under test. A check-in is the one item that never disappears: those outside
 * its sharing still see that the actor has someone there, without who, where or the note.
 */

/** Nacka owns every item; Solna and Täby are named; the police are outside; a wall display is paired. */
const OWNER = 'nacka';
const VIEWERS = {
  owner: { kind: 'actor', actorId: OWNER },
  // The second of the two named actors, so an audience that kept only the first would show.
  named: { kind: 'actor', actorId: 'taby' },
  outsider: { kind: 'actor', actorId: 'polisen' },
  wall: { kind: 'device' },
} as const satisfies Record<string, Viewer>;
type ViewerName = keyof typeof VIEWERS;

const SHARINGS = {
  region: { scope: 'region' },
  own: { scope: 'own' },
  // The owner is not listed: it sees its own items all the same.
  named: { scope: 'actors', actorIds: ['solna', 'taby'] },
} as const satisfies Record<string, Sharing>;
type SharingName = keyof typeof SHARINGS;

type ItemKind = 'report' | 'fieldReport' | 'logEntry' | 'checkin';
/** `whole`: everything; `summary`: the check-in without person, place or note; `nothing`: absent. */
type Seen = 'whole' | 'summary' | 'nothing';

// prettier-ignore
const SHARING_TABLE: readonly (readonly [ItemKind, SharingName, Record<ViewerName, Seen>])[] = [
  ['report',      'region', { owner: 'whole', named: 'whole',   outsider: 'whole',   wall: 'whole' }],
  ['report',      'own',    { owner: 'whole', named: 'nothing', outsider: 'nothing', wall: 'nothing' }],
  ['report',      'named',  { owner: 'whole', named: 'whole',   outsider: 'nothing', wall: 'nothing' }],
  ['fieldReport', 'region', { owner: 'whole', named: 'whole',   outsider: 'whole',   wall: 'whole' }],
  ['fieldReport', 'own',    { owner: 'whole', named: 'nothing', outsider: 'nothing', wall: 'nothing' }],
  ['fieldReport', 'named',  { owner: 'whole', named: 'whole',   outsider: 'nothing', wall: 'nothing' }],
  ['logEntry',    'region', { owner: 'whole', named: 'whole',   outsider: 'whole',   wall: 'whole' }],
  ['logEntry',    'own',    { owner: 'whole', named: 'nothing', outsider: 'nothing', wall: 'nothing' }],
  ['logEntry',    'named',  { owner: 'whole', named: 'whole',   outsider: 'nothing', wall: 'nothing' }],
  ['checkin',     'region', { owner: 'whole', named: 'whole',   outsider: 'whole',   wall: 'whole' }],
  ['checkin',     'own',    { owner: 'whole', named: 'summary', outsider: 'summary', wall: 'summary' }],
  ['checkin',     'named',  { owner: 'whole', named: 'whole',   outsider: 'summary', wall: 'summary' }],
];

const rows = SHARING_TABLE.flatMap(([item, sharing, cells]) =>
  (Object.keys(VIEWERS) as ViewerName[]).map((viewer) => ({
    name: `${item} shared ${sharing}: ${viewer} sees ${cells[viewer]}`,
    item,
    sharing,
    viewer,
    seen: cells[viewer],
  })),
);

const INCIDENT_ID = testUuid(900);
const ITEM_ID = testUuid(901);
const LEAD_OFFICER = buildAttribution();
const NACKA_OFFICER = buildAttribution({ userId: 'user-nacka-tib', userName: 'Nils Nord', actorId: OWNER });
const NOTE = 'Vid grinden till Nacka sporthall';
const PLACE = { lat: 59.3112, lng: 18.1645 };

/** The command by which Nacka's duty officer files the item with the given sharing. */
function fileItem(item: ItemKind, sharing: Sharing): Command {
  switch (item) {
    case 'report':
      return buildReportCommand({ reportId: ITEM_ID, incidentId: INCIDENT_ID, sharing });
    case 'fieldReport':
      return buildFieldReportCommand({ fieldReportId: ITEM_ID, incidentId: INCIDENT_ID, sharing });
    case 'logEntry':
      return buildLogEntryCommand({ entryId: ITEM_ID, incidentId: INCIDENT_ID, sharing });
    case 'checkin':
      return buildCheckinCommand({
        checkinId: ITEM_ID,
        incidentId: INCIDENT_ID,
        status: 'onSite',
        position: PLACE,
        note: NOTE,
        sharing,
      });
  }
}

/** The region after an activation and the item, through the real decide and apply. */
function historyWith(item: ItemKind, sharing: SharingName) {
  return runCommands([
    { command: buildActivateCommand({ incidentId: INCIDENT_ID }), by: LEAD_OFFICER },
    { command: fileItem(item, SHARINGS[sharing]), by: NACKA_OFFICER },
  ]);
}

const collection = (state: State, item: ItemKind): Record<string, unknown> => {
  switch (item) {
    case 'report':
      return state.reports;
    case 'fieldReport':
      return state.fieldReports;
    case 'logEntry':
      return state.logEntries;
    case 'checkin':
      return state.checkins;
  }
};

/** What those outside a check-in's sharing learn: that Nacka has someone on site, not who, where or why. */
function expectSummary(seen: unknown) {
  const text = JSON.stringify(seen);
  expect(text).not.toContain(NACKA_OFFICER.userName);
  expect(text).not.toContain(NACKA_OFFICER.userId);
  expect(text).not.toContain(NOTE);
  expect(text).not.toContain(String(PLACE.lat));
  expect(seen).toMatchObject({
    id: ITEM_ID,
    status: 'onSite',
    by: { actorId: OWNER, functionId: NACKA_OFFICER.functionId },
    regionSummary: true,
  });
}

describe('who sees an item, by sharing and viewer (stated by hand)', () => {
  it('covers every item kind, sharing level and viewer once', () => {
    const keys = rows.map((r) => `${r.item}/${r.sharing}/${r.viewer}`);
    expect(new Set(keys).size).toBe(4 * 3 * 4);
  });

  it.each(named(rows))('projectState: %s', (_name, { item, sharing, viewer, seen }) => {
    const { state } = historyWith(item, sharing);
    const whole = collection(state, item)[ITEM_ID];
    expect(whole).toBeDefined();

    const projected = collection(projectState(state, VIEWERS[viewer]), item)[ITEM_ID];

    if (seen === 'whole') expect(projected).toEqual(whole);
    if (seen === 'nothing') expect(projected).toBeUndefined();
    if (seen === 'summary') {
      expectSummary(projected);
    }
  });

  it.each(named(rows))('eventForViewer: %s', (_name, { item, sharing, viewer, seen }) => {
    const { events } = historyWith(item, sharing);
    const event = events.at(-1);
    if (!event) throw new Error('the history made no event');

    const received = eventForViewer(VIEWERS[viewer], event);

    if (seen === 'whole') expect(received).toEqual(event);
    if (seen === 'nothing') expect(received).toBeNull();
    if (seen === 'summary') {
      if (received?.type !== 'checkin.created') throw new Error(`expected a check-in, got ${received?.type}`);
      expect(JSON.stringify(received)).not.toContain(NACKA_OFFICER.userName);
      expectSummary(received.payload.checkin);
    }
  });

  it.each(named(rows))('folding the events it receives: %s', (_name, { item, sharing, viewer, seen }) => {
    const { state, events } = historyWith(item, sharing);
    const received = eventsForViewer(VIEWERS[viewer], events);
    const folded = received.reduce<State>(apply, runCommands([]).state);

    const held = collection(folded, item)[ITEM_ID];

    if (seen === 'whole') expect(held).toEqual(collection(state, item)[ITEM_ID]);
    if (seen === 'nothing') expect(held).toBeUndefined();
    if (seen === 'summary') expectSummary(held);
  });
});

/** A check-in's end, by sharing: the owner is told who; the rest learn only that it ended. */
// prettier-ignore
const CHECKOUT_TABLE: readonly (readonly [SharingName, Record<ViewerName, 'whole' | 'withoutPerson'>])[] = [
  ['region', { owner: 'whole', named: 'withoutPerson', outsider: 'withoutPerson', wall: 'withoutPerson' }],
  ['own',    { owner: 'whole', named: 'withoutPerson', outsider: 'withoutPerson', wall: 'withoutPerson' }],
  ['named',  { owner: 'whole', named: 'withoutPerson', outsider: 'withoutPerson', wall: 'withoutPerson' }],
];

const checkoutRows = CHECKOUT_TABLE.flatMap(([sharing, cells]) =>
  (Object.keys(VIEWERS) as ViewerName[]).map((viewer) => ({
    name: `check-in shared ${sharing}, checked out: ${viewer} gets it ${cells[viewer]}`,
    sharing,
    viewer,
    seen: cells[viewer],
  })),
);

describe('a check-in that ends (stated by hand)', () => {
  it.each(named(checkoutRows))('%s, and sees it ended', (_name, { sharing, viewer, seen }) => {
    const { state, events } = runCommands([
      { command: buildActivateCommand({ incidentId: INCIDENT_ID }), by: LEAD_OFFICER },
      { command: fileItem('checkin', SHARINGS[sharing]), by: NACKA_OFFICER },
      {
        command: buildCheckoutCommand({ checkinId: ITEM_ID }),
        by: NACKA_OFFICER,
        at: '2024-05-01T09:00:00.000Z',
      },
    ]);
    const checkout = events.at(-1);
    if (checkout?.type !== 'checkin.checkedOut') throw new Error('no checkout event');

    const received = eventForViewer(VIEWERS[viewer], checkout);
    expect(received?.payload).toEqual({ checkinId: ITEM_ID });
    if (seen === 'whole') expect(received).toEqual(checkout);
    else expect(JSON.stringify(received)).not.toContain(NACKA_OFFICER.userName);

    // Everyone sees the end, whole or as the summary.
    expect(projectState(state, VIEWERS[viewer]).checkins[ITEM_ID]?.checkedOutAt).toBe(
      '2024-05-01T09:00:00.000Z',
    );
  });
});

/** Region-wide news reaches every viewer; the directory (accounts, devices) reaches none. */
// prettier-ignore
const REGION_EVENTS: readonly (readonly [string, StoredEvent, 'everyone' | 'nobody'])[] = [
  ['an activation', buildEvent({ type: 'incident.activated', payload: {
    incidentId: INCIDENT_ID, title: 'Storm Ylva', kind: 'weather', description: '', area: null,
    summonedActorIds: [], nextConferenceAt: null } }), 'everyone'],
  ['an acknowledgement', buildEvent({ type: 'activation.acknowledged', payload: {
    incidentId: INCIDENT_ID, actorId: OWNER } }), 'everyone'],
  ['heightened readiness', buildEvent({ type: 'readiness.changed', payload: {
    heightened: true, note: 'Regeringsbeslut' } }), 'everyone'],
  ['a closing', buildEvent({ type: 'incident.closed', payload: {
    incidentId: INCIDENT_ID, summary: 'Klart' } }), 'everyone'],
  ['a password set', buildEvent({ type: 'account.passwordSet', payload: {
    accountId: 'user-nacka-tib', passwordHash: '$argon2id$v=19$secret' } }), 'nobody'],
  ['a session revoked', buildEvent({ type: 'session.revoked', payload: { sessionId: 's-1' } }), 'nobody'],
];

describe('region-wide and directory events (stated by hand)', () => {
  const cases = REGION_EVENTS.flatMap(([what, event, who]) =>
    (Object.keys(VIEWERS) as ViewerName[]).map((viewer) => ({
      name: `${what}: ${viewer} ${who === 'everyone' ? 'gets it' : 'never gets it'}`,
      event,
      viewer,
      who,
    })),
  );

  it.each(named(cases))('%s', (_name, { event, viewer, who }) => {
    const received = eventForViewer(VIEWERS[viewer], event);
    if (who === 'everyone') expect(received).toEqual(event);
    else expect(received).toBeNull();
  });

  it('leaves incidents and readiness to every viewer in the projection', () => {
    const { state } = runCommands([
      { command: buildActivateCommand({ incidentId: INCIDENT_ID }), by: LEAD_OFFICER },
      { command: buildReadinessCommand(), by: LEAD_OFFICER },
    ]);
    for (const viewer of Object.values(VIEWERS)) {
      const projected = projectState(state, viewer);
      expect(projected.incidents).toEqual(state.incidents);
      expect(projected.readiness).toEqual(state.readiness);
    }
  });
});
