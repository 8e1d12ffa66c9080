import { z } from 'zod';
import { isDirectoryEventType } from './directory.js';
import type { StoredEvent } from './events.js';
import type { ConferenceDialIn } from './conference-model.js';
import type { Attribution, Checkin, NewCheckin, Sharing, State } from './model.js';

/**
 * Who is looking: a signed-in person of an actor, or a paired wall display, which belongs
 * to no actor and therefore sees only what is shared with the whole region. Not strict: it
 * reaches the client inside `sync.hello`, which is read tolerantly (protocol.ts).
 */
export const Viewer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('actor'), actorId: z.string() }),
  z.object({ kind: z.literal('device') }),
]);
export type Viewer = z.infer<typeof Viewer>;

/** Who may receive an event: everybody, only the named actors, or no client at all. */
export type Audience =
  { scope: 'all' } | { scope: 'actors'; actorIds: readonly string[] } | { scope: 'none' };

/** The audience of an item owned by `ownerActorId` with the given sharing. */
export function sharingAudience(ownerActorId: string, sharing: Sharing): Audience {
  switch (sharing.scope) {
    case 'region':
      return { scope: 'all' };
    case 'own':
      return { scope: 'actors', actorIds: [ownerActorId] };
    case 'actors':
      return { scope: 'actors', actorIds: [...new Set([ownerActorId, ...sharing.actorIds])] };
  }
}

/**
 * The audience of an offer and of the answer to it: the readers of the report whose need it
 * answers (the needing actor owns the sharing), and the offering actor, which always sees
 * what it offered even when the report is no longer shared with it.
 */
export function offerAudience(offer: {
  needActorId: string;
  fromActorId: string;
  sharing: Sharing;
}): Audience {
  const readers = sharingAudience(offer.needActorId, offer.sharing);
  if (readers.scope !== 'actors') return readers;
  return { scope: 'actors', actorIds: [...new Set([...readers.actorIds, offer.fromActorId])] };
}

/** The audience of a conference's dial-in details: its summoned actors, never a wall. */
export const dialInAudience = (dialIn: Pick<ConferenceDialIn, 'summonedActorIds'>): Audience => ({
  scope: 'actors',
  actorIds: dialIn.summonedActorIds,
});

/** Whether the viewer belongs to the audience. */
export function inAudience(viewer: Viewer, audience: Audience): boolean {
  if (audience.scope === 'all') return true;
  if (audience.scope === 'none') return false;
  return viewer.kind === 'actor' && audience.actorIds.includes(viewer.actorId);
}

/**
 * The audience of an event: restricted for items that carry a sharing level, and nobody
 * for directory events, which only the hubs fold.
 */
export function eventAudience(event: StoredEvent): Audience {
  if (isDirectoryEventType(event.type)) return { scope: 'none' };
  switch (event.type) {
    case 'report.submitted':
      return sharingAudience(event.payload.report.actorId, event.payload.report.sharing);
    case 'fieldReport.submitted':
      return sharingAudience(event.payload.fieldReport.actorId, event.payload.fieldReport.sharing);
    case 'logEntry.added':
      return sharingAudience(event.payload.entry.by.actorId, event.payload.entry.sharing);
    case 'checkin.created':
      return sharingAudience(event.payload.checkin.by.actorId, event.payload.checkin.sharing);
    case 'checkin.checkedOut':
      // Who checked out is a person of the check-in's actor; others see only the summary.
      return { scope: 'actors', actorIds: [event.by.actorId] };
    case 'conference.dialInSet':
      return dialInAudience(event.payload);
    case 'offer.made':
      return offerAudience(event.payload.offer);
    case 'offer.answered':
      return offerAudience(event.payload);
    case 'need.settled':
      return sharingAudience(event.payload.actorId, event.payload.sharing);
    default:
      // Conferences and their decisions are the region's shared business: every actor and
      // every wall follows the steps, the roll call, the assessment and the decisions.
      return { scope: 'all' };
  }
}

/** Stands in for the person on a check-in summary: the region learns the function, not who. */
export const HIDDEN_PERSON = 'hidden';

const hiddenPerson = (by: Attribution): Attribution => ({
  userId: HIDDEN_PERSON,
  userName: HIDDEN_PERSON,
  actorId: by.actorId,
  functionId: by.functionId,
});

