import { LIMITS } from '@lagesbild/shared';
import { useId, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from '../../components/TextField';
import type { OfferDraft, OfferDraftErrors } from './offer-draft';

type OfferFormProps = {
  /** The needing actor's name, for the form's heading. */
  actorName: string;
  draft: OfferDraft;
  errors: OfferDraftErrors;
  /** The need was updated after the person opened the form: they should read it again. */
  changedMeanwhile: boolean;
  /** Takes the need as it is now as the one the offer answers. */
  onReadAgain: () => void;
  onChange: (draft: OfferDraft) => void;
  onSubmit: () => void;
  onCancel: () => void;
  /** The offer is on its way: no second one meanwhile. */
  pending?: boolean;
};

/** What another actor can give towards a need: what, how much, from when, and a note. */
export function OfferForm(props: OfferFormProps) {
  const { actorName, draft, errors, changedMeanwhile, onReadAgain, onChange, onSubmit, onCancel, pending } =
    props;
  const { t } = useTranslation();
  const headingId = useId();
  const timeId = useId();
  const timeErrorId = `${timeId}-error`;
  const set = (field: keyof OfferDraft) => (value: string) => onChange({ ...draft, [field]: value });
  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form
      className="form offer-form"
      aria-labelledby={headingId}
      onSubmit={handleSubmit}
      noValidate
      data-testid="offer-form"
    >
      <h4 id={headingId}>{t('offers.formTitle', { actor: actorName })}</h4>
      {changedMeanwhile && (
        <div className="form__error" role="alert" data-testid="offer-changed-meanwhile">
          <p>{t('offers.changedMeanwhile')}</p>
          <button type="button" className="button button--small" onClick={onReadAgain}>
            {t('offers.readAgain')}
          </button>
        </div>
      )}
      <TextField
        label={t('offers.what')}
        value={draft.what}
        onChange={set('what')}
        maxLength={LIMITS.maxShortTextLength}
        required
        error={errors.what ? t('offers.errors.what') : null}
      />
      <TextField
        label={t('offers.quantity')}
        hint={t('offers.quantityHint')}
        value={draft.quantity}
        onChange={set('quantity')}
        maxLength={LIMITS.maxShortTextLength}
      />
      <div className="form__field">
        <label htmlFor={timeId}>
          {t('offers.availableFrom')}
          <span aria-hidden="true"> *</span>
        </label>
        <input
          id={timeId}
          type="datetime-local"
          value={draft.availableFrom}
          required
          aria-invalid={errors.availableFrom ? true : undefined}
          aria-describedby={errors.availableFrom ? timeErrorId : undefined}
          onChange={(e) => set('availableFrom')(e.target.value)}
        />
        {errors.availableFrom && (
          <p className="field-error" id={timeErrorId}>
            {t('offers.errors.time')}
          </p>
        )}
      </div>
      <TextField
        label={t('offers.note')}
        value={draft.note}
        onChange={set('note')}
        maxLength={LIMITS.maxTextLength}
        multiline
        rows={2}
      />
      <div className="form__actions">
        <button type="submit" className="button button--primary button--small" disabled={pending}>
          {t('offers.send')}
        </button>
        <button type="button" className="button button--small" onClick={onCancel}>
          {t('offers.cancel')}
        </button>
      </div>
    </form>
  );
}
