import { noteCheckin, shareCheckinIndex } from './checkin-index.js';
import { noteReport, shareReportIndex } from './report-index.js';
import type { StoredEvent } from './events.js';
import { Checkin, type Incident, type NewCheckin, type State } from './model.js';

type Collection = 'incidents' | 'reports' | 'fieldReports' | 'checkins' | 'logEntries';

/**
 * Folds one event into the state without touching the input: the client's stores rely
 * on new references for changed parts. Only the collection the event touches is copied.
 */
export function apply(state: State, event: StoredEvent): State {
  const next: State = { ...state };
  fold(next, event, (key) => {
    next[key] = { ...state[key] } as never;
  });
  return next;
}

/**
 * Folds many events into a state the caller owns, reusing its collections. This is what
 * the hub uses for replay and live updates: a log of a million events folds in linear
 * time. The result equals folding the same events with `apply`.
 */
export function applyInPlace(state: State, events: Iterable<StoredEvent>): State {
  for (const event of events) fold(state, event, () => undefined);
  return state;
}

/**
 * A copy of the state that `applyInPlace` may fold into without changing the original: the
 * reducer writes only to collections and replaces the items it changes, so copying the
 * collections (not the items) is enough.
 */
export function detachedCopy(state: State): State {
  const copy = {
    ...state,
    incidents: { ...state.incidents },
    reports: { ...state.reports },
    fieldReports: { ...state.fieldReports },
    checkins: { ...state.checkins },
    logEntries: { ...state.logEntries },
  };
  shareCheckinIndex(state.checkins, copy.checkins);
  shareReportIndex(state.reports, copy.reports);
  return copy;
}

/**
 * The reducer itself. `own(key)` makes `state[key]` safe to write before the first write.
 * Events the state cannot place (an acknowledgement of an unknown incident, say) are
 * ignored rather than thrown: `apply` must be total, and `decide` never emits them.
 *
 * Every item takes its time and its place from the event, not from what the deciding hub
 * put in the payload: the log stamps events with one clock (the journal writer's, or
 * Redis's), so times shown side by side were read from the same clock, and the seq orders
 * items whatever the clocks said.
 */
function fold(state: State, event: StoredEvent, own: (key: Collection) => void): void {
  const { at, seq } = event;
  const updateIncident = (id: string, change: (incident: Incident) => Incident) => {
    const incident = state.incidents[id];
    if (!incident) return;
    own('incidents');
    state.incidents[id] = change(incident);
  };

  switch (event.type) {
    case 'incident.requested': {
      const p = event.payload;
      own('incidents');
      state.incidents[p.incidentId] = {
        ...blankIncident(p.incidentId),
        title: p.title,
        reason: p.reason,
        requestedAt: at,
        requestedBy: event.by,
        requestedSeq: seq,
        version: seq,
      };
      return;
    }
    case 'incident.activated': {
      const { incidentId, ...p } = event.payload;
      own('incidents');
      const base = state.incidents[incidentId] ?? blankIncident(incidentId);
      state.incidents[incidentId] = {
        ...base,
        ...p,
        status: 'active',
        activatedAt: at,
        activatedBy: event.by,
        activatedSeq: seq,
        version: seq,
      };
      return;
    }
    case 'incident.updated': {
      const { incidentId, ...changes } = event.payload;
      const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
      updateIncident(incidentId, (incident) => ({ ...incident, ...defined, version: seq }));
      return;
    }
    case 'incident.closed': {
      const p = event.payload;
      updateIncident(p.incidentId, (incident) => ({
        ...incident,
        status: 'closed',
        closedAt: at,
        closedBy: event.by,
        closedSeq: seq,
        closingSummary: p.summary,
        version: seq,
      }));
      return;
    }
    case 'readiness.changed': {
      const { heightened, note } = event.payload;
      // Editing the note must not move the time readiness was raised.
      const raisedAt = state.readiness.heightened ? state.readiness.since : at;
      state.readiness = { heightened, note, since: heightened ? raisedAt : null, by: event.by };
      return;
    }
    case 'activation.acknowledged': {
      const p = event.payload;
      updateIncident(p.incidentId, (incident) => ({
        ...incident,
        acknowledgements: { ...incident.acknowledgements, [p.actorId]: { at, by: event.by, seq } },
      }));
      return;
    }
    case 'report.submitted': {
      const report = { ...event.payload.report, at, seq };
      own('reports');
      state.reports[report.id] = report;
      noteReport(state.reports, report);
      return;
    }
    case 'fieldReport.submitted':
      own('fieldReports');
      state.fieldReports[event.payload.fieldReport.id] = { ...event.payload.fieldReport, at, seq };
      return;
    case 'checkin.created': {
      const checkin = { ...withCheckinDefaults(event.payload.checkin), at, seq };
      own('checkins');
      state.checkins[checkin.id] = checkin;
      noteCheckin(state.checkins, checkin);
      return;
    }
    case 'checkin.checkedOut': {
      const checkin = state.checkins[event.payload.checkinId];
      if (!checkin) return;
      own('checkins');
      state.checkins[checkin.id] = { ...checkin, checkedOutAt: at };
      return;
    }
    case 'logEntry.added':
      own('logEntries');
      state.logEntries[event.payload.entry.id] = { ...event.payload.entry, at, seq };
      return;
    default:
      // Directory events (accounts, devices, sessions) are folded by the hubs only.
      return;
  }
}

