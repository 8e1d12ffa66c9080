import { LIMITS, READINESS_LEVELS, type ReadinessLevel, type SessionInfo } from '@lagesbild/shared';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Modal } from '../components/Modal';
import { TextField } from '../components/TextField';
import { submit } from '../features/submit';
import { usePicture } from '../stores/picture';
import {
  formFromReadiness,
  isUnchanged,
  readinessFormErrors,
  readinessPayload,
  type ReadinessForm,
} from './readiness-form';
import { registerTranslations } from '../i18n/register';
import { readinessEn } from './i18n-en';
import { readinessSv } from './i18n-sv';

// This view's texts load with it; the first page carries none of them.
registerTranslations(readinessSv, readinessEn);

type ReadinessDialogProps = { session: SessionInfo; onClose: () => void };

/**
 * Where Länsstyrelsen's duty officer records the government's decision on höjd beredskap so
 * that every actor's screen, wall and phone shows it: skärpt or högsta beredskap, for the
 * whole country or named parts, with the decision's reference and date; or lifts it. The
 * platform shows the decision; it does not replace the statutory chains.
 */
export function ReadinessDialog({ session, onClose }: ReadinessDialogProps) {
  const { t } = useTranslation();
  const readiness = usePicture((s) => s.state.readiness);
  const [form, setForm] = useState<ReadinessForm>(() => formFromReadiness(readiness));
  const [tried, setTried] = useState(false);
  const levelName = useId();
  const scopeName = useId();
  const dateId = useId();
  const dateErrorId = useId();
  const update = (change: Partial<ReadinessForm>) => setForm((f) => ({ ...f, ...change }));

  const errors = readinessFormErrors(form);
  const unchanged = isUnchanged(form, readiness);
  const shown = (field: keyof typeof errors) => {
    const problem = errors[field];
    return tried && problem ? t(`readiness.errors.${problem}`) : null;
  };
  const raised = form.level !== 'none';
  const inForce = readiness.heightened;

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (Object.keys(errors).length > 0 || unchanged) return;
    await submit(session, 'readiness.set', readinessPayload(form));
    onClose();
  };

  const submitLabel = !raised
    ? t('readiness.submitLift')
    : inForce
      ? t('readiness.submitChange')
      : t('readiness.submitRaise');

  return (
    <Modal title={t('readiness.title')} onClose={onClose} testId="readiness-dialog">
      <p className="hint">{t('readiness.intro')}</p>
      <form className="form" onSubmit={(e) => void handleSubmit(e)} noValidate>
        <fieldset className="choice-group">
          <legend>{t('readiness.level')}</legend>
          {READINESS_LEVELS.map((level: ReadinessLevel) => (
            <label key={level} className="choice">
              <input
                type="radio"
                name={levelName}
                value={level}
                checked={form.level === level}
                onChange={() => update({ level })}
              />{' '}
              {level === 'none' && inForce
                ? t('readiness.levelOption.lift')
                : t(`readiness.levelOption.${level}`)}
            </label>
          ))}
        </fieldset>
        {raised && (
          <>
            <fieldset className="choice-group">
              <legend>{t('readiness.scope')}</legend>
              {(['country', 'parts'] as const).map((scope) => (
                <label key={scope} className="choice">
                  <input
                    type="radio"
                    name={scopeName}
                    value={scope}
                    checked={form.scope === scope}
                    onChange={() => update({ scope })}
                  />{' '}
                  {t(`readiness.scopeOption.${scope}`)}
                </label>
              ))}
            </fieldset>
            {form.scope === 'parts' && (
              <TextField
                label={t('readiness.parts')}
                hint={t('readiness.partsHint')}
                value={form.parts}
                onChange={(parts) => update({ parts })}
                maxLength={LIMITS.maxTextLength}
                error={shown('parts')}
                required
              />
            )}
            <TextField
              label={t('readiness.decisionRef')}
              hint={t('readiness.decisionRefHint')}
              value={form.decisionRef}
              onChange={(decisionRef) => update({ decisionRef })}
              maxLength={200}
              error={shown('decisionRef')}
              required
            />
            <div className="form__field">
              <label htmlFor={dateId}>{t('readiness.decisionDate')}</label>
              <input
                id={dateId}
                type="date"
                value={form.decisionDay}
                onChange={(e) => update({ decisionDay: e.target.value })}
                aria-invalid={shown('decisionDay') ? true : undefined}
                aria-describedby={shown('decisionDay') ? dateErrorId : undefined}
                required
              />
              {shown('decisionDay') && (
                <p className="field-error" id={dateErrorId}>
                  {shown('decisionDay')}
                </p>
              )}
            </div>
          </>
        )}
        <TextField
          label={t('readiness.note')}
          hint={t('readiness.noteHint')}
          value={form.note}
          onChange={(note) => update({ note })}
          maxLength={LIMITS.maxTextLength}
          error={shown('note')}
          multiline
        />
        {tried && unchanged && (
          <p className="field-error" role="alert">
            {t('readiness.errors.unchanged')}
          </p>
        )}
        <div className="form__actions">
          <button type="submit" className={`button ${raised ? 'button--danger-strong' : 'button--primary'}`}>
            {submitLabel}
          </button>
          <button type="button" className="button button--plain" onClick={onClose}>
            {t('app.cancel')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
