import type { CommandPayload } from './commands.js';
import {
  CONFERENCE_STEPS,
  type Conference,
  type Minutes,
  type NewConference,
  type Presence,
  type Representation,
} from './conference-model.js';
import {
  conferencesOf,
  itemsOfConference,
  mayChair,
  nextConferenceOf,
  offersForReport,
  openConferenceOf,
} from './conference-selectors.js';
import {
  notFound,
  requireOpenIncident,
  stale,
  unique,
  unknownActors,
  type Context,
  type Decision,
  type Refusal,
} from './decide-helpers.js';
import type { EventDraft } from './events.js';
import { canonicalJson } from './hash.js';
import { LIMITS } from './limits.js';
import { buildMinutes, correctedMinutes, minutesBytes } from './minutes.js';
import type { Incident, State } from './model.js';
import { ownEntry } from './records.js';
import { nextOccurrence } from './recurrence.js';
import type { RegionConfig } from './region.js';
import { latestReportOf } from './report-index.js';
import { fail, succeed } from './result.js';
import { inAudience, sharingAudience } from './visibility.js';

// The coordination conference and coordinated resources: one function per command, each
// pure like the rest of `decide`. The region file lets duty officers and coordinators send
// these commands; here the chair is checked: a sender whose actor convenes the conference,
// or the region's lead actor (`mayChair`). Every time the conference records is stored as
// UTC (`toISOString`), and times are compared as instants.

/** How far in the past a next conference time may lie (a clock a little behind, a slow click). */
const NEXT_TIME_GRACE_MS = 5 * 60_000;

const APPROVED = 'The minutes are approved; correct them as a new version';

const ORDINARY = 'ordinary mode';

/** An instant as the conference records store it: UTC, written as `toISOString` does. */
const utc = (iso: string): string => new Date(iso).toISOString();

/** Whether two times (or two "not set"s) are the same instant, whatever offset they are written in. */
const sameTime = (a: string | null, b: string | null): boolean =>
  a === null || b === null ? a === b : Date.parse(a) === Date.parse(b);

/** Whether a time lies further in the past than a lagging clock explains. */
const pastGrace = (iso: string, now: string): boolean =>
  Date.parse(iso) < Date.parse(now) - NEXT_TIME_GRACE_MS;

/** The conference, or the refusal for a missing one. */
function findConference(state: State, conferenceId: string): Conference | Refusal {
  return ownEntry(state.conferences, conferenceId) ?? notFound('conference');
}

const isRefusal = <T extends object>(value: T | Refusal): value is Refusal =>
  'ok' in value && value.ok === false;

/** One thing a command requires of its conference: null when it holds, else the refusal. */
type ConferenceCheck = (conference: Conference) => Refusal | null;

/** The conference once every check holds, in order, or the first refusal (a missing one first). */
function checkedConference(
  state: State,
  conferenceId: string,
  ...checks: ConferenceCheck[]
): Conference | Refusal {
  const conference = findConference(state, conferenceId);
  if (isRefusal(conference)) return conference;
  for (const check of checks) {
    const refused = check(conference);
    if (refused) return refused;
  }
  return conference;
}

/** Refuses a sender whose actor may not chair the conference. */
const requireChair =
  (ctx: Context): ConferenceCheck =>
  (conference) =>
    mayChair(conference, ctx.by.actorId, ctx.region)
      ? null
      : fail(
          'forbidden',
          "Only the chair (the convening actor, or the region's lead actor) may do this at the conference",
        );

/** Refuses changes to what approved minutes record: corrections are new versions of the minutes. */
const requireNotApproved = (conference: Conference): Refusal | null =>
  conference.minutes.length > 0 ? fail('conflict', APPROVED) : null;

/** Refuses a conference that is not running now. */
function requireOpen(conference: Conference): Refusal | null {
  if (conference.status === 'open') return null;
  return fail(
    'conflict',
    conference.status === 'scheduled' ? 'The conference has not opened yet' : 'The conference is closed',
  );
}

/** Refuses an actor the conference did not summon. */
const requireSummoned =
  (actorId: string): ConferenceCheck =>
  (conference) =>
    conference.summonedActorIds.includes(actorId)
      ? null
      : fail('bad_request', `${actorId} is not summoned to this conference`);

/** Refuses a conference that has opened; `opened` words the refusal for the command at hand. */
const requireNotOpened =
  (opened: string): ConferenceCheck =>
  (conference) =>
    conference.status === 'scheduled'
      ? null
      : fail('conflict', conference.status === 'open' ? opened : 'The conference is closed');

