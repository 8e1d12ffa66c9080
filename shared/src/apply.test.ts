import { describe, expect, it } from 'vitest';
import { apply, applyInPlace, fillLogPlaces } from './apply.js';
import { isDirectoryEventType } from './directory.js';
import { EVENT_TYPES, type StoredEvent } from './events.js';
import { stateHash } from './hash.js';
import { initialState, State, type Checkin, type Incident } from './model.js';
import {
  TEST_NOW,
  buildArea,
  buildAttribution,
  buildCheckin,
  buildEvent,
  buildFieldReport,
  buildIncident,
  buildLogEntry,
  buildReport,
  buildState,
  cloneJson,
  deepFreeze,
  minutesAfterNow,
  named,
  testUuid,
} from './testing/test-factories.js';
import { projectState } from './visibility.js';

const AT = minutesAfterNow(15);
const leadTib = buildAttribution();
const nackaTib = buildAttribution({ userId: 'user-nacka-tib', userName: 'Nils Nord', actorId: 'nacka' });

const ACTIVE = testUuid(1);
const REQUESTED = testUuid(2);
const NEW_ID = testUuid(3);
const UNKNOWN = testUuid(99);
const CHECKIN = testUuid(20);

const activeIncident = buildIncident({ id: ACTIVE, summonedActorIds: ['lansstyrelsen', 'nacka'] });
const requestedIncident = buildIncident({
  id: REQUESTED,
  status: 'requested',
  title: 'Water main burst',
  reason: 'Nacka needs drinking water',
  summonedActorIds: [],
  requestedAt: TEST_NOW,
  requestedBy: nackaTib,
  activatedAt: null,
  activatedBy: null,
});
const checkin = buildCheckin({ id: CHECKIN });
const newReport = buildReport({ id: NEW_ID, incidentId: ACTIVE, at: AT });
const newFieldReport = buildFieldReport({ id: NEW_ID, incidentId: ACTIVE, at: AT });
const newCheckin = buildCheckin({ id: NEW_ID, at: AT });
const newEntry = buildLogEntry({ id: NEW_ID, at: AT });

/**
 * An item as `decide` put it into its event on a hub whose clock read TEST_NOW: folding
 * gives it the log's time (the event's `at`, AT here) and its place (the event's seq, 1).
 */
const asDecided = <T extends { seq: number }>(item: T): Omit<T, 'seq'> => {
  const { seq: _seq, ...decided } = item;
  return { ...decided, at: TEST_NOW };
};
const folded = <T extends { seq: number }>(item: T): T => ({ ...item, seq: 1 });

/** Builds the state before each case afresh, so cases cannot leak into each other. */
const before = (): State =>
  buildState({
    incidents: [activeIncident, requestedIncident],
    checkins: [checkin],
    readiness: { heightened: true, note: 'Government decision', since: TEST_NOW, by: leadTib },
  });

const withIncident = (state: State, incident: Incident): State => ({
  ...state,
  incidents: { ...state.incidents, [incident.id]: incident },
});

type Case = { name: string; event: StoredEvent; after: (before: State) => State };

const at = { at: AT, by: nackaTib };

