import {
  LIMITS,
  type AssessmentContent,
  type Conference,
  type MinutesVersion,
  type SessionInfo,
} from '@lagesbild/shared';
import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { TextField } from '../../components/TextField';
import { actorLabel } from '../../domain/actors';
import { submit } from '../../features/submit';
import { useConferenceDraft } from '../conference-drafts';

const ASSESSMENT_PARTS = ['situation', 'expectedDevelopment', 'consequences', 'uncertainties'] as const;

/**
 * A correction being written, kept until the hub has approved it. `forVersion` is the
 * version it corrects: a kept draft of an older version is not offered on a newer one,
 * whose text it would silently undo.
 */
export const CorrectionDraft = z.object({
  forVersion: z.number().int().positive(),
  correction: z.string(),
  notes: z.record(z.string(), z.string()),
  assessment: z.object({
    situation: z.string(),
    expectedDevelopment: z.string(),
    consequences: z.string(),
    uncertainties: z.string(),
  }),
});
type CorrectionDraft = z.infer<typeof CorrectionDraft>;

const EMPTY_ASSESSMENT: AssessmentContent = {
  situation: '',
  expectedDevelopment: '',
  consequences: '',
  uncertainties: '',
};

const sameAssessment = (a: AssessmentContent, b: AssessmentContent): boolean =>
  ASSESSMENT_PARTS.every((part) => a[part] === b[part]);

/**
 * The chair's correction of approved minutes: what the correction changes (required), and
 * the round notes and assessment to correct. It approves a new version, one past the latest;
 * only what was changed is sent, so the correction says exactly what it corrects.
 */
export function MinutesCorrectionForm({
  session,
  conference,
  latest,
  draftKey,
  pending,
  onQueued,
  onCancel,
}: {
  session: SessionInfo;
  conference: Conference;
  latest: MinutesVersion;
  /** Where the draft is kept (per user and conference); the panel drops it once sent. */
  draftKey: string;
  /** The correction is on its way: the form stays, without a second send. */
  pending: boolean;
  onQueued: (itemId: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const previous = latest.minutes;
  const previousAssessment = previous.assessment ?? EMPTY_ASSESSMENT;
  const fresh = (): CorrectionDraft => ({
    forVersion: latest.version,
    correction: '',
    notes: Object.fromEntries(previous.rounds.map((r) => [r.actorId, r.note])),
    assessment: previousAssessment,
  });
  const kept = useConferenceDraft(draftKey, CorrectionDraft, fresh);
  const draft = kept.draft.forVersion === latest.version ? kept.draft : fresh();
  const { correction, notes, assessment } = draft;
  const update = (change: Partial<CorrectionDraft>) => kept.change({ ...draft, ...change });
  const [missingCorrection, setMissingCorrection] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  // Between the click and the outbox's answer `pending` is not yet true: a double click
  // must still send one correction.
  const queuing = useRef(false);

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (correction.trim() === '') {
      setMissingCorrection(true);
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    const roundNotes = Object.fromEntries(
      previous.rounds
        .filter((r) => (notes[r.actorId] ?? r.note) !== r.note)
        .map((r) => [r.actorId, notes[r.actorId] ?? r.note]),
    );
    if (pending || queuing.current) return;
    queuing.current = true;
    try {
      onQueued(
        await submit(session, 'conference.approveMinutes', {
          conferenceId: conference.id,
          version: latest.version + 1,
          correction: correction.trim(),
          ...(Object.keys(roundNotes).length > 0 ? { roundNotes } : {}),
          ...(sameAssessment(assessment, previousAssessment) ? {} : { assessment }),
        }),
      );
    } finally {
      queuing.current = false;
    }
  };

  const cancel = () => {
    kept.discard();
    onCancel();
  };

  return (
    <form
      ref={formRef}
      className="form minutes-correction no-print"
      aria-labelledby={headingId}
      onSubmit={(e) => void handleSubmit(e)}
      noValidate
      data-testid="minutes-correction"
    >
      <h5 id={headingId}>{t('minutes.correctionTitle', { version: latest.version + 1 })}</h5>
      <TextField
        label={t('minutes.correction')}
        hint={t('minutes.correctionHint')}
        value={correction}
        onChange={(value) => {
          update({ correction: value });
          if (value.trim() !== '') setMissingCorrection(false);
        }}
        maxLength={LIMITS.maxTextLength}
        multiline
        required
        error={missingCorrection ? t('minutes.correctionRequired') : null}
      />
      <fieldset className="form__group">
        <legend>{t('minutes.rounds')}</legend>
        {previous.rounds.map((round) => (
          <TextField
            key={round.actorId}
            label={t('minutes.roundNote', { actor: actorLabel(session.region, round.actorId) })}
            value={notes[round.actorId] ?? round.note}
            onChange={(value) => update({ notes: { ...notes, [round.actorId]: value } })}
            maxLength={LIMITS.maxTextLength}
            multiline
            rows={2}
          />
        ))}
      </fieldset>
      <fieldset className="form__group">
        <legend>{t('minutes.assessment')}</legend>
        {ASSESSMENT_PARTS.map((part) => (
          <TextField
            key={part}
            label={t(`conference.assessment.${part}`)}
            value={assessment[part]}
            onChange={(value) => update({ assessment: { ...assessment, [part]: value } })}
            maxLength={LIMITS.maxTextLength}
            multiline
          />
        ))}
      </fieldset>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={pending}>
          {t('minutes.sendCorrection')}
        </button>
        <button type="button" className="button button--secondary" onClick={cancel}>
          {t('minutes.cancel')}
        </button>
      </div>
    </form>
  );
}