/**
 * Refuses a roll-call line that does not hold together: a represented actor names a known
 * actor (not itself) and a known function; any other presence names nobody.
 */
function representationProblem(
  region: RegionConfig,
  actorId: string,
  line: { presence: Presence; representedBy: Representation | null },
): Refusal | null {
  const { presence, representedBy } = line;
  if (presence !== 'represented') {
    return representedBy === null
      ? null
      : fail('bad_request', 'Only a represented actor names who represents it');
  }
  if (representedBy === null)
    return fail('bad_request', 'Say which actor, in which function, represents the absent one');
  const unknown = unknownActors(region, [representedBy.actorId]);
  if (unknown) return unknown;
  if (representedBy.actorId === actorId)
    return fail('bad_request', 'An actor cannot represent itself: mark it present');
  if (!region.functions.some((f) => f.id === representedBy.functionId))
    return fail('bad_request', `Unknown function: ${representedBy.functionId}`);
  return null;
}

/** What an incident's next conference time is read from: each conference's status and times. */
type Timing = Pick<Conference, 'status' | 'scheduledAt' | 'nextConferenceAt'>;

/** A conference a decision changes (or adds, with every field), for the incident's next time. */
type TimingChange = { id: string } & Partial<Timing>;

/**
 * An incident's next conference time as its conferences have it after `changes`: the
 * earliest scheduled conference, or the time a running one set for its successor (its
 * closing schedules that one), whichever comes first; null when there is neither.
 */
function nextTimeOfConferences(state: State, incidentId: string, changes: TimingChange[]): string | null {
  const timings = new Map<string, Timing>(
    conferencesOf(state, incidentId).map((c) => [
      c.id,
      { status: c.status, scheduledAt: c.scheduledAt, nextConferenceAt: c.nextConferenceAt },
    ]),
  );
  for (const { id, ...change } of changes) {
    const before = timings.get(id) ?? { status: 'scheduled', scheduledAt: '', nextConferenceAt: null };
    timings.set(id, { ...before, ...change });
  }
  const times = [...timings.values()].flatMap((t) =>
    t.status === 'scheduled'
      ? [t.scheduledAt]
      : t.status === 'open' && t.nextConferenceAt
        ? [t.nextConferenceAt]
        : [],
  );
  return times.reduce<string | null>((a, b) => (a === null || Date.parse(b) < Date.parse(a) ? b : a), null);
}

/**
 * An `incident.updated` with the incident's next conference time after a change to its
 * conferences, when that differs from the incident's; for an active incident only.
 */
function nextTimeEvents(state: State, incidentId: string | null, changes: TimingChange[]): EventDraft[] {
  if (incidentId === null) return [];
  const incident = ownEntry(state.incidents, incidentId);
  if (!incident || incident.status !== 'active') return [];
  const next = nextTimeOfConferences(state, incidentId, changes);
  return sameTime(next, incident.nextConferenceAt)
    ? []
    : [{ type: 'incident.updated', payload: { incidentId, nextConferenceAt: next } }];
}

/** The dial-in of a conference as the summoned receive it, if it has one. */
function dialInOf(
  state: State,
  conferenceId: string,
): { dialIn: string; summonedActorIds: string[] } | undefined {
  const dialIn = ownEntry(state.conferenceDialIns, conferenceId);
  return dialIn && dialIn.dialIn.trim() !== '' ? dialIn : undefined;
}

/**
 * A new conference, its dial-in for `recipients`, and the incident's next conference time
 * (after `alsoChanged`, the conference closed on the way, if any).
 */
function scheduleEvents(
  state: State,
  conference: NewConference,
  dialIn: { dialIn: string; recipients: string[] },
  alsoChanged: TimingChange[] = [],
): EventDraft[] {
  return [
    { type: 'conference.scheduled', payload: { conference } },
    ...(dialIn.dialIn.trim() === ''
      ? []
      : [
          {
            type: 'conference.dialInSet' as const,
            payload: {
              conferenceId: conference.id,
              dialIn: dialIn.dialIn,
              summonedActorIds: dialIn.recipients,
            },
          },
        ]),
    ...nextTimeEvents(state, conference.incidentId, [
      ...alsoChanged,
      { id: conference.id, status: 'scheduled', scheduledAt: conference.scheduledAt, nextConferenceAt: null },
    ]),
  ];
}