/**
 * What the region outside a check-in's sharing sees of it: that the actor has someone there,
 * in which function and status, since when; not who, where, or the note. A folded check-in
 * keeps its place in the log (`seq`), as folding the summary event gives it.
 */
export function checkinSummary(checkin: Checkin): Checkin;
export function checkinSummary(checkin: NewCheckin): NewCheckin;
export function checkinSummary(checkin: NewCheckin & { seq?: number }): NewCheckin | Checkin {
  const summary: NewCheckin = {
    id: checkin.id,
    incidentId: checkin.incidentId,
    status: checkin.status,
    position: null,
    note: '',
    at: checkin.at,
    by: hiddenPerson(checkin.by),
    checkedOutAt: checkin.checkedOutAt,
    sharing: { scope: 'own' },
    regionSummary: true,
  };
  return checkin.seq === undefined ? summary : { ...summary, seq: checkin.seq };
}

/**
 * A conference's dial-in as those who are not summoned hold it: without the link or PIN.
 * They still get an entry, so that an actor left out of a later list of summoned actors
 * loses the details it was given before, as its projection does.
 */
export const dialInSummary = (dialIn: ConferenceDialIn): ConferenceDialIn => ({ ...dialIn, dialIn: '' });

/** Summaries are made once per event, so every viewer gets (and the hub encodes) one object. */
const eventSummaries = new WeakMap<StoredEvent, StoredEvent>();

/** The event as told to those outside its audience, or null for events they must not get. */
function eventSummary(event: StoredEvent): StoredEvent | null {
  if (
    event.type !== 'checkin.created' &&
    event.type !== 'checkin.checkedOut' &&
    event.type !== 'conference.dialInSet'
  )
    return null;
  const kept = eventSummaries.get(event);
  if (kept) return kept;
  const summary: StoredEvent =
    event.type === 'checkin.created'
      ? { ...event, by: hiddenPerson(event.by), payload: { checkin: checkinSummary(event.payload.checkin) } }
      : event.type === 'conference.dialInSet'
        ? { ...event, payload: { ...event.payload, dialIn: '' } }
        : { ...event, by: hiddenPerson(event.by) };
  eventSummaries.set(event, summary);
  return summary;
}

/**
 * The event as the viewer may receive it: whole, as its summary (a check-in outside its
 * sharing), or null. `audience` may be passed when the caller has it already.
 */
export function eventForViewer(
  viewer: Viewer,
  event: StoredEvent,
  audience: Audience = eventAudience(event),
): StoredEvent | null {
  return inAudience(viewer, audience) ? event : eventSummary(event);
}

/** The events the viewer may receive, in order, each whole or as its summary. */
export const eventsForViewer = (viewer: Viewer, events: readonly StoredEvent[]): StoredEvent[] =>
  events.flatMap((event) => eventForViewer(viewer, event) ?? []);

/**
 * The part of the state the viewer may see. Folding the events the viewer may see into
 * its projection gives the projection of the folded state, so a client converges on it.
 */
export function projectState(state: State, viewer: Viewer): State {
  const visible = <T extends { sharing: Sharing }>(items: Record<string, T>, owner: (item: T) => string) =>
    Object.fromEntries(
      Object.entries(items).filter(([, item]) =>
        inAudience(viewer, sharingAudience(owner(item), item.sharing)),
      ),
    );
  return {
    ...state,
    reports: visible(state.reports, (r) => r.actorId),
    fieldReports: visible(state.fieldReports, (r) => r.actorId),
    logEntries: visible(state.logEntries, (e) => e.by.actorId),
    checkins: Object.fromEntries(
      Object.entries(state.checkins).map(([id, checkin]) => [
        id,
        inAudience(viewer, sharingAudience(checkin.by.actorId, checkin.sharing))
          ? checkin
          : checkinSummary(checkin),
      ]),
    ),
    conferenceDialIns: Object.fromEntries(
      Object.entries(state.conferenceDialIns).map(([id, dialIn]) => [
        id,
        inAudience(viewer, dialInAudience(dialIn)) ? dialIn : dialInSummary(dialIn),
      ]),
    ),
    offers: Object.fromEntries(
      Object.entries(state.offers).filter(([, offer]) => inAudience(viewer, offerAudience(offer))),
    ),
    needSettlements: visible(state.needSettlements, (settlement) => settlement.actorId),
  };
}
