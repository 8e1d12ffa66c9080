import {
  ActorStatus,
  commandPayloads,
  LIMITS,
  MapFeature,
  Slug,
  Uuid,
  type CommandPayload,
  type Report,
} from '@lagesbild/shared';
import { z } from 'zod';

/** The report's text fields, in the order DOMAIN.md lists them. */
export const REPORT_TEXT_FIELDS = ['happened', 'consequences', 'measures', 'needs', 'assessment'] as const;
export type ReportTextField = (typeof REPORT_TEXT_FIELDS)[number];

export const SHARING_SCOPES = ['region', 'actors', 'own'] as const;
export type SharingScope = (typeof SHARING_SCOPES)[number];

/**
 * The form as the user fills it in. Looser than the command (an actor list may still be
 * empty while the user picks), and kept across reloads.
 */
export const ReportDraft = z.object({
  reportId: z.uuid(),
  happened: z.string(),
  consequences: z.string(),
  measures: z.string(),
  needs: z.string(),
  assessment: z.string(),
  status: ActorStatus,
  sharingScope: z.enum(SHARING_SCOPES),
  sharingActorIds: z.array(Slug),
  features: z.array(MapFeature),
  /**
   * The actor's report this one is written over: its newest when the draft began, null for
   * the first. Drafts saved before this was kept have none and supersede whatever is newest.
   */
  supersedes: Uuid.nullable().optional(),
});
export type ReportDraft = z.infer<typeof ReportDraft>;

/** A new draft; map features start from the actor's latest report, which the new one supersedes. */
export function emptyReportDraft(reportId: string, previous: Report | undefined): ReportDraft {
  return {
    reportId,
    happened: '',
    consequences: '',
    measures: '',
    needs: '',
    assessment: '',
    status: previous?.status ?? 'normal',
    sharingScope: 'region',
    sharingActorIds: [],
    features: previous?.features ?? [],
    supersedes: previous?.id ?? null,
  };
}

/** Why a field is not ready to send; each is a translation key under `reportForm.errors`. */
export type ReportProblem = 'tooLong' | 'empty' | 'noActors' | 'tooManyFeatures' | 'invalid';
export type ReportProblems = Partial<
  Record<ReportTextField | 'sharing' | 'features' | 'form', ReportProblem>
>;

/**
 * Checks a draft against the hub's own limits and schema, and builds the command payload.
 * The form shows the problems next to their fields; the hub would refuse the same things.
 */
export function validateReportDraft(
  draft: ReportDraft,
  incidentId: string,
): { ok: true; payload: CommandPayload<'report.submit'> } | { ok: false; problems: ReportProblems } {
  const problems: ReportProblems = {};
  for (const field of REPORT_TEXT_FIELDS) {
    if (draft[field].length > LIMITS.maxTextLength) problems[field] = 'tooLong';
  }
  if (REPORT_TEXT_FIELDS.every((f) => draft[f].trim() === '')) problems.happened ??= 'empty';
  if (draft.sharingScope === 'actors' && draft.sharingActorIds.length === 0) problems.sharing = 'noActors';
  if (draft.features.length > LIMITS.maxFeaturesPerReport) problems.features = 'tooManyFeatures';
  if (Object.keys(problems).length > 0) return { ok: false, problems };

  const sharing =
    draft.sharingScope === 'actors'
      ? { scope: 'actors' as const, actorIds: draft.sharingActorIds }
      : { scope: draft.sharingScope };
  const parsed = commandPayloads['report.submit'].safeParse({
    reportId: draft.reportId,
    incidentId,
    happened: draft.happened,
    consequences: draft.consequences,
    measures: draft.measures,
    needs: draft.needs,
    assessment: draft.assessment,
    status: draft.status,
    sharing,
    features: draft.features,
    supersedes: draft.supersedes,
  });
  if (!parsed.success) return { ok: false, problems: { form: 'invalid' } };
  return { ok: true, payload: parsed.data };
}

/**
 * A refused report's content back as a draft, to be edited and sent again; `supersedes`
 * names the report it is now written over (the newer one, after a `stale` refusal).
 */
export function draftFromPayload(
  payload: CommandPayload<'report.submit'>,
  reportId: string,
  supersedes: string | null | undefined = payload.supersedes,
): ReportDraft {
  return {
    supersedes,
    reportId,
    happened: payload.happened,
    consequences: payload.consequences,
    measures: payload.measures,
    needs: payload.needs,
    assessment: payload.assessment,
    status: payload.status,
    sharingScope: payload.sharing.scope,
    sharingActorIds: payload.sharing.scope === 'actors' ? payload.sharing.actorIds : [],
    features: payload.features,
  };
}

/** Where a user's draft for an incident is kept. */
export const reportDraftKey = (userId: string, incidentId: string): string =>
  `report.${userId}.${incidentId}`;