/** `conference.schedule`: calls a conference for an incident, or in ordinary mode for the whole region. */
export function decideConferenceSchedule(
  state: State,
  p: CommandPayload<'conference.schedule'>,
  ctx: Context,
): Decision {
  if (ownEntry(state.conferences, p.conferenceId))
    return fail('conflict', 'A conference with this id already exists');
  let incident: Incident | undefined;
  if (p.incidentId !== null) {
    incident = ownEntry(state.incidents, p.incidentId);
    const notActive = requireOpenIncident(incident, 'active');
    if (notActive) return notActive;
    if (p.recurrence !== null)
      return fail('bad_request', "Only an ordinary-mode conference recurs; an incident's conferences do not");
  }
  const convenerActorId = p.convenerActorId ?? ctx.region.leadActorId;
  const unknown = unknownActors(ctx.region, [convenerActorId, ...p.summonedActorIds]);
  if (unknown) return unknown;
  // An incident's conference is convened by one of its actors (or the lead actor, who may
  // chair any): an actor outside the incident cannot call, and so block, its conference.
  if (
    incident &&
    convenerActorId !== ctx.region.leadActorId &&
    !incident.summonedActorIds.includes(convenerActorId)
  )
    return fail(
      'bad_request',
      `${convenerActorId} is not summoned to this incident, so cannot convene its conference`,
    );
  if (ctx.by.actorId !== convenerActorId && ctx.by.actorId !== ctx.region.leadActorId) {
    return fail('forbidden', "Only the convening actor or the region's lead actor may call a conference");
  }
  // An empty summons means the incident's actors, or the whole region in ordinary mode; the
  // convening actor chairs, so it is always summoned.
  const named =
    p.summonedActorIds.length > 0
      ? p.summonedActorIds
      : (incident?.summonedActorIds ?? ctx.region.actors.map((a) => a.id));
  const conference: NewConference = {
    id: p.conferenceId,
    incidentId: p.incidentId,
    title: p.title,
    scheduledAt: utc(p.scheduledAt),
    convenerActorId,
    summonedActorIds: unique([...named, convenerActorId]),
    recurrence: p.recurrence,
    previousConferenceId: null,
  };
  return succeed(
    scheduleEvents(state, conference, { dialIn: p.dialIn, recipients: conference.summonedActorIds }),
  );
}

/** `conference.reschedule`: moves a conference that has not opened, or changes its dial-in. */
export function decideConferenceReschedule(
  state: State,
  p: CommandPayload<'conference.reschedule'>,
  ctx: Context,
): Decision {
  const conference = checkedConference(
    state,
    p.conferenceId,
    requireChair(ctx),
    requireNotOpened('The conference has already opened'),
  );
  if (isRefusal(conference)) return conference;
  if (p.scheduledAt === undefined && p.dialIn === undefined)
    return fail('bad_request', 'Nothing to change: give a new time or dial-in');
  const events: EventDraft[] = [];
  if (p.scheduledAt !== undefined && !sameTime(p.scheduledAt, conference.scheduledAt)) {
    const scheduledAt = utc(p.scheduledAt);
    events.push({ type: 'conference.rescheduled', payload: { conferenceId: conference.id, scheduledAt } });
    events.push(...nextTimeEvents(state, conference.incidentId, [{ id: conference.id, scheduledAt }]));
  }
  const current = ownEntry(state.conferenceDialIns, conference.id);
  if (p.dialIn !== undefined && p.dialIn !== (current?.dialIn ?? '')) {
    events.push({
      type: 'conference.dialInSet',
      payload: {
        conferenceId: conference.id,
        dialIn: p.dialIn,
        // Nobody who had the dial-in loses it by a change of the details.
        summonedActorIds: unique([...conference.summonedActorIds, ...(current?.summonedActorIds ?? [])]),
      },
    });
  }
  if (events.length === 0) return fail('conflict', 'The conference already has that time and dial-in');
  return succeed(events);
}

/** `conference.open`: the chair opens the conference at the roll call; one runs at a time per incident. */
export function decideConferenceOpen(
  state: State,
  p: CommandPayload<'conference.open'>,
  ctx: Context,
): Decision {
  const conference = checkedConference(
    state,
    p.conferenceId,
    requireChair(ctx),
    requireNotOpened('The conference is already open'),
  );
  if (isRefusal(conference)) return conference;
  if (conference.incidentId !== null && ownEntry(state.incidents, conference.incidentId)?.status === 'closed')
    return fail('conflict', 'The incident is closed');
  const running = openConferenceOf(state, conference.incidentId);
  if (running) {
    const of = conference.incidentId === null ? ORDINARY : 'this incident';
    return fail('conflict', `Another conference of ${of} is open ("${running.title}"): close it first`);
  }
  // The conference opened is no longer the incident's next one.
  return succeed([
    { type: 'conference.opened', payload: { conferenceId: conference.id } },
    ...nextTimeEvents(state, conference.incidentId, [{ id: conference.id, status: 'open' }]),
  ]);
}

