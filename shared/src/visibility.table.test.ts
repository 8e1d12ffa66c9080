import { describe, expect, it } from 'vitest';
import { apply } from './apply.js';
import type { Command } from './commands.js';
import type { StoredEvent } from './events.js';
import type { Sharing, State } from './model.js';
import {
  buildActionItemRecordCommand,
  buildActivateCommand,
  buildAttribution,
  buildConferenceAssessCommand,
  buildConferenceOpenCommand,
  buildConferenceRescheduleCommand,
  buildConferenceRollCallCommand,
  buildConferenceScheduleCommand,
  buildNeedSettleCommand,
  buildOfferAnswerCommand,
  buildOfferMakeCommand,
  buildUpdateCommand,
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

/*
 * The conference (stated by hand). Its course and decisions are the region's shared
 * business and reach everybody, walls too; its dial-in details reach only the summoned;
 * offers and judgements of needs reach the needing report's readers and the offering actor.
 */

const CONFERENCE_ID = testUuid(910);
const OFFER_ID = testUuid(911);
const DIAL_IN = 'Tel 08-555 123 00, PIN 4711';
const TABY_OFFICER = buildAttribution({ userId: 'user-taby-tib', userName: 'Tova Tå', actorId: 'taby' });
const POLICE_OFFICER = buildAttribution({ userId: 'user-polis', userName: 'Per Polis', actorId: 'polisen' });

/** An incident summoning Nacka, and a conference for it with dial-in details for the summoned. */
const conferenceSteps = () => [
  {
    command: buildActivateCommand({ incidentId: INCIDENT_ID, summonedActorIds: [OWNER] }),
    by: LEAD_OFFICER,
  },
  {
    command: buildConferenceScheduleCommand({
      conferenceId: CONFERENCE_ID,
      incidentId: INCIDENT_ID,
      dialIn: DIAL_IN,
    }),
    by: LEAD_OFFICER,
  },
];

/** Whether the viewer holds the dial-in details: the text, not merely that there are some. */
const dialInHeld = (state: State): string | undefined => state.conferenceDialIns[CONFERENCE_ID]?.dialIn;

// prettier-ignore
const DIAL_IN_TABLE: Record<ViewerName, 'details' | 'nothing'> = {
  owner: 'details', named: 'nothing', outsider: 'nothing', wall: 'nothing',
};

describe("a conference's dial-in details (stated by hand)", () => {
  const dialInRows = (Object.keys(VIEWERS) as ViewerName[]).map((viewer) => ({
    name: `${viewer} ${DIAL_IN_TABLE[viewer] === 'details' ? 'gets the details (summoned)' : 'never gets the details'}`,
    viewer,
    seen: DIAL_IN_TABLE[viewer],
  }));

  it.each(named(dialInRows))('%s', (_name, { viewer, seen }) => {
    const { state, events } = runCommands(conferenceSteps());
    const dialInEvent = events.find((e) => e.type === 'conference.dialInSet');
    if (!dialInEvent) throw new Error('scheduling set no dial-in');
    const received = eventForViewer(VIEWERS[viewer], dialInEvent);
    const projected = projectState(state, VIEWERS[viewer]);
    const folded = eventsForViewer(VIEWERS[viewer], events).reduce<State>(apply, runCommands([]).state);

    if (seen === 'details') {
      expect(received).toEqual(dialInEvent);
      expect(dialInHeld(projected)).toBe(DIAL_IN);
    } else {
      expect(JSON.stringify(received)).not.toContain(DIAL_IN);
      expect(dialInHeld(projected) ?? '').toBe('');
    }
    expect(folded.conferenceDialIns).toEqual(projected.conferenceDialIns);
    // Everybody sees the conference itself.
    expect(projected.conferences[CONFERENCE_ID]).toEqual(state.conferences[CONFERENCE_ID]);
  });

  it('reaches an actor summoned later, the details that change after too, and never an outsider', () => {
    const { state, events } = runCommands([
      ...conferenceSteps(),
      // Täby is summoned to the incident: it joins the conference and gets its dial-in.
      {
        command: buildUpdateCommand({
          incidentId: INCIDENT_ID,
          summonedActorIds: [OWNER, 'taby', 'lansstyrelsen'],
        }),
        by: LEAD_OFFICER,
      },
    ]);
    const taby = VIEWERS.named;
    expect(dialInHeld(projectState(state, taby))).toBe(DIAL_IN);
    expect(dialInHeld(eventsForViewer(taby, events).reduce<State>(apply, runCommands([]).state))).toBe(
      DIAL_IN,
    );

    // New details go to the conference's summoned, Täby now among them; Polisen never.
    const later = runCommands(
      [
        {
          command: buildConferenceRescheduleCommand({
            conferenceId: CONFERENCE_ID,
            dialIn: 'Teams: ny länk',
          }),
          by: LEAD_OFFICER,
        },
      ],
      { state, firstSeq: events.length + 1 },
    );
    const all = [...events, ...later.events];
    const held = eventsForViewer(taby, all).reduce<State>(apply, runCommands([]).state);
    expect(dialInHeld(held)).toBe('Teams: ny länk');
    expect(held.conferenceDialIns).toEqual(projectState(later.state, taby).conferenceDialIns);
    const outsider = eventsForViewer(VIEWERS.outsider, all).reduce<State>(apply, runCommands([]).state);
    expect(JSON.stringify(outsider)).not.toContain('Teams: ny länk');
    expect(JSON.stringify(outsider)).not.toContain(DIAL_IN);
    expect(dialInHeld(projectState(later.state, VIEWERS.owner))).toBe('Teams: ny länk');
  });

  it('shows every viewer, walls too, the course of the conference and its decisions', () => {
    const { state, events } = runCommands([
      ...conferenceSteps(),
      { command: buildConferenceOpenCommand({ conferenceId: CONFERENCE_ID }), by: LEAD_OFFICER },
      {
        command: buildConferenceRollCallCommand({ conferenceId: CONFERENCE_ID, actorId: OWNER }),
        by: NACKA_OFFICER,
      },
      { command: buildConferenceAssessCommand({ conferenceId: CONFERENCE_ID }), by: LEAD_OFFICER },
      {
        command: buildActionItemRecordCommand({ conferenceId: CONFERENCE_ID, ownerActorId: OWNER }),
        by: LEAD_OFFICER,
      },
    ]);
    const course = events.filter((e) => e.type !== 'conference.dialInSet');
    expect(course.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'conference.scheduled',
        'conference.opened',
        'conference.rollCalled',
        'conference.assessed',
        'actionItem.recorded',
      ]),
    );
    for (const viewer of Object.values(VIEWERS)) {
      for (const event of course) expect(eventForViewer(viewer, event)).toEqual(event);
      const projected = projectState(state, viewer);
      expect(projected.conferences).toEqual(state.conferences);
      expect(projected.actionItems).toEqual(state.actionItems);
    }
  });
});

