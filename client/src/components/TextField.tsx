import { useId } from 'react';
import { useTranslation } from 'react-i18next';

type TextFieldProps = {
  label: string;
  value: string;
  onChange: (value: string) => void;
  maxLength: number;
  multiline?: boolean;
  hint?: string;
  error?: string | null;
  required?: boolean;
  name?: string;
  rows?: number;
};

/**
 * A labelled input or textarea with its hint, its error and (for long text) a character
 * count, all tied to the field for screen readers.
 */
export function TextField(props: TextFieldProps) {
  const { label, value, onChange, maxLength, multiline, hint, error, required, name, rows = 3 } = props;
  const { t } = useTranslation();
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const countId = `${id}-count`;
  const describedBy =
    [hint && hintId, error && errorId, multiline && countId].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name,
    value,
    maxLength,
    required,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
  };
  return (
    <div className="form__field">
      <label htmlFor={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {multiline ? (
        <textarea {...common} rows={rows} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} type="text" onChange={(e) => onChange(e.target.value)} />
      )}
      {multiline && (
        <p className="counter" id={countId}>
          {t('form.characters', { count: value.length, max: maxLength })}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}
