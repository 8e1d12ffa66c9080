import {
  latestAssessment,
  LIMITS,
  type AssessmentContent,
  type Conference,
  type SessionInfo,
} from '@lagesbild/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { CommandStatus } from '../components/CommandStatus';
import { TextField } from '../components/TextField';
import { Time } from '../components/Time';
import { actorLabel } from '../domain/actors';
import { submit } from '../features/submit';
import { useOnSent, useSend } from '../hooks/use-send';
import { useOutbox } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import { conferenceDraftKey, useConferenceDraft } from './conference-drafts';
import { chairRuns } from './conference-rights';

/** The four parts, in the order the chair reads them out. */
export const ASSESSMENT_FIELDS = [
  'situation',
  'expectedDevelopment',
  'consequences',
  'uncertainties',
] as const;

const contentOf = (source: AssessmentContent | undefined): AssessmentContent => ({
  situation: source?.situation ?? '',
  expectedDevelopment: source?.expectedDevelopment ?? '',
  consequences: source?.consequences ?? '',
  uncertainties: source?.uncertainties ?? '',
});

/** The common assessment as everyone reads it: the conference's newest version. */
function AssessmentText({ session, conference }: { session: SessionInfo; conference: Conference }) {
  const { t } = useTranslation();
  const latest = conference.assessments.at(-1);
  if (!latest) return <p className="empty">{t('conference.assessment.none')}</p>;
  return (
    <div className="assessment" data-testid="assessment">
      <p className="assessment__version">
        <strong>{t('conference.assessment.version', { version: latest.version })}</strong> ·{' '}
        <Time iso={latest.at} /> · {actorLabel(session.region, latest.by.actorId)} · {latest.by.userName}
      </p>
      <dl>
        {ASSESSMENT_FIELDS.map((field) => (
          <div key={field}>
            <dt>{t(`conference.assessment.${field}`)}</dt>
            <dd className="prewrap">{latest[field] || '–'}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

const AssessmentDraft = z.object({
  situation: z.string(),
  expectedDevelopment: z.string(),
  consequences: z.string(),
  uncertainties: z.string(),
  /** The version the draft was started on (or last saved as): the save's `baseVersion`. */
  base: z.number().int().nonnegative(),
});
type AssessmentDraft = z.infer<typeof AssessmentDraft>;

const trimmed = (draft: AssessmentContent): AssessmentContent => ({
  situation: draft.situation.trim(),
  expectedDevelopment: draft.expectedDevelopment.trim(),
  consequences: draft.consequences.trim(),
  uncertainties: draft.uncertainties.trim(),
});

const sameContent = (a: AssessmentContent, b: AssessmentContent): boolean =>
  ASSESSMENT_FIELDS.every((field) => a[field] === b[field]);

/**
 * The chair writes the common assessment; each save is a new version. The draft remembers
 * the version it was started on, so a save from a second screen in between is refused by
 * the hub, and said here before the chair sends. The draft stands on the next version only
 * once the hub has accepted the save: a save still queued, or refused, changed nothing.
 */
function AssessmentForm({
  session,
  conference,
  earlier,
}: {
  session: SessionInfo;
  conference: Conference;
  earlier: AssessmentContent | undefined;
}) {
  const { t } = useTranslation();
  const current = conference.assessments.length;
  const { draft, change, discard } = useConferenceDraft(
    conferenceDraftKey('assessment', session.user.id, conference.id),
    AssessmentDraft,
    (): AssessmentDraft => ({ ...contentOf(conference.assessments.at(-1) ?? earlier), base: current }),
  );
  const [empty, setEmpty] = useState(false);
  const sending = useSend();
  const refused = useOutbox((s) => (sending.itemId === null ? undefined : s.items[sending.itemId]));
  const refusedAsChanged = refused?.status === 'failed' && refused.error?.code === 'conflict';

  useOnSent(sending.itemId, (item) => {
    if (item.command.type !== 'conference.assess') return;
    const { baseVersion, conferenceId: _id, ...saved } = item.command.payload;
    const base = (baseVersion ?? draft.base) + 1;
    // What was saved is the new version; anything typed since is still a draft.
    if (sameContent(trimmed(draft), contentOf(saved))) discard({ ...draft, base });
    else change({ ...draft, base });
  });

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const content = trimmed(draft);
    if (ASSESSMENT_FIELDS.every((f) => content[f] === '')) return setEmpty(true);
    setEmpty(false);
    void sending.send(() =>
      submit(session, 'conference.assess', {
        conferenceId: conference.id,
        baseVersion: draft.base,
        ...content,
      }),
    );
  };

  const takeNewer = () => discard({ ...contentOf(conference.assessments.at(-1)), base: current });

  return (
    <form className="form" onSubmit={handleSubmit} noValidate data-testid="assessment-form">
      {(current > draft.base || refusedAsChanged) && (
        <p className="warning" role="status" data-testid="assessment-changed">
          {t('conference.assessment.changedMeanwhile', { version: current })}{' '}
          <button type="button" className="button button--small" onClick={takeNewer}>
            {t('conference.assessment.takeNewer')}
          </button>
        </p>
      )}
      {ASSESSMENT_FIELDS.map((field) => (
        <TextField
          key={field}
          label={t(`conference.assessment.${field}`)}
          value={draft[field]}
          onChange={(value) => change({ ...draft, [field]: value })}
          maxLength={LIMITS.maxTextLength}
          multiline
          rows={3}
        />
      ))}
      {empty && <p className="field-error">{t('conference.assessment.atLeastOne')}</p>}
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={sending.pending}>
          {t('conference.assessment.save')}
        </button>
      </div>
      <CommandStatus itemId={sending.itemId} />
    </form>
  );
}

/** The common assessment: the chair writes it, everybody reads the newest version. */
export function AssessmentStep({ session, conference }: { session: SessionInfo; conference: Conference }) {
  // The first version starts from the assessment of the conference before, which the chair
  // revises rather than writes anew.
  const earlier = usePicture((s) => latestAssessment(s.state, conference.incidentId)?.assessment);
  return (
    <div className="conference-step-body">
      <AssessmentText session={session} conference={conference} />
      {chairRuns(session, conference, 'conference.assess') && (
        <AssessmentForm session={session} conference={conference} earlier={earlier} />
      )}
    </div>
  );
}
