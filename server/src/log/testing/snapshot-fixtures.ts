import { randomUUID } from 'node:crypto';
import {
  applyDirectory,
  applyInPlace,
  initialDirectory,
  initialState,
  type EventDraft,
  type State,
  type StoredEvent,
} from '@lagesbild/shared';
import type { EventLog } from '../event-log.js';
import type { LogSink } from '../log-sink.js';
import { appendOne, appendedEvents, buildCommand } from './log-helpers.js';
import { buildAttribution, buildIncidentDrafts, buildLogEntryDraft, testTime } from './test-events.js';

/** Histories, states and old-hub snapshots for the snapshot tests of the codec and both logs. */

/** Events folded the way the hub folds them, with a directory entry among them. */
export function history(count: number): StoredEvent[] {
  const drafts: EventDraft[] = [...buildIncidentDrafts()];
  for (let i = 0; drafts.length < count; i++) drafts.push(buildLogEntryDraft(`rad ${i} — åäö`));
  return drafts.map(
    (draft, i) =>
      ({ ...draft, seq: i + 1, at: testTime(i), by: buildAttribution(), commandId: `c${i}` }) as StoredEvent,
  );
}

export function fold(events: StoredEvent[]) {
  const state = applyInPlace(initialState(), events);
  const directory = initialDirectory();
  for (const event of events) applyDirectory(directory, event);
  return { state, directory };
}

/** A check-in draft by Anna of Nacka, with a note only Nacka should read. */
export function checkinDraft(): EventDraft {
  const checkin = {
    id: randomUUID(),
    incidentId: null,
    status: 'onSite',
    position: { lat: 59.31, lng: 18.16 },
    note: 'Vid brandstationen',
    at: testTime(),
    by: buildAttribution(),
    checkedOutAt: null,
    sharing: { scope: 'own' },
  } as const;
  return { type: 'checkin.created', payload: { checkin } };
}

/**
 * The state as a hub before field reports (commit 2004d23) stored it in a snapshot, built
 * by hand: no `fieldReports` map (nor the conference maps added later), incidents without `version`, check-ins without `sharing`,
 * and no item with its place in the log (`seq`, incidents' `…Seq`, acknowledgements' seq).
 * The encoder has not changed since, so encoding this object gives that hub's bytes.
 */
export function stateAsOldHubStoredIt(state: State): Record<string, unknown> {
  const without = (item: object, fields: readonly string[]) =>
    Object.fromEntries(Object.entries(item).filter(([name]) => !fields.includes(name)));
  const strip = <T extends object>(items: Record<string, T>, ...fields: string[]) =>
    Object.fromEntries(Object.entries(items).map(([id, item]) => [id, without(item, fields)]));
  const incidents = Object.fromEntries(
    Object.entries(state.incidents).map(([id, incident]) => [
      id,
      {
        ...without(incident, ['version', 'requestedSeq', 'activatedSeq', 'closedSeq']),
        acknowledgements: strip(incident.acknowledgements, 'seq'),
      },
    ]),
  );
  return {
    incidents,
    reports: strip(state.reports, 'seq'),
    checkins: strip(state.checkins, 'sharing', 'seq'),
    logEntries: strip(state.logEntries, 'seq'),
    readiness: state.readiness,
  };
}

/**
 * What a newer hub reads from that snapshot: the same items, with the defaults filled in
 * (the check-ins of these histories have their sharing, so it reads back as it was).
 */
export function upgradedFromOldHub(state: State): State {
  const first = <T extends object>(items: Record<string, T>) =>
    Object.fromEntries(Object.entries(items).map(([id, item]) => [id, { ...item, seq: 0 }]));
  return {
    ...state,
    incidents: Object.fromEntries(
      Object.entries(state.incidents).map(([id, incident]) => [
        id,
        {
          ...incident,
          version: 0,
          requestedSeq: null,
          activatedSeq: null,
          closedSeq: null,
          acknowledgements: first(incident.acknowledgements),
        },
      ]),
    ),
    reports: first(state.reports),
    checkins: first(state.checkins),
    logEntries: first(state.logEntries),
  };
}

/** Collects warnings, to check that an ignored snapshot says so. */
export function warnings() {
  const messages: string[] = [];
  const sink: LogSink = {
    info: () => undefined,
    warn: (_fields, message) => messages.push(message),
    error: (_fields, message) => messages.push(message),
  };
  return { messages, sink };
}

export async function appendAll(log: EventLog, count: number, from = 0): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (let i = 0; i < count; i++) {
    const command = buildCommand([buildLogEntryDraft(`rad ${i} — åäö`)], randomUUID(), {
      payloadHash: `payload-hash-${i}`,
    });
    events.push(...appendedEvents(await log.appendBatch(from + i, [command], testTime(i))));
  }
  return events;
}

/** An incident (seqs 1 and 2) and then a check-in (seq 3), as two commands. */
export async function appendIncidentAndCheckin(log: EventLog): Promise<StoredEvent[]> {
  const first = await appendOne(log, 0, buildIncidentDrafts(), randomUUID(), {
    payloadHash: 'payload-hash-0',
  });
  const checkedIn = await log.appendBatch(
    2,
    [buildCommand([checkinDraft()], randomUUID(), { payloadHash: 'payload-hash-1' })],
    testTime(1),
  );
  return [...appendedEvents(first), ...appendedEvents(checkedIn)];
}
