import { LIMITS, NEED_COVERAGES, type NeedCoverage, type NeedSettlement } from '@lagesbild/shared';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from '../../components/TextField';

/**
 * The needing actor's judgement of how far its need is covered, with a note. Starts from
 * the judgement already made; the same judgement again would change nothing, so it cannot
 * be sent.
 */
export function SettleForm({
  current,
  onSubmit,
  onCancel,
  pending = false,
}: {
  current: NeedSettlement | null;
  onSubmit: (coverage: NeedCoverage, note: string) => void;
  onCancel: () => void;
  /** The judgement is on its way: the form stays, without a second send. */
  pending?: boolean;
}) {
  const { t } = useTranslation();
  const name = useId();
  const [coverage, setCoverage] = useState<NeedCoverage | null>(current?.coverage ?? null);
  const [note, setNote] = useState(current?.note ?? '');
  const unchanged = current !== null && coverage === current.coverage && note.trim() === current.note.trim();

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (coverage && !unchanged && !pending) onSubmit(coverage, note.trim());
  };

  return (
    <form className="form settle-form" onSubmit={handleSubmit} noValidate data-testid="settle-form">
      <fieldset className="choice-group">
        <legend>{t('needs.coverageQuestion')}</legend>
        {NEED_COVERAGES.map((option) => (
          <label key={option} className="choice">
            <input
              type="radio"
              name={name}
              value={option}
              checked={coverage === option}
              onChange={() => setCoverage(option)}
            />
            {t(`needs.status.${option}`)}
          </label>
        ))}
      </fieldset>
      <TextField
        label={t('needs.settleNote')}
        value={note}
        onChange={setNote}
        maxLength={LIMITS.maxTextLength}
        multiline
        rows={2}
      />
      <div className="form__actions">
        <button
          type="submit"
          className="button button--primary button--small"
          disabled={coverage === null || unchanged || pending}
        >
          {t('needs.saveSettlement')}
        </button>
        <button type="button" className="button button--small" onClick={onCancel}>
          {t('needs.cancel')}
        </button>
      </div>
    </form>
  );
}