/** An offer on Nacka's report, as the log holds it, shared as the report: by hand, not by `decide`. */
function offerEvents(sharing: Sharing, fromActorId: string): StoredEvent[] {
  const by = buildAttribution({
    userId: `user-${fromActorId}`,
    userName: 'Olle Offer',
    actorId: fromActorId,
  });
  const offer = {
    id: OFFER_ID,
    incidentId: INCIDENT_ID,
    needActorId: OWNER,
    reportId: ITEM_ID,
    fromActorId,
    what: 'Reservvattentankar',
    quantity: '4',
    availableAt: '2024-05-01T10:00:00.000Z',
    note: '',
    sharing,
    at: '2024-05-01T08:30:00.000Z',
    by,
  };
  return [
    buildEvent({ type: 'offer.made', payload: { offer } }, { seq: 1, by }),
    buildEvent(
      {
        type: 'offer.answered',
        payload: { offerId: OFFER_ID, answer: 'accepted', needActorId: OWNER, fromActorId, sharing },
      },
      { seq: 2, by: NACKA_OFFICER },
    ),
  ];
}

// prettier-ignore
const OFFER_TABLE: readonly (readonly [SharingName, string, Record<ViewerName | 'offerer', 'sees' | 'nothing'>])[] = [
  // The offering actor sees what it offered whatever the report's sharing says.
  ['own',    'solna',   { owner: 'sees', offerer: 'sees', named: 'nothing', outsider: 'nothing', wall: 'nothing' }],
  ['named',  'taby',    { owner: 'sees', offerer: 'sees', named: 'sees',    outsider: 'nothing', wall: 'nothing' }],
  ['region', 'polisen', { owner: 'sees', offerer: 'sees', named: 'sees',    outsider: 'sees',    wall: 'sees' }],
];

