import type { ActionItem, Assessment, Conference, NeedStatus, Offer } from './conference-model.js';
import { byLogOrder, newestFirst } from './log-order.js';
import type { Report, State } from './model.js';
import type { RegionConfig } from './region.js';
import { latestReportOf } from './report-index.js';

// Derived views of conferences and coordinated resources, shared by the hub (`decide`,
// minutes) and every client surface, so the dashboard, the wall and the phone agree.

/** A conference placed by when it was scheduled, for ordering (`byLogOrder`). */
const scheduling = (c: Conference) => ({ seq: c.scheduledSeq, at: c.scheduledAt, id: c.id });

/**
 * The conferences of an incident, or with `null` the ordinary-mode ones of the region, in
 * the order they were called.
 */
export const conferencesOf = (state: Pick<State, 'conferences'>, incidentId: string | null): Conference[] =>
  Object.values(state.conferences)
    .filter((c) => c.incidentId === incidentId)
    .sort((a, b) => byLogOrder(scheduling(a), scheduling(b)));

/** The conference running now (opened, not closed) of an incident or of ordinary mode. */
export const openConferenceOf = (
  state: Pick<State, 'conferences'>,
  incidentId: string | null,
): Conference | undefined => conferencesOf(state, incidentId).find((c) => c.status === 'open');

/**
 * The next conference not yet opened, the earliest scheduled time first. Times are compared
 * as instants: a time written with an offset sorts where it happens, not where its text does.
 */
export const nextConferenceOf = (
  state: Pick<State, 'conferences'>,
  incidentId: string | null,
): Conference | undefined =>
  conferencesOf(state, incidentId)
    .filter((c) => c.status === 'scheduled')
    .sort((a, b) => Date.parse(a.scheduledAt) - Date.parse(b.scheduledAt))[0];

/**
 * The last conference that was opened (running or closed): "since the last conference"
 * starts at its opening, read from the log, the same on every screen.
 */
export function lastConferenceOf(
  state: Pick<State, 'conferences'>,
  incidentId: string | null,
): Conference | undefined {
  const opened = conferencesOf(state, incidentId).filter((c) => c.openedSeq !== null);
  return opened.sort((a, b) => (a.openedSeq ?? 0) - (b.openedSeq ?? 0)).at(-1);
}

/**
 * The seq from which "since the last conference" counts: the opening of the last closed
 * conference, so that while one runs, its rounds still show what changed since the one
 * before. 0 when there was none.
 */
export function sinceLastConferenceSeq(state: Pick<State, 'conferences'>, incidentId: string | null): number {
  const closed = conferencesOf(state, incidentId).filter(
    (c) => c.status === 'closed' && c.openedSeq !== null,
  );
  return closed.map((c) => c.openedSeq ?? 0).reduce((a, b) => Math.max(a, b), 0);
}

/**
 * Whether an actor's duty officer or coordinator may chair the conference: its convening
 * actor, or the region's lead actor, whose officer on call can always take over a
 * conference (one a convener left running, or one called by the wrong actor).
 */
export const mayChair = (
  conference: Pick<Conference, 'convenerActorId'>,
  actorId: string,
  region: Pick<RegionConfig, 'leadActorId'>,
): boolean => conference.convenerActorId === actorId || region.leadActorId === actorId;

/**
 * The newest common assessment of an incident's conferences (or, with `null`, of the
 * ordinary-mode ones), with the conference it was made in: the one that heads the picture.
 */
export function latestAssessment(
  state: Pick<State, 'conferences'>,
  incidentId: string | null,
): { assessment: Assessment; conference: Conference } | undefined {
  let latest: { assessment: Assessment; conference: Conference } | undefined;
  for (const conference of conferencesOf(state, incidentId)) {
    const assessment = conference.assessments.at(-1);
    if (assessment && (!latest || assessment.seq > latest.assessment.seq))
      latest = { assessment, conference };
  }
  return latest;
}

