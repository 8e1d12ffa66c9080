import { useId } from 'react';

/** A `datetime-local` input with its label and its error, tied together for screen readers. */
export function DateTimeField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | null;
  testId?: string;
}) {
  const id = useId();
  const { label, value, onChange, error, testId } = props;
  return (
    <div className="form__field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="datetime-local"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        data-testid={testId}
      />
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