describe('offers and their answers, by the sharing of the report they answer (stated by hand)', () => {
  const offerRows = OFFER_TABLE.flatMap(([sharing, from, cells]) =>
    (Object.keys(cells) as (ViewerName | 'offerer')[]).map((viewer) => ({
      name: `report shared ${sharing}, offer by ${from}: ${viewer} ${cells[viewer]}`,
      sharing,
      from,
      viewer: viewer === 'offerer' ? ({ kind: 'actor', actorId: from } as const) : VIEWERS[viewer],
      seen: cells[viewer],
    })),
  );

  it.each(named(offerRows))('%s', (_name, { sharing, from, viewer, seen }) => {
    const events = offerEvents(SHARINGS[sharing], from);
    const state = events.reduce<State>(apply, runCommands([]).state);
    const received = eventsForViewer(viewer, events);
    const projected = projectState(state, viewer);
    if (seen === 'sees') {
      expect(received).toEqual(events);
      expect(projected.offers[OFFER_ID]?.status).toBe('accepted');
    } else {
      expect(received).toEqual([]);
      expect(projected.offers).toEqual({});
    }
    expect(received.reduce<State>(apply, runCommands([]).state).offers).toEqual(projected.offers);
  });

  it('goes through decide to exactly the readers of the report, and settles the need for them alone', () => {
    const { state, events } = runCommands([
      { command: buildActivateCommand({ incidentId: INCIDENT_ID }), by: LEAD_OFFICER },
      { command: fileItem('report', SHARINGS.named), by: NACKA_OFFICER },
      {
        command: buildOfferMakeCommand({ offerId: OFFER_ID, incidentId: INCIDENT_ID, reportId: ITEM_ID }),
        by: TABY_OFFICER,
      },
      { command: buildOfferAnswerCommand({ offerId: OFFER_ID, answer: 'declined' }), by: NACKA_OFFICER },
      {
        command: buildNeedSettleCommand({
          incidentId: INCIDENT_ID,
          reportId: ITEM_ID,
          coverage: 'notCovered',
        }),
        by: NACKA_OFFICER,
      },
    ]);
    const readers: Viewer[] = [VIEWERS.owner, VIEWERS.named, { kind: 'actor', actorId: 'solna' }];
    const others: Viewer[] = [VIEWERS.outsider, VIEWERS.wall];
    const resourceEvents = events.filter((e) =>
      ['offer.made', 'offer.answered', 'need.settled'].includes(e.type),
    );
    expect(resourceEvents).toHaveLength(3);
    for (const viewer of readers) {
      expect(eventsForViewer(viewer, resourceEvents)).toEqual(resourceEvents);
      const projected = projectState(state, viewer);
      expect(projected.offers[OFFER_ID]?.status).toBe('declined');
      expect(projected.needSettlements[ITEM_ID]?.coverage).toBe('notCovered');
    }
    for (const viewer of others) {
      expect(eventsForViewer(viewer, resourceEvents)).toEqual([]);
      const projected = projectState(state, viewer);
      expect(projected.offers).toEqual({});
      expect(projected.needSettlements).toEqual({});
    }
  });

  it('refuses an offer by an actor that may not read the report, so nobody outside its sharing offers', () => {
    expect(() =>
      runCommands([
        { command: buildActivateCommand({ incidentId: INCIDENT_ID }), by: LEAD_OFFICER },
        { command: fileItem('report', SHARINGS.own), by: NACKA_OFFICER },
        {
          command: buildOfferMakeCommand({ offerId: OFFER_ID, incidentId: INCIDENT_ID, reportId: ITEM_ID }),
          by: POLICE_OFFICER,
        },
      ]),
    ).toThrow(/forbidden/);
  });
});