/** `conference.step`: the chair moves the agenda one step forward, or back to any earlier step. */
export function decideConferenceStep(
  state: State,
  p: CommandPayload<'conference.step'>,
  ctx: Context,
): Decision {
  const conference = checkedConference(state, p.conferenceId, requireChair(ctx), requireOpen);
  if (isRefusal(conference)) return conference;
  // A second click on a screen that had not yet seen the first is refused, not repeated.
  if (conference.step !== p.fromStep)
    return fail('conflict', `The conference has moved to step ${conference.step ?? 'none'} since`);
  if (p.toStep === p.fromStep) return fail('bad_request', `The conference is already at step ${p.toStep}`);
  const from = CONFERENCE_STEPS.indexOf(p.fromStep);
  const next = CONFERENCE_STEPS[from + 1];
  if (CONFERENCE_STEPS.indexOf(p.toStep) > from + 1) {
    return fail(
      'bad_request',
      next === undefined
        ? `Steps run in order: ${p.fromStep} is the last step`
        : `Steps run in order: the next step after ${p.fromStep} is ${next}`,
    );
  }
  return succeed([{ type: 'conference.stepped', payload: { conferenceId: conference.id, step: p.toStep } }]);
}

/** `conference.rollCall`: the chair takes any summoned actor's roll call; an actor may say "present" itself. */
export function decideConferenceRollCall(
  state: State,
  p: CommandPayload<'conference.rollCall'>,
  ctx: Context,
): Decision {
  const conference = checkedConference(
    state,
    p.conferenceId,
    requireNotApproved,
    requireOpen,
    requireSummoned(p.actorId),
  );
  if (isRefusal(conference)) return conference;
  if (
    !mayChair(conference, ctx.by.actorId, ctx.region) &&
    (p.actorId !== ctx.by.actorId || p.presence !== 'present')
  ) {
    return fail('forbidden', 'The chair takes the roll call; your actor may only say "present" for itself');
  }
  const badLine = representationProblem(ctx.region, p.actorId, p);
  if (badLine) return badLine;
  return succeed([
    {
      type: 'conference.rollCalled',
      payload: {
        conferenceId: conference.id,
        actorId: p.actorId,
        presence: p.presence,
        representedBy: p.representedBy,
      },
    },
  ]);
}

/** `conference.round`: the chair marks a summoned actor's round, with a note. */
export function decideConferenceRound(
  state: State,
  p: CommandPayload<'conference.round'>,
  ctx: Context,
): Decision {
  const conference = checkedConference(
    state,
    p.conferenceId,
    requireChair(ctx),
    requireNotApproved,
    requireOpen,
    requireSummoned(p.actorId),
  );
  if (isRefusal(conference)) return conference;
  return succeed([
    {
      type: 'conference.roundNoted',
      payload: { conferenceId: conference.id, actorId: p.actorId, reported: p.reported, note: p.note },
    },
  ]);
}

/** `conference.assess`: the chair saves a new version of the common assessment. */
export function decideConferenceAssess(
  state: State,
  p: CommandPayload<'conference.assess'>,
  ctx: Context,
): Decision {
  const conference = checkedConference(
    state,
    p.conferenceId,
    requireChair(ctx),
    requireNotApproved,
    requireOpen,
  );
  if (isRefusal(conference)) return conference;
  const { conferenceId, baseVersion, ...content } = p;
  if (Object.values(content).every((text) => text.trim() === ''))
    return fail('bad_request', 'Write at least one part of the assessment');
  const current = conference.assessments.length;
  // The stale details name only incidents and reports; the chair's screen has the newer
  // version already, folded from the log.
  if (baseVersion !== undefined && baseVersion !== current) {
    return fail(
      'conflict',
      `The assessment has been changed since version ${baseVersion}; it is at version ${current} now`,
    );
  }
  if (current >= LIMITS.maxAssessmentVersions) {
    return fail(
      'conflict',
      `The conference keeps at most ${LIMITS.maxAssessmentVersions} versions of its assessment`,
    );
  }
  return succeed([{ type: 'conference.assessed', payload: { conferenceId, ...content } }]);
}

/**
 * `conference.setNext`: the chair sets (or clears) the next conference time while the
 * conference runs, and the incident's next time follows. Once closed, the next conference
 * has been scheduled from it (or not): it is moved itself, so that the minutes, the
 * incident and that conference never disagree.
 */
