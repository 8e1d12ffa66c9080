import { INCIDENT_KINDS, IncidentKind, LIMITS } from '@lagesbild/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from '../components/TextField';

/** What an incident is called, what kind it is, what happened and when the next conference is. */
export type IncidentBasics = {
  title: string;
  kind: IncidentKind;
  description: string;
  nextConference: string;
};

type IncidentBasicsFieldsProps = {
  /** Each dialog words its fields in its own way. */
  labels: Record<keyof IncidentBasics, string>;
  draft: IncidentBasics;
  onChange: (change: Partial<IncidentBasics>) => void;
  /** The text of what is wrong with a field, or null. */
  problem: (field: 'title' | 'description' | 'nextConference') => string | null;
};

/** The fields an incident is activated with and later changed in, alike in both dialogs. */
export function IncidentBasicsFields({ labels, draft, onChange, problem }: IncidentBasicsFieldsProps) {
  const { t } = useTranslation();
  const kindId = useId();
  const timeId = useId();
  const timeProblem = problem('nextConference');
  return (
    <>
      <TextField
        label={labels.title}
        value={draft.title}
        onChange={(title) => onChange({ title })}
        maxLength={LIMITS.maxShortTextLength}
        required
        error={problem('title')}
      />
      <div className="form__field">
        <label htmlFor={kindId}>{labels.kind}</label>
        <select
          id={kindId}
          value={draft.kind}
          onChange={(e) => onChange({ kind: IncidentKind.parse(e.target.value) })}
        >
          {INCIDENT_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`incidentKind.${kind}`)}
            </option>
          ))}
        </select>
      </div>
      <TextField
        label={labels.description}
        value={draft.description}
        onChange={(description) => onChange({ description })}
        maxLength={LIMITS.maxTextLength}
        multiline
        error={problem('description')}
      />
      <div className="form__field">
        <label htmlFor={timeId}>{labels.nextConference}</label>
        <input
          id={timeId}
          type="datetime-local"
          value={draft.nextConference}
          onChange={(e) => onChange({ nextConference: e.target.value })}
          aria-invalid={timeProblem ? true : undefined}
        />
        {timeProblem && <p className="field-error">{timeProblem}</p>}
      </div>
    </>
  );
}