/** The decisions and action items of a conference, in the order they were recorded. */
export const itemsOfConference = (state: Pick<State, 'actionItems'>, conferenceId: string): ActionItem[] =>
  Object.values(state.actionItems)
    .filter((i) => i.conferenceId === conferenceId)
    .sort(byLogOrder);

/**
 * Open decisions and action items, oldest first: all of them, or an owner actor's (its
 * dashboard and phone), optionally of one incident.
 */
export function openActionItems(
  state: Pick<State, 'actionItems'>,
  filter: { ownerActorId?: string; incidentId?: string | null } = {},
): ActionItem[] {
  return Object.values(state.actionItems)
    .filter(
      (i) =>
        i.status === 'open' &&
        (filter.ownerActorId === undefined || i.ownerActorId === filter.ownerActorId) &&
        (filter.incidentId === undefined || i.incidentId === filter.incidentId),
    )
    .sort(byLogOrder);
}

/**
 * The summoned actors in the order of the rounds: the convening actor first, then by the
 * region's `conferenceRoundOrder` of actor kinds, and within a kind in region-file order.
 */
export function roundOrder(
  region: RegionConfig,
  conference: Pick<Conference, 'convenerActorId' | 'summonedActorIds'>,
): string[] {
  const summoned = new Set(conference.summonedActorIds);
  const rank = (kind: string) => {
    const i = region.conferenceRoundOrder.indexOf(kind as (typeof region.conferenceRoundOrder)[number]);
    return i === -1 ? region.conferenceRoundOrder.length : i;
  };
  const others = region.actors
    .map((actor, index) => ({ actor, index }))
    .filter(({ actor }) => summoned.has(actor.id) && actor.id !== conference.convenerActorId)
    .sort((a, b) => rank(a.actor.kind) - rank(b.actor.kind) || a.index - b.index)
    .map(({ actor }) => actor.id);
  // Summoned ids the region no longer names still get a round, last.
  const known = new Set(region.actors.map((a) => a.id));
  const unknown = conference.summonedActorIds.filter(
    (id) => !known.has(id) && id !== conference.convenerActorId,
  );
  return [conference.convenerActorId, ...others, ...unknown];
}

/** The offers answering one report's needs, oldest first. */
export const offersForReport = (state: Pick<State, 'offers'>, reportId: string): Offer[] =>
  Object.values(state.offers)
    .filter((o) => o.reportId === reportId)
    .sort(byLogOrder);

/**
 * A report's need status: the needing actor's judgement when it has made one for this
 * report, else `offers` when any offer is not declined, else `open`. A report with no
 * needs written has none (null).
 */
export function needStatus(
  state: Pick<State, 'offers' | 'needSettlements'>,
  report: Report,
): NeedStatus | null {
  if (report.needs.trim() === '') return null;
  const settlement = state.needSettlements[report.id];
  if (settlement) return settlement.coverage;
  return offersForReport(state, report.id).some((o) => o.status !== 'declined') ? 'offers' : 'open';
}

/**
 * The needs across actors on an incident: each actor's newest report with needs written,
 * newest first, with its status and offers.
 */
export function needsOfIncident(
  state: Pick<State, 'reports' | 'offers' | 'needSettlements'>,
  incidentId: string,
): { report: Report; status: NeedStatus; offers: Offer[] }[] {
  const actors = new Set(
    Object.values(state.reports)
      .filter((r) => r.incidentId === incidentId)
      .map((r) => r.actorId),
  );
  const needs: { report: Report; status: NeedStatus; offers: Offer[] }[] = [];
  for (const actorId of actors) {
    const report = latestReportOf(state.reports, incidentId, actorId);
    const status = report && needStatus(state, report);
    if (report && status) needs.push({ report, status, offers: offersForReport(state, report.id) });
  }
  return needs.sort((a, b) => newestFirst(a.report, b.report));
}