export function decideConferenceSetNext(
  state: State,
  p: CommandPayload<'conference.setNext'>,
  ctx: Context,
): Decision {
  const conference = checkedConference(state, p.conferenceId, requireChair(ctx), requireNotApproved);
  if (isRefusal(conference)) return conference;
  if (conference.status === 'scheduled') return fail('conflict', 'The conference has not opened yet');
  if (conference.status === 'closed')
    return fail('conflict', 'The conference is closed; move the next conference itself');
  if (p.nextConferenceAt !== null && pastGrace(p.nextConferenceAt, ctx.now))
    return fail('bad_request', 'The next conference cannot be in the past');
  const nextConferenceAt = p.nextConferenceAt === null ? null : utc(p.nextConferenceAt);
  return succeed([
    { type: 'conference.nextSet', payload: { conferenceId: conference.id, nextConferenceAt } },
    ...nextTimeEvents(state, conference.incidentId, [{ id: conference.id, nextConferenceAt }]),
  ]);
}

/** `conference.close`: the chair closes the conference, scheduling the next one when a time is set or it recurs. */
export function decideConferenceClose(
  state: State,
  p: CommandPayload<'conference.close'>,
  ctx: Context,
): Decision {
  const conference = checkedConference(state, p.conferenceId, requireChair(ctx));
  if (isRefusal(conference)) return conference;
  if (conference.status !== 'open') {
    return fail(
      'conflict',
      conference.status === 'scheduled'
        ? 'The conference has not opened yet'
        : 'The conference is already closed',
    );
  }
  const closed: EventDraft = { type: 'conference.closed', payload: { conferenceId: conference.id } };
  const closing: TimingChange = { id: conference.id, status: 'closed' };
  const incident =
    conference.incidentId === null ? undefined : ownEntry(state.incidents, conference.incidentId);
  // A closed incident has no next conference, and its next time is not kept up any more.
  if (incident && incident.status !== 'active') return succeed([closed]);
  // The next one is at the time the chair set, or else by the recurrence rule: after the
  // slot this one was scheduled for, so closing early does not schedule the same slot again.
  if (conference.nextConferenceAt !== null && pastGrace(conference.nextConferenceAt, ctx.now))
    return fail('bad_request', 'Set a new time for the next conference: the one set has passed');
  const scheduledAt =
    conference.nextConferenceAt ??
    (conference.recurrence
      ? nextOccurrence(
          conference.recurrence,
          Date.parse(conference.scheduledAt) > Date.parse(ctx.now) ? conference.scheduledAt : ctx.now,
        )
      : null);
  if (scheduledAt === null)
    return succeed([closed, ...nextTimeEvents(state, conference.incidentId, [closing])]);
  if (ownEntry(state.conferences, p.nextConferenceId))
    return fail('conflict', 'A conference with this id already exists');
  // Actors summoned to the incident meanwhile are summoned to the next one too.
  const summonedActorIds = unique([...conference.summonedActorIds, ...(incident?.summonedActorIds ?? [])]);
  const next: NewConference = {
    id: p.nextConferenceId,
    incidentId: conference.incidentId,
    title: conference.title,
    scheduledAt: utc(scheduledAt),
    convenerActorId: conference.convenerActorId,
    summonedActorIds,
    recurrence: conference.recurrence,
    previousConferenceId: conference.id,
  };
  const dialIn = dialInOf(state, conference.id);
  return succeed([
    closed,
    ...scheduleEvents(
      state,
      next,
      {
        dialIn: dialIn?.dialIn ?? '',
        recipients: unique([...summonedActorIds, ...(dialIn?.summonedActorIds ?? [])]),
      },
      [closing],
    ),
  ]);
}

