import {
  acknowledgementOf,
  CONFERENCE_STEPS,
  latestReportOf,
  reportsForIncident,
  roundOrder,
  type Conference,
  type ConferenceStep,
  type Incident,
  type RegionConfig,
  type Report,
  type RollCallEntry,
  type RoundEntry,
  type State,
} from '@lagesbild/shared';

// What the conference room shows, derived from the picture: pure, so the rules of the
// roll call and the rounds are tested without rendering.

/** The step's place on the agenda, 0-based; -1 before the conference opens. */
export const stepIndex = (step: ConferenceStep | null): number =>
  step === null ? -1 : CONFERENCE_STEPS.indexOf(step);

/** The step after this one, or null on the last. */
export const nextStepOf = (step: ConferenceStep): ConferenceStep | null =>
  CONFERENCE_STEPS[stepIndex(step) + 1] ?? null;

/** The step before this one, or null on the first. */
export const previousStepOf = (step: ConferenceStep): ConferenceStep | null =>
  stepIndex(step) > 0 ? (CONFERENCE_STEPS[stepIndex(step) - 1] ?? null) : null;

/** One summoned actor's line in the roll call. */
export type RollCallRow = {
  actorId: string;
  entry: RollCallEntry | null;
  /**
   * Whether the actor acknowledged the incident's activation; null for an ordinary-mode
   * conference, which has no activation to acknowledge.
   */
  acknowledged: boolean | null;
};

/** The roll call in round order: an absent actor that acknowledged reads differently from one that never did. */
export function rollCallRows(
  conference: Conference,
  incident: Incident | undefined,
  region: RegionConfig,
): RollCallRow[] {
  return roundOrder(region, conference).map((actorId) => ({
    actorId,
    entry: conference.rollCall[actorId] ?? null,
    acknowledged: incident ? acknowledgementOf(incident, actorId) !== null : null,
  }));
}

/** One actor's round: its latest report and what came in since the last conference. */
export type RoundRow = {
  actorId: string;
  /** The actor's newest report on the incident that this screen may read. */
  report: Report | null;
  /** Reports by the actor logged after "since the last conference" began. */
  newSince: number;
  round: RoundEntry | null;
};

/**
 * The rounds in round order. `sinceSeq` is where "since the last conference" begins in the
 * log (`sinceLastConferenceSeq`), so every screen counts the same reports as new.
 */
export function roundRows(
  state: Pick<State, 'reports'>,
  conference: Conference,
  region: RegionConfig,
  sinceSeq: number,
): RoundRow[] {
  const incidentId = conference.incidentId;
  const reports = incidentId === null ? [] : reportsForIncident(state, incidentId);
  return roundOrder(region, conference).map((actorId) => ({
    actorId,
    report: incidentId === null ? null : (latestReportOf(state.reports, incidentId, actorId) ?? null),
    newSince: reports.filter((r) => r.actorId === actorId && r.seq > sinceSeq).length,
    round: conference.rounds[actorId] ?? null,
  }));
}
