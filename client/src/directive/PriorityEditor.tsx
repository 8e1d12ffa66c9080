import { LIMITS } from '@lagesbild/shared';
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { moved, type FormProblem } from './directive-form';

type PriorityEditorProps = {
  priorities: readonly string[];
  onChange: (priorities: string[]) => void;
  problems?: Record<number, FormProblem>;
  listProblem?: FormProblem;
  /** The "from the template / changed" mark of the field, when the draft has a template. */
  mark?: ReactNode;
};

/** The priorities, most important first: each editable, movable up and down, removable. */
export function PriorityEditor({
  priorities,
  onChange,
  problems = {},
  listProblem,
  mark,
}: PriorityEditorProps) {
  const { t } = useTranslation();
  const baseId = useId();
  const set = (index: number, text: string) => onChange(priorities.map((p, i) => (i === index ? text : p)));
  return (
    <fieldset className="directive-editor__list" data-testid="priority-editor">
      <legend>
        {t('directive.field.priorities')} {mark}
      </legend>
      <p className="hint">{t('directive.prioritiesHint')}</p>
      <ol className="directive-editor__rows">
        {priorities.map((priority, i) => {
          const id = `${baseId}-${i}`;
          const problem = problems[i];
          const number = i + 1;
          return (
            <li key={i} className="directive-editor__row">
              <label htmlFor={id}>{t('directive.priorityLabel', { number })}</label>
              <input
                id={id}
                type="text"
                value={priority}
                maxLength={LIMITS.maxTextLength}
                aria-invalid={problem ? true : undefined}
                aria-describedby={problem ? `${id}-error` : undefined}
                onChange={(e) => set(i, e.target.value)}
              />
              <span className="directive-editor__row-tools">
                <button
                  type="button"
                  className="button button--small"
                  disabled={i === 0}
                  onClick={() => onChange(moved(priorities, i, i - 1))}
                >
                  {t('directive.moveUp')}{' '}
                  <span className="visually-hidden">{t('directive.priorityLabel', { number })}</span>
                </button>
                <button
                  type="button"
                  className="button button--small"
                  disabled={i === priorities.length - 1}
                  onClick={() => onChange(moved(priorities, i, i + 1))}
                >
                  {t('directive.moveDown')}{' '}
                  <span className="visually-hidden">{t('directive.priorityLabel', { number })}</span>
                </button>
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => onChange(priorities.filter((_, j) => j !== i))}
                >
                  {t('directive.remove')}{' '}
                  <span className="visually-hidden">{t('directive.priorityLabel', { number })}</span>
                </button>
              </span>
              {problem && (
                <p className="field-error" id={`${id}-error`}>
                  {t(`directive.problem.${problem}`)}
                </p>
              )}
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        className="button button--small"
        disabled={priorities.length >= LIMITS.maxDirectivePriorities}
        onClick={() => onChange([...priorities, ''])}
      >
        {t('directive.addPriority')}
      </button>
      {listProblem && <p className="field-error">{t(`directive.problem.${listProblem}`)}</p>}
    </fieldset>
  );
}