/** `conference.approveMinutes`: the chair approves the generated minutes (version 1) or a correction. */
export function decideConferenceApproveMinutes(
  state: State,
  p: CommandPayload<'conference.approveMinutes'>,
  ctx: Context,
): Decision {
  const conference = checkedConference(state, p.conferenceId, requireChair(ctx));
  if (isRefusal(conference)) return conference;
  if (conference.status !== 'closed') return fail('conflict', 'Close the conference first');
  const approved = conference.minutes.length;
  if (p.version <= approved)
    return fail('conflict', `Version ${p.version} of the minutes was approved since`);
  if (p.version > approved + 1)
    return fail('bad_request', `The next version of the minutes is ${approved + 1}`);
  const previous = conference.minutes.at(-1);
  const { conferenceId: _id, version: _version, correction, ...corrections } = p;
  if (!previous) {
    if (correction !== '' || Object.values(corrections).some((part) => part !== undefined)) {
      return fail(
        'bad_request',
        'The first version of the minutes is approved as generated; corrections come as later versions',
      );
    }
    return approval(conference.id, 1, buildMinutes(state, conference.id, ctx.region), '');
  }
  if (correction.trim() === '') return fail('bad_request', 'Say what the correction changes');
  if (approved >= LIMITS.maxMinutesVersions) {
    return fail('conflict', `The minutes keep at most ${LIMITS.maxMinutesVersions} versions`);
  }
  const problem = correctionProblem(previous.minutes, corrections, ctx.region);
  if (problem) return problem;
  const minutes = correctedMinutes(previous.minutes, {
    ...corrections,
    decisions: mapValues(corrections.decisions ?? {}, (d) => (d.dueAt ? { ...d, dueAt: utc(d.dueAt) } : d)),
    nextConferenceAt:
      corrections.nextConferenceAt === undefined || corrections.nextConferenceAt === null
        ? corrections.nextConferenceAt
        : utc(corrections.nextConferenceAt),
  });
  if (canonicalJson(minutes) === canonicalJson(previous.minutes))
    return fail('conflict', 'The correction changes nothing');
  return approval(conference.id, p.version, minutes, correction);
}

/** The approval of a version of the minutes, or the refusal of minutes too large to keep. */
function approval(conferenceId: string, version: number, minutes: Minutes, correction: string): Decision {
  const bytes = minutesBytes(minutes);
  if (bytes > LIMITS.maxMinutesBytes) {
    return fail(
      'bad_request',
      `The minutes would take ${Math.ceil(bytes / 1024)} KB; at most ${LIMITS.maxMinutesBytes / 1024} KB is kept`,
    );
  }
  return succeed([
    { type: 'conference.minutesApproved', payload: { conferenceId, version, minutes, correction } },
  ]);
}

/** The values of a record, each changed, under the same keys. */
const mapValues = <T, U>(record: Readonly<Record<string, T>>, change: (value: T) => U): Record<string, U> =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [key, change(value)]));

/**
 * Refuses a correction that names what the minutes do not hold (an actor not summoned, a
 * decision not recorded), an unknown owner, or a roll-call line that does not hold together.
 */
function correctionProblem(
  minutes: Minutes,
  corrections: Omit<CommandPayload<'conference.approveMinutes'>, 'conferenceId' | 'version' | 'correction'>,
  region: RegionConfig,
): Refusal | null {
  const actors = new Set(minutes.participants.map((line) => line.actorId));
  const notSummoned = [
    ...Object.keys(corrections.roundNotes ?? {}),
    ...Object.keys(corrections.participants ?? {}),
  ].find((id) => !actors.has(id));
  if (notSummoned !== undefined)
    return fail('bad_request', `${notSummoned} is not summoned to this conference`);
  for (const [actorId, line] of Object.entries(corrections.participants ?? {})) {
    const problem = representationProblem(region, actorId, line);
    if (problem) return problem;
  }
  const items = new Set(minutes.decisions.map((d) => d.id));
  for (const [itemId, change] of Object.entries(corrections.decisions ?? {})) {
    if (!items.has(itemId))
      return fail('bad_request', `The minutes record no decision or action item ${itemId}`);
    const unknown = change.ownerActorId === undefined ? null : unknownActors(region, [change.ownerActorId]);
    if (unknown) return unknown;
  }
  return null;
}

/** `actionItem.record`: the chair records a decision or action item with its owner actor. */
export function decideActionItemRecord(
  state: State,
  p: CommandPayload<'actionItem.record'>,
  ctx: Context,
): Decision {
  const conference = checkedConference(state, p.conferenceId, requireChair(ctx), requireNotApproved);
  if (isRefusal(conference)) return conference;
  if (conference.status === 'scheduled') return fail('conflict', 'The conference has not opened yet');
  if (ownEntry(state.actionItems, p.itemId))
    return fail('conflict', 'An action item with this id already exists');
  const unknown = unknownActors(ctx.region, [p.ownerActorId]);
  if (unknown) return unknown;
  if (itemsOfConference(state, conference.id).length >= LIMITS.maxActionItemsPerConference) {
    return fail(
      'conflict',
      `A conference records at most ${LIMITS.maxActionItemsPerConference} decisions and action items`,
    );
  }
  const item = {
    id: p.itemId,
    conferenceId: conference.id,
    incidentId: conference.incidentId,
    kind: p.kind,
    text: p.text,
    ownerActorId: p.ownerActorId,
    dueAt: p.dueAt === null ? null : utc(p.dueAt),
    at: ctx.now,
    by: ctx.by,
  };
  return succeed([{ type: 'actionItem.recorded', payload: { item } }]);
}

