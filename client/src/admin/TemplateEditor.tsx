import { INCIDENT_KINDS, LIMITS, type IncidentKind, type SessionInfo } from '@lagesbild/shared';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from '../components/TextField';
import { submit } from '../features/submit';
import {
  ITEM_ACTOR_KINDS,
  templateFormProblems,
  templateOf,
  type ItemRow,
  type TemplateForm,
  type TemplateFormField,
} from './template-form';

type TemplateEditorProps = {
  session: SessionInfo;
  initial: TemplateForm;
  /** A new template names its own id; a changed one keeps its id. */
  isNew: boolean;
  takenIds: ReadonlySet<string>;
  /** The seq of the app's saving being edited (the list's `seq`); null for a new or the region file's. */
  baseSeq: number | null;
  onDone: () => void;
};

/**
 * One prepared directive's form: names, the incident kinds it is offered for first, purpose,
 * priorities (one per line), responsibilities by actor kind, limits, and when it is reviewed
 * and how long it is valid. Saving sends `directiveTemplate.save` through the outbox.
 */
export function TemplateEditor({ session, initial, isNew, takenIds, baseSeq, onDone }: TemplateEditorProps) {
  const { t } = useTranslation();
  const [form, setForm] = useState<TemplateForm>(initial);
  const [tried, setTried] = useState(false);
  const ids = { id: useId(), review: useId(), validity: useId(), items: useId() };
  const update = (change: Partial<TemplateForm>) => setForm((f) => ({ ...f, ...change }));
  const problems = templateFormProblems(form, takenIds, isNew);
  const shown = (field: TemplateFormField) => {
    const problem = problems[field];
    return tried && problem ? t(`templatesAdmin.errors.${problem}`) : null;
  };
  const setItem = (index: number, change: Partial<ItemRow>) =>
    update({ items: form.items.map((item, i) => (i === index ? { ...item, ...change } : item)) });
  const toggleKind = (kind: IncidentKind) =>
    update({
      incidentKinds: form.incidentKinds.includes(kind)
        ? form.incidentKinds.filter((k) => k !== kind)
        : [...form.incidentKinds, kind],
    });

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    const template = templateOf(form);
    if (Object.keys(problems).length > 0 || !template) return;
    // Names what was edited: another administrator's save meanwhile is refused, not overwritten.
    await submit(session, 'directiveTemplate.save', { template, baseSeq });
    onDone();
  };

  return (
    <form className="form template-editor" onSubmit={(e) => void handleSubmit(e)} noValidate>
      {isNew ? (
        <TextField
          label={t('templatesAdmin.id')}
          hint={t('templatesAdmin.idHint')}
          value={form.id}
          onChange={(id) => update({ id: id.trim().toLowerCase() })}
          maxLength={64}
          error={shown('id')}
          required
        />
      ) : (
        <p className="hint">{t('templatesAdmin.idShown', { id: form.id })}</p>
      )}
      <TextField
        label={t('templatesAdmin.nameSv')}
        value={form.nameSv}
        onChange={(nameSv) => update({ nameSv })}
        maxLength={200}
        error={shown('nameSv')}
        required
      />
      <TextField
        label={t('templatesAdmin.nameEn')}
        value={form.nameEn}
        onChange={(nameEn) => update({ nameEn })}
        maxLength={200}
        error={shown('nameEn')}
        required
      />
      <fieldset className="choice-group">
        <legend>{t('templatesAdmin.incidentKinds')}</legend>
        {INCIDENT_KINDS.map((kind) => (
          <label key={kind} className="choice">
            <input
              type="checkbox"
              checked={form.incidentKinds.includes(kind)}
              onChange={() => toggleKind(kind)}
            />{' '}
            {t(`incidentKind.${kind}`)}
          </label>
        ))}
      </fieldset>
      <TextField
        label={t('templatesAdmin.purpose')}
        value={form.purpose}
        onChange={(purpose) => update({ purpose })}
        maxLength={LIMITS.maxTextLength}
        error={shown('purpose')}
        multiline
        required
      />
      <TextField
        label={t('templatesAdmin.priorities')}
        hint={t('templatesAdmin.prioritiesHint')}
        value={form.priorities}
        onChange={(priorities) => update({ priorities })}
        maxLength={LIMITS.maxTextLength * 4}
        error={shown('priorities')}
        multiline
        rows={6}
      />
      <fieldset className="form__column template-editor__items" aria-describedby={ids.items}>
        <legend>{t('templatesAdmin.items')}</legend>
        <p className="hint" id={ids.items}>
          {t('templatesAdmin.itemsHint')}
        </p>
        <ol className="template-editor__item-list">
          {form.items.map((item, index) => (
            <li key={index} className="template-editor__item" data-testid="template-item">
              <label>
                {t('templatesAdmin.itemKind', { n: index + 1 })}
                <select
                  value={item.actorKind}
                  onChange={(e) => {
                    const kind = ITEM_ACTOR_KINDS.find((k) => k === e.target.value);
                    if (kind) setItem(index, { actorKind: kind });
                  }}
                >
                  {ITEM_ACTOR_KINDS.map((kind) => (
                    <option key={kind} value={kind}>
                      {t(`actorKind.${kind}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t('templatesAdmin.itemText', { n: index + 1 })}
                <textarea
                  value={item.text}
                  maxLength={LIMITS.maxTextLength}
                  rows={2}
                  onChange={(e) => setItem(index, { text: e.target.value })}
                />
              </label>
              <button
                type="button"
                className="button button--plain"
                onClick={() => update({ items: form.items.filter((_, i) => i !== index) })}
              >
                {t('templatesAdmin.removeItem', { n: index + 1 })}
              </button>
            </li>
          ))}
        </ol>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => update({ items: [...form.items, { actorKind: 'municipality', text: '' }] })}
        >
          {t('templatesAdmin.addItem')}
        </button>
        {shown('items') && <p className="field-error">{shown('items')}</p>}
      </fieldset>
      <TextField
        label={t('templatesAdmin.limits')}
        value={form.limits}
        onChange={(limits) => update({ limits })}
        maxLength={LIMITS.maxTextLength}
        error={shown('limits')}
        multiline
      />
      <div className="form__inline">
        <HoursField
          id={ids.review}
          label={t('templatesAdmin.reviewIntervalHours')}
          value={form.reviewIntervalHours}
          onChange={(reviewIntervalHours) => update({ reviewIntervalHours })}
          error={shown('reviewIntervalHours')}
        />
        <HoursField
          id={ids.validity}
          label={t('templatesAdmin.validityHours')}
          value={form.validityHours}
          onChange={(validityHours) => update({ validityHours })}
          error={shown('validityHours')}
        />
      </div>
      {tried && Object.keys(problems).length > 0 && (
        <p className="field-error" role="alert">
          {t('templatesAdmin.errors.fix')}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="button button--primary">
          {t('templatesAdmin.save')}
        </button>
        <button type="button" className="button button--plain" onClick={onDone}>
          {t('app.cancel')}
        </button>
      </div>
    </form>
  );
}

type HoursFieldProps = {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | null;
};

/** A whole number of hours, with its error tied to it. */
function HoursField({ id, label, value, onChange, error }: HoursFieldProps) {
  return (
    <div className="form__field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={1}
        step={1}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