const cases: Case[] = [
  {
    name: 'incident.requested adds a request, stamped with who asked and when',
    event: buildEvent(
      { type: 'incident.requested', payload: { incidentId: NEW_ID, title: 'Storm', reason: 'Trees down' } },
      at,
    ),
    after: (s) =>
      withIncident(
        s,
        buildIncident({
          id: NEW_ID,
          status: 'requested',
          title: 'Storm',
          kind: 'other',
          description: '',
          reason: 'Trees down',
          area: null,
          summonedActorIds: [],
          requestedAt: AT,
          requestedBy: nackaTib,
          requestedSeq: 1,
          activatedAt: null,
          activatedBy: null,
          version: 1,
        }),
      ),
  },
  {
    name: 'incident.activated turns a request active and keeps who asked for it',
    event: buildEvent(
      {
        type: 'incident.activated',
        payload: {
          incidentId: REQUESTED,
          title: 'Water main burst',
          kind: 'infrastructure',
          description: 'Nacka centrum without water',
          area: buildArea(),
          summonedActorIds: ['nacka', 'lansstyrelsen'],
          nextConferenceAt: minutesAfterNow(60),
        },
      },
      { at: AT, by: leadTib },
    ),
    after: (s) =>
      withIncident(s, {
        ...requestedIncident,
        status: 'active',
        kind: 'infrastructure',
        description: 'Nacka centrum without water',
        area: buildArea(),
        summonedActorIds: ['nacka', 'lansstyrelsen'],
        nextConferenceAt: minutesAfterNow(60),
        activatedAt: AT,
        activatedBy: leadTib,
        activatedSeq: 1,
        version: 1,
      }),
  },
  {
    name: 'incident.activated creates an incident that was never requested',
    event: buildEvent(
      {
        type: 'incident.activated',
        payload: {
          incidentId: NEW_ID,
          title: 'Storm',
          kind: 'weather',
          description: '',
          area: null,
          summonedActorIds: ['nacka'],
          nextConferenceAt: null,
        },
      },
      { at: AT, by: leadTib },
    ),
    after: (s) =>
      withIncident(
        s,
        buildIncident({
          id: NEW_ID,
          title: 'Storm',
          description: '',
          area: null,
          summonedActorIds: ['nacka'],
          activatedAt: AT,
          activatedBy: leadTib,
          activatedSeq: 1,
          version: 1,
        }),
      ),
  },
  {
    name: 'incident.updated changes only the fields it carries, and can clear the area',
    event: buildEvent(
      {
        type: 'incident.updated',
        payload: {
          incidentId: ACTIVE,
          area: null,
          nextConferenceAt: minutesAfterNow(120),
          description: undefined,
        },
      },
      at,
    ),
    // The version is the seq of the event that changed the incident (1 in these cases).
    after: (s) =>
      withIncident(s, { ...activeIncident, area: null, nextConferenceAt: minutesAfterNow(120), version: 1 }),
  },
  {
    name: 'incident.updated of an unknown incident is ignored',
    event: buildEvent({ type: 'incident.updated', payload: { incidentId: UNKNOWN, description: 'x' } }, at),
    after: (s) => s,
  },
  {
    name: 'incident.closed closes with the summary, who and when',
    event: buildEvent({ type: 'incident.closed', payload: { incidentId: ACTIVE, summary: 'All clear' } }, at),
    after: (s) =>
      withIncident(s, {
        ...activeIncident,
        status: 'closed',
        closedAt: AT,
        closedBy: nackaTib,
        closedSeq: 1,
        closingSummary: 'All clear',
        version: 1,
      }),
  },
  {
    name: 'incident.closed of an unknown incident is ignored',
    event: buildEvent({ type: 'incident.closed', payload: { incidentId: UNKNOWN, summary: '' } }, at),
    after: (s) => s,
  },
  {
    name: 'readiness.changed lifts heightened readiness',
    event: buildEvent({ type: 'readiness.changed', payload: { heightened: false, note: '' } }, at),
    after: (s) => ({ ...s, readiness: { heightened: false, note: '', since: null, by: nackaTib } }),
  },
  {
    name: 'readiness.changed keeps the time readiness was raised when only the note changes',
    event: buildEvent({ type: 'readiness.changed', payload: { heightened: true, note: 'Whole county' } }, at),
    after: (s) => ({
      ...s,
      readiness: { heightened: true, note: 'Whole county', since: TEST_NOW, by: nackaTib },
    }),
  },
  {
    name: 'activation.acknowledged records the actor, who and when',
    event: buildEvent(
      { type: 'activation.acknowledged', payload: { incidentId: ACTIVE, actorId: 'nacka' } },
      at,
    ),
    after: (s) =>
      withIncident(s, { ...activeIncident, acknowledgements: { nacka: { at: AT, by: nackaTib, seq: 1 } } }),
  },
  {
    name: 'activation.acknowledged of an unknown incident is ignored',
    event: buildEvent(
      { type: 'activation.acknowledged', payload: { incidentId: UNKNOWN, actorId: 'nacka' } },
      at,
    ),
    after: (s) => s,
  },
  {
    name: "report.submitted adds the report at the log's time and place",
    event: buildEvent({ type: 'report.submitted', payload: { report: asDecided(newReport) } }, at),
    after: (s) => ({ ...s, reports: { [NEW_ID]: folded(newReport) } }),
  },
  {
    name: "fieldReport.submitted adds the field report and leaves the actor's situation reports alone",
    event: buildEvent(
      { type: 'fieldReport.submitted', payload: { fieldReport: asDecided(newFieldReport) } },
      at,
    ),
    after: (s) => ({ ...s, fieldReports: { [NEW_ID]: folded(newFieldReport) } }),
  },
  {
    name: "checkin.created adds the check-in at the log's time and place",
    event: buildEvent({ type: 'checkin.created', payload: { checkin: asDecided(newCheckin) } }, at),
    after: (s) => ({ ...s, checkins: { ...s.checkins, [NEW_ID]: folded(newCheckin) } }),
  },
  {
    name: 'checkin.checkedOut ends the check-in at the event time and keeps it in the roster',
    event: buildEvent({ type: 'checkin.checkedOut', payload: { checkinId: CHECKIN } }, at),
    after: (s) => ({ ...s, checkins: { [CHECKIN]: { ...checkin, checkedOutAt: AT } } }),
  },
  {
    name: 'checkin.checkedOut of an unknown check-in is ignored',
    event: buildEvent({ type: 'checkin.checkedOut', payload: { checkinId: UNKNOWN } }, at),
    after: (s) => s,
  },
  {
    name: "logEntry.added adds the entry at the log's time and place",
    event: buildEvent({ type: 'logEntry.added', payload: { entry: asDecided(newEntry) } }, at),
    after: (s) => ({ ...s, logEntries: { [NEW_ID]: folded(newEntry) } }),
  },
];