/** `actionItem.setStatus`: the owner marks its item done or open again; the chair sets any status. */
export function decideActionItemStatus(
  state: State,
  p: CommandPayload<'actionItem.setStatus'>,
  ctx: Context,
): Decision {
  const item = ownEntry(state.actionItems, p.itemId);
  if (!item) return notFound('action item');
  const conference = ownEntry(state.conferences, item.conferenceId);
  const chair = conference !== undefined && mayChair(conference, ctx.by.actorId, ctx.region);
  const owner = item.ownerActorId === ctx.by.actorId;
  if (!chair && !owner) return fail('forbidden', 'Only the owner actor or the chair may change this item');
  // The owner follows its item up (done, or open again); cancelling is the chair's.
  if (!chair && (item.status === 'cancelled' || p.status === 'cancelled'))
    return fail('forbidden', 'Only the chair may cancel an item or reopen a cancelled one');
  if (item.status === p.status) return fail('conflict', `The item is already ${p.status}`);
  return succeed([{ type: 'actionItem.statusSet', payload: { itemId: item.id, status: p.status } }]);
}

/** `offer.make`: another actor answers the needs of an actor's newest report with an offer. */
export function decideOfferMake(state: State, p: CommandPayload<'offer.make'>, ctx: Context): Decision {
  const notActive = requireOpenIncident(ownEntry(state.incidents, p.incidentId), 'active');
  if (notActive) return notActive;
  if (p.needActorId === ctx.by.actorId) return fail('bad_request', "Answer another actor's need");
  if (ownEntry(state.offers, p.offerId)) return fail('conflict', 'An offer with this id already exists');
  const report = ownEntry(state.reports, p.reportId);
  if (!report) return notFound('report');
  // Checked before anything else about the report, so a refusal tells nothing of one the
  // sender may not read.
  const mayRead = (r: typeof report) =>
    inAudience({ kind: 'actor', actorId: ctx.by.actorId }, sharingAudience(r.actorId, r.sharing));
  if (!mayRead(report)) return fail('forbidden', 'The report is not shared with your actor');
  if (report.actorId !== p.needActorId || report.incidentId !== p.incidentId)
    return fail('bad_request', `The report is not ${p.needActorId}'s report on this incident`);
  const latest = latestReportOf(state.reports, p.incidentId, p.needActorId);
  if (latest && latest.id !== report.id) {
    // The newer report goes along only to a sender who may read it.
    if (!mayRead(latest))
      return fail('conflict', `${p.needActorId} has reported since, in a report not shared with your actor`);
    return stale(`${p.needActorId} has reported since; answer the needs of its newest report`, {
      item: 'report',
      report: latest,
    });
  }
  if (report.needs.trim() === '') return fail('bad_request', 'The report has no needs to answer');
  if (ownEntry(state.needSettlements, report.id)?.coverage === 'covered')
    return fail('conflict', 'The need is already covered');
  if (offersForReport(state, report.id).length >= LIMITS.maxOffersPerNeed)
    return fail('conflict', `A need takes at most ${LIMITS.maxOffersPerNeed} offers`);
  const offer = {
    id: p.offerId,
    incidentId: p.incidentId,
    needActorId: p.needActorId,
    reportId: report.id,
    fromActorId: ctx.by.actorId,
    what: p.what,
    quantity: p.quantity,
    availableAt: utc(p.availableAt),
    note: p.note,
    sharing: report.sharing,
    at: ctx.now,
    by: ctx.by,
  };
  return succeed([{ type: 'offer.made', payload: { offer } }]);
}

/** `offer.answer`: the needing actor accepts or declines an offer. */
export function decideOfferAnswer(state: State, p: CommandPayload<'offer.answer'>, ctx: Context): Decision {
  const offer = ownEntry(state.offers, p.offerId);
  if (!offer) return notFound('offer');
  if (offer.needActorId !== ctx.by.actorId)
    return fail('forbidden', 'Only the actor whose need it answers may accept or decline an offer');
  if (offer.status !== 'offered') return fail('conflict', `The offer has already been ${offer.status}`);
  return succeed([
    {
      type: 'offer.answered',
      payload: {
        offerId: offer.id,
        answer: p.answer,
        needActorId: offer.needActorId,
        fromActorId: offer.fromActorId,
        sharing: offer.sharing,
      },
    },
  ]);
}

