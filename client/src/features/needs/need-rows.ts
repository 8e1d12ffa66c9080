import {
  LIMITS,
  needStatus,
  offersForReport,
  type Incident,
  type NeedSettlement,
  type NeedStatus,
  type Offer,
  type RegionConfig,
  type Report,
  type SessionInfo,
  type State,
} from '@lagesbild/shared';
import { needsAcrossActors, type NeedEntry } from '../../domain/picture';
import { can } from '../../domain/rights';

/** One actor's need as the needs list shows it: the report, how far it is met, and the offers. */
export type NeedRow = NeedEntry & {
  report: Report;
  needStatus: NeedStatus;
  offers: Offer[];
  settlement: NeedSettlement | null;
};

/**
 * The needs across actors, in the picture's order (most severe first), each with its status
 * by the shared `needStatus` and the offers answering it, so every screen agrees.
 */
export function needRows(state: State, incidentId: string, region: RegionConfig): NeedRow[] {
  const rows: NeedRow[] = [];
  for (const entry of needsAcrossActors(state, incidentId, region)) {
    const report = state.reports[entry.reportId];
    const status = report ? needStatus(state, report) : null;
    if (!report || !status) continue;
    rows.push({
      ...entry,
      report,
      needStatus: status,
      offers: offersForReport(state, report.id),
      settlement: state.needSettlements[report.id] ?? null,
    });
  }
  return rows;
}

// The UI mirrors the hub's rules (shared `decide`) to show only what would be accepted;
// the hub still decides. A closed incident's picture is read-only here, as elsewhere.

/** Whether this user may answer another actor's need with an offer. */
export const mayOffer = (session: SessionInfo, incident: Incident, row: NeedRow): boolean =>
  can(session, 'offer.make') &&
  incident.status === 'active' &&
  row.report.actorId !== session.actorId &&
  row.needStatus !== 'covered' &&
  row.offers.length < LIMITS.maxOffersPerNeed;

/** Whether this user may accept or decline the offer: it answers their own actor's need. */
export const mayAnswer = (session: SessionInfo, incident: Incident, offer: Offer): boolean =>
  can(session, 'offer.answer') &&
  incident.status === 'active' &&
  offer.needActorId === session.actorId &&
  offer.status === 'offered';

/** Whether this user may judge how far the need is covered: it is their own actor's. */
export const maySettle = (session: SessionInfo, incident: Incident, row: NeedRow): boolean =>
  can(session, 'need.settle') && incident.status === 'active' && row.report.actorId === session.actorId;

/** Why an offer or settlement form can no longer be sent; said when the form has to go. */
export type ClosedFormReason = 'incidentClosed' | 'covered' | 'offersFull' | 'notAllowed';

export function offerClosedReason(incident: Incident, row: NeedRow): ClosedFormReason {
  if (incident.status !== 'active') return 'incidentClosed';
  if (row.needStatus === 'covered') return 'covered';
  if (row.offers.length >= LIMITS.maxOffersPerNeed) return 'offersFull';
  return 'notAllowed';
}