describe('apply', () => {
  it.each(named(cases))('%s', (_name, { event, after }) => {
    // Frozen, so any write to the input or the event throws instead of passing unnoticed.
    const input = deepFreeze(before());
    const snapshot = cloneJson(input);
    const next = apply(input, deepFreeze(cloneJson(event)));
    expect(next).toEqual(after(before()));
    expect(input).toEqual(snapshot);
    // The hub folds with applyInPlace; both must end in the same state.
    expect(stateHash(applyInPlace(before(), [event]))).toBe(stateHash(next));
  });

  it('has a case for every event type a client folds', () => {
    const domainTypes = EVENT_TYPES.filter((type) => !isDirectoryEventType(type));
    expect(new Set(cases.map((c) => c.event.type))).toEqual(new Set(domainTypes));
  });

  it('leaves the domain state alone for hub-only directory events', () => {
    const input = deepFreeze(before());
    const event = buildEvent({ type: 'session.revoked', payload: { sessionId: 'session-1' } }, at);
    expect(apply(input, event)).toEqual(before());
  });

  it('copies only the collection an event touches, so unchanged views keep their data', () => {
    const state = deepFreeze(before());
    const next = apply(state, buildEvent({ type: 'checkin.checkedOut', payload: { checkinId: CHECKIN } }));
    expect(next).not.toBe(state);
    expect(next.checkins).not.toBe(state.checkins);
    expect(next.incidents).toBe(state.incidents);
    expect(next.reports).toBe(state.reports);
    expect(next.logEntries).toBe(state.logEntries);
    expect(next.incidents[ACTIVE]).toBe(state.incidents[ACTIVE]);
  });

  it('folds a whole history from the initial state without reading anything else', () => {
    const events: StoredEvent[] = [
      buildEvent(
        { type: 'incident.requested', payload: { incidentId: NEW_ID, title: 'Storm', reason: 'r' } },
        { seq: 1 },
      ),
      buildEvent(
        { type: 'incident.closed', payload: { incidentId: NEW_ID, summary: 'Declined' } },
        { seq: 2 },
      ),
    ];
    const state = events.reduce(apply, initialState());
    expect(state.incidents[NEW_ID]?.status).toBe('closed');
    expect(state.incidents[NEW_ID]?.closingSummary).toBe('Declined');
  });

  it("folds a check-in an older hub logged without sharing as the actor's own, with and without copying", () => {
    const { sharing: _sharing, ...stored } = buildCheckin({ id: NEW_ID, by: nackaTib });
    // As journal replay hands it over: read without the schema that would add the default.
    const event = buildEvent({ type: 'checkin.created', payload: { checkin: stored as Checkin } });
    const viaApply = apply(initialState(), event);
    const viaReplay = applyInPlace(initialState(), [event]);
    expect(viaApply.checkins[NEW_ID]?.sharing).toEqual({ scope: 'own' });
    expect(viaReplay.checkins[NEW_ID]).toEqual(viaApply.checkins[NEW_ID]);
    expect(
      projectState(viaApply, { kind: 'actor', actorId: 'lansstyrelsen' }).checkins[NEW_ID],
    ).toMatchObject({
      regionSummary: true,
      note: '',
    });
  });

  it('reads the items of a snapshot an older hub wrote as the schema would: seq 0, before all logged since', () => {
    const { seq: _seq, ...oldReport } = buildReport({ id: NEW_ID, incidentId: ACTIVE });
    const { seq: _ackSeq, ...oldAcknowledgement } = { at: TEST_NOW, by: nackaTib, seq: 0 };
    const {
      requestedSeq: _r,
      activatedSeq: _a,
      closedSeq: _c,
      ...oldIncident
    } = { ...activeIncident, acknowledgements: { nacka: oldAcknowledgement } };
    // As the snapshot codec hands it over: parsed JSON, not checked against the schema.
    const state = cloneJson<unknown>({
      ...buildState({ checkins: [checkin] }),
      incidents: { [ACTIVE]: oldIncident },
      reports: { [NEW_ID]: oldReport },
    }) as State;
    const current = state.checkins[CHECKIN];
    fillLogPlaces(state);
    expect(state.reports[NEW_ID]?.seq).toBe(0);
    expect(state.incidents[ACTIVE]).toMatchObject({
      requestedSeq: null,
      activatedSeq: null,
      closedSeq: null,
    });
    expect(state.incidents[ACTIVE]?.acknowledgements.nacka?.seq).toBe(0);
    // What has its place is left as it is.
    expect(state.checkins[CHECKIN]).toBe(current);
    expect(State.parse(state)).toEqual(state);
  });
});