/** `need.settle`: the needing actor judges how far its newest report's needs are covered. */
export function decideNeedSettle(state: State, p: CommandPayload<'need.settle'>, ctx: Context): Decision {
  const report = ownEntry(state.reports, p.reportId);
  if (!report) return notFound('report');
  if (report.actorId !== ctx.by.actorId)
    return fail('forbidden', 'Only the actor whose need it is judges how far it is covered');
  if (report.incidentId !== p.incidentId) return fail('bad_request', 'The report is not on this incident');
  const latest = latestReportOf(state.reports, p.incidentId, ctx.by.actorId);
  if (latest && latest.id !== report.id) {
    return stale('Your actor has reported on this incident since; judge the needs of its newest report', {
      item: 'report',
      report: latest,
    });
  }
  if (report.needs.trim() === '') return fail('bad_request', 'The report has no needs to judge');
  const settled = ownEntry(state.needSettlements, report.id);
  if (settled && settled.coverage === p.coverage && settled.note === p.note)
    return fail('conflict', 'The need is already judged so');
  return succeed([
    {
      type: 'need.settled',
      payload: {
        incidentId: p.incidentId,
        actorId: ctx.by.actorId,
        reportId: report.id,
        coverage: p.coverage,
        note: p.note,
        sharing: report.sharing,
      },
    },
  ]);
}

/** What `incident.update` changes besides the incident's id and the version it was made on. */
export type IncidentChanges = Omit<CommandPayload<'incident.update'>, 'incidentId' | 'baseVersion'>;

/**
 * `incident.update` once the incident and the changes are checked: the `incident.updated`
 * event, and what it means for the incident's conferences.
 *
 * - A new next conference time moves the conference scheduled next (clearing it leaves the
 *   conference as it is). The incident's time is then its conferences' earliest again: the
 *   time given, unless another conference is scheduled before it. Like `conference.setNext`,
 *   a time more than a few minutes past is refused.
 * - Actors newly summoned to the incident are summoned to its scheduled and running
 *   conferences (`conference.summonsExtended`) and get their dial-in. Actors taken off the
 *   incident stay summoned to those conferences, with the dial-in they have: the chair
 *   summoned them, and the roll call and minutes show whom.
 */
export function decideIncidentUpdate(
  state: State,
  incident: Incident,
  changes: IncidentChanges,
  ctx: Context,
): Decision {
  const events: EventDraft[] = [];
  let { nextConferenceAt } = changes;
  if (nextConferenceAt !== undefined && nextConferenceAt !== null) {
    if (pastGrace(nextConferenceAt, ctx.now))
      return fail('bad_request', 'The next conference cannot be in the past');
    nextConferenceAt = utc(nextConferenceAt);
  }
  const next = nextConferenceOf(state, incident.id);
  if (next && nextConferenceAt !== undefined) {
    if (nextConferenceAt !== null && !sameTime(nextConferenceAt, next.scheduledAt)) {
      events.push({
        type: 'conference.rescheduled',
        payload: { conferenceId: next.id, scheduledAt: nextConferenceAt },
      });
    }
    // The conferences say when the next one is; a cleared time leaves the conference there.
    const moved = nextConferenceAt === null ? [] : [{ id: next.id, scheduledAt: nextConferenceAt }];
    nextConferenceAt = nextTimeOfConferences(state, incident.id, moved);
  }
  events.push(...summonsEvents(state, incident, changes.summonedActorIds ?? []));
  const updated: EventDraft = {
    type: 'incident.updated',
    payload: {
      incidentId: incident.id,
      ...changes,
      ...(nextConferenceAt === undefined ? {} : { nextConferenceAt }),
    },
  };
  return succeed([updated, ...events]);
}

/**
 * The scheduled and running conferences of an incident take in actors newly summoned to
 * it: their summons grows, and they receive the dial-in where there is one.
 */
function summonsEvents(state: State, incident: Incident, summoned: readonly string[]): EventDraft[] {
  const added = summoned.filter((id) => !incident.summonedActorIds.includes(id));
  if (added.length === 0) return [];
  const events: EventDraft[] = [];
  for (const conference of conferencesOf(state, incident.id)) {
    if (conference.status === 'closed') continue;
    const summonedActorIds = unique([...conference.summonedActorIds, ...added]);
    if (summonedActorIds.length > conference.summonedActorIds.length) {
      events.push({
        type: 'conference.summonsExtended',
        payload: { conferenceId: conference.id, summonedActorIds },
      });
    }
    const dialIn = dialInOf(state, conference.id);
    if (!dialIn) continue;
    const recipients = unique([...dialIn.summonedActorIds, ...added]);
    if (recipients.length === dialIn.summonedActorIds.length) continue;
    events.push({
      type: 'conference.dialInSet',
      payload: { conferenceId: conference.id, dialIn: dialIn.dialIn, summonedActorIds: recipients },
    });
  }
  return events;
}
