import type {
  ActionItemStatus,
  AssessmentContent,
  Minutes,
  Presence,
  Representation,
} from './conference-model.js';
import { itemsOfConference, roundOrder } from './conference-selectors.js';
import type { Report, State } from './model.js';
import { ownEntry } from './records.js';
import type { RegionConfig } from './region.js';

// The minutes (protokoll) are generated from the log when the chair approves them, and the
// approval event carries them: every hub stores the same text, and a later change of the
// region file or of an item's status does not rewrite what was approved.

/**
 * The minutes of a closed conference as the log has it now: participants and rounds in the
 * region's round order (each round with the actor's newest region-shared report at the
 * close), the conference's current assessment, its decisions and action items with their
 * status, and the next time (the one the chair set, or else that of the next conference
 * scheduled from this one, as a recurring conference's is). Throws for a conference the
 * state does not hold (`decide` checks first).
 */
export function buildMinutes(state: State, conferenceId: string, region: RegionConfig): Minutes {
  const conference = ownEntry(state.conferences, conferenceId);
  if (!conference) throw new Error(`buildMinutes: no conference ${conferenceId}`);
  const incident =
    conference.incidentId === null ? undefined : ownEntry(state.incidents, conference.incidentId);
  const order = roundOrder(region, conference);
  const assessment = conference.assessments.at(-1);

  // The minutes are read by the whole region, a wall included: a round names the report it
  // rested on, and that report's status, only when the report is shared with everyone. The
  // report is the one the region could read when the conference closed: one filed after it
  // (while the minutes wait for approval) is not what the round rested on.
  const regionReports = new Map<string, Report>();
  if (conference.incidentId !== null && conference.closedSeq !== null) {
    for (const report of Object.values(state.reports)) {
      if (
        report.incidentId !== conference.incidentId ||
        report.sharing.scope !== 'region' ||
        report.seq > conference.closedSeq
      )
        continue;
      const newest = regionReports.get(report.actorId);
      if (!newest || report.seq > newest.seq) regionReports.set(report.actorId, report);
    }
  }
  const regionReport = (actorId: string) => regionReports.get(actorId);

  return {
    conferenceId: conference.id,
    incidentId: conference.incidentId,
    incidentTitle: incident?.title ?? '',
    title: conference.title,
    convenerActorId: conference.convenerActorId,
    scheduledAt: conference.scheduledAt,
    openedAt: conference.openedAt,
    closedAt: conference.closedAt,
    participants: order.map((actorId) => {
      const rollCall = ownEntry(conference.rollCall, actorId);
      return {
        actorId,
        presence: rollCall?.presence ?? null,
        representedBy: rollCall?.representedBy ?? null,
        // Outside an incident there is no activation to acknowledge.
        acknowledged: incident ? ownEntry(incident.acknowledgements, actorId) !== undefined : true,
      };
    }),
    rounds: order.map((actorId) => {
      const round = ownEntry(conference.rounds, actorId);
      const report = regionReport(actorId);
      return {
        actorId,
        reported: round?.reported ?? false,
        note: round?.note ?? '',
        reportId: report?.id ?? null,
        status: report?.status ?? null,
      };
    }),
    assessment: assessment
      ? {
          situation: assessment.situation,
          expectedDevelopment: assessment.expectedDevelopment,
          consequences: assessment.consequences,
          uncertainties: assessment.uncertainties,
        }
      : null,
    decisions: itemsOfConference(state, conference.id).map((item) => ({
      id: item.id,
      kind: item.kind,
      text: item.text,
      ownerActorId: item.ownerActorId,
      dueAt: item.dueAt,
      status: item.status,
    })),
    nextConferenceAt: conference.nextConferenceAt ?? scheduledFrom(state, conference.id)?.scheduledAt ?? null,
  };
}

/** The conference scheduled as this one's next: by the chair's time, or by its recurrence rule. */
const scheduledFrom = (state: State, conferenceId: string) =>
  Object.values(state.conferences).find((c) => c.previousConferenceId === conferenceId);

/** A corrected roll-call line: how the actor took part. */
export type ParticipantCorrection = { presence: Presence; representedBy: Representation | null };

/** The parts of a decision or action item a correction changes. */
export type DecisionCorrection = {
  text?: string;
  ownerActorId?: string;
  dueAt?: string | null;
  status?: ActionItemStatus;
};

/**
 * What a correction of approved minutes may change: round notes and roll-call lines by
 * actor, decisions and action items by id, the assessment, and the next conference time.
 */
export type MinutesCorrection = {
  roundNotes?: Readonly<Record<string, string>>;
  participants?: Readonly<Record<string, ParticipantCorrection>>;
  decisions?: Readonly<Record<string, DecisionCorrection>>;
  assessment?: AssessmentContent;
  nextConferenceAt?: string | null;
};

/**
 * The previous version's minutes with a correction applied, everything not corrected as
 * approved before. A line for an actor or item the minutes do not have is left out
 * (`decide` refuses those first).
 */
export function correctedMinutes(previous: Minutes, correction: MinutesCorrection): Minutes {
  const notes = correction.roundNotes ?? {};
  const participants = correction.participants ?? {};
  const decisions = correction.decisions ?? {};
  return {
    ...previous,
    participants: previous.participants.map((participant) => {
      const corrected = ownEntry(participants, participant.actorId);
      return corrected === undefined
        ? participant
        : { ...participant, presence: corrected.presence, representedBy: corrected.representedBy };
    }),
    rounds: previous.rounds.map((round) => {
      const note = ownEntry(notes, round.actorId);
      return note === undefined ? round : { ...round, note };
    }),
    assessment: correction.assessment ? { ...correction.assessment } : previous.assessment,
    decisions: previous.decisions.map((decision) => {
      const corrected = ownEntry(decisions, decision.id);
      if (corrected === undefined) return decision;
      return {
        ...decision,
        text: corrected.text ?? decision.text,
        ownerActorId: corrected.ownerActorId ?? decision.ownerActorId,
        dueAt: corrected.dueAt === undefined ? decision.dueAt : corrected.dueAt,
        status: corrected.status ?? decision.status,
      };
    }),
    nextConferenceAt:
      correction.nextConferenceAt === undefined ? previous.nextConferenceAt : correction.nextConferenceAt,
  };
}

/** How many bytes the minutes take as JSON (UTF-8), as the log and every snapshot store them. */
export function minutesBytes(minutes: Minutes): number {
  let bytes = 0;
  for (const char of JSON.stringify(minutes)) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