/** The sharing the check-in schema gives check-ins logged before sharing existed. */
const OLD_CHECKIN_SHARING = Checkin.shape.sharing.parse(undefined);

/**
 * The check-in with the fields added since it may have been logged filled in as the schema
 * would: journal replay and catch-up read events without the schema (journal-format.ts),
 * so a check-in from an older hub arrives without `sharing`, which every projection needs.
 * Returns the same object when nothing is missing, so replay stays allocation-free.
 */
export function withCheckinDefaults<C extends NewCheckin>(checkin: C): C {
  // Read as stored: older events lack the field the type promises.
  if ((checkin as Partial<NewCheckin>).sharing !== undefined) return checkin;
  return { ...checkin, sharing: OLD_CHECKIN_SHARING };
}

/**
 * Fills in, in place, the places in the log that items of a state read without the schema
 * lack when an older hub folded them (format-2 snapshots, which are checked by checksum
 * rather than parsed): as the schema's defaults would, seq 0 for items and acknowledgements
 * (before everything logged since, see `byLogOrder`) and no seq for incidents' steps. Items
 * that have them are left as they are, so a current snapshot costs one check per item.
 */
export function fillLogPlaces(state: State): void {
  for (const key of ['reports', 'fieldReports', 'checkins', 'logEntries'] as const) {
    const items: Record<string, { seq?: number }> = state[key];
    for (const [id, item] of Object.entries(items)) {
      // Read as stored: older snapshots lack the field the type promises.
      if (item.seq === undefined) items[id] = { ...item, seq: 0 };
    }
  }
  for (const [id, incident] of Object.entries(state.incidents)) {
    const stored: Partial<Incident> = incident;
    const acknowledgements = Object.entries(incident.acknowledgements);
    const oldAcknowledgement = acknowledgements.some(([, a]) => (a as Partial<typeof a>).seq === undefined);
    if (stored.requestedSeq !== undefined && !oldAcknowledgement) continue;
    state.incidents[id] = {
      ...incident,
      requestedSeq: stored.requestedSeq ?? null,
      activatedSeq: stored.activatedSeq ?? null,
      closedSeq: stored.closedSeq ?? null,
      acknowledgements: Object.fromEntries(
        acknowledgements.map(([actorId, a]) => [actorId, { ...a, seq: a.seq ?? 0 }]),
      ),
    };
  }
}

/**
 * The event as the schema would have read it, for events read without it (journal replay
 * and catch-up): the one place defaults added to stored events since are filled in.
 */
export function withEventDefaults(event: StoredEvent): StoredEvent {
  if (event.type !== 'checkin.created') return event;
  const checkin = withCheckinDefaults(event.payload.checkin);
  return checkin === event.payload.checkin ? event : { ...event, payload: { ...event.payload, checkin } };
}

function blankIncident(id: string): Incident {
  return {
    id,
    status: 'requested',
    title: '',
    kind: 'other',
    description: '',
    reason: '',
    area: null,
    summonedActorIds: [],
    nextConferenceAt: null,
    requestedAt: null,
    requestedBy: null,
    activatedAt: null,
    activatedBy: null,
    closedAt: null,
    closedBy: null,
    closingSummary: '',
    requestedSeq: null,
    activatedSeq: null,
    closedSeq: null,
    acknowledgements: {},
    version: 0,
  };
}
