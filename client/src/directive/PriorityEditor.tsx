import { LIMITS } from '@lagesbild/shared';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
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

/** Which control to focus once the list has re-rendered: a row's button or input, or the add button. */
type Focus = { key: string; control: 'up' | 'down' | 'input' } | { key: null; control: 'add' };

let keyCounter = 0;
/** A key for a row, unique in the page: rows keep it through moves and removals. */
const newRowKey = () => `priority-${keyCounter++}`;

/**
 * The priorities, most important first: each editable, movable up and down, removable.
 * Rows are keyed by keys that follow them through moves and removals, so React keeps each
 * row's input with its text. Focus follows a moved row (to the same button in its new
 * place); a move button at the end of the list is aria-disabled rather than disabled, so
 * the focus never drops to the page; each move and removal is announced.
 */
export function PriorityEditor({
  priorities,
  onChange,
  problems = {},
  listProblem,
  mark,
}: PriorityEditorProps) {
  const { t } = useTranslation();
  const baseId = useId();
  const [keys, setKeys] = useState<string[]>(() => priorities.map(newRowKey));
  // A list changed from outside (added to, or another start): keys for its length.
  if (keys.length !== priorities.length) {
    setKeys(
      keys.length < priorities.length
        ? [...keys, ...Array.from({ length: priorities.length - keys.length }, newRowKey)]
        : keys.slice(0, priorities.length),
    );
  }
  const [announcement, setAnnouncement] = useState('');
  const pendingFocus = useRef<Focus | null>(null);
  const addRef = useRef<HTMLButtonElement>(null);

  // After every render: the control a move or removal asked to focus, in its new place.
  useEffect(() => {
    const focus = pendingFocus.current;
    if (!focus) return;
    pendingFocus.current = null;
    const target =
      focus.key === null
        ? addRef.current
        : document.getElementById(`${baseId}-${focus.key}-${focus.control}`);
    target?.focus();
  });

  const set = (index: number, text: string) => onChange(priorities.map((p, i) => (i === index ? text : p)));
  const move = (from: number, to: number, control: 'up' | 'down') => {
    if (to < 0 || to >= priorities.length) return;
    pendingFocus.current = { key: keys[from] ?? '', control };
    setKeys(moved(keys, from, to));
    onChange(moved(priorities, from, to));
    setAnnouncement(t('directive.priorityMoved', { from: from + 1, to: to + 1 }));
  };
  const remove = (index: number) => {
    const left = keys.filter((_, j) => j !== index);
    // The focus goes to the row that took its place, else the one before, else "add".
    const key = left[index] ?? left[index - 1] ?? null;
    pendingFocus.current = key === null ? { key: null, control: 'add' } : { key, control: 'input' };
    setKeys(left);
    onChange(priorities.filter((_, j) => j !== index));
    setAnnouncement(t('directive.priorityRemoved', { number: index + 1 }));
  };

  return (
    <fieldset className="directive-editor__list" data-testid="priority-editor">
      <legend>
        {t('directive.field.priorities')} {mark}
      </legend>
      <p className="hint">{t('directive.prioritiesHint')}</p>
      <ol className="directive-editor__rows">
        {priorities.map((priority, i) => {
          const key = keys[i] ?? `${i}`;
          const id = `${baseId}-${key}-input`;
          const problem = problems[i];
          const number = i + 1;
          const first = i === 0;
          const last = i === priorities.length - 1;
          return (
            <li key={key} className="directive-editor__row">
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
                  id={`${baseId}-${key}-up`}
                  type="button"
                  className="button button--small"
                  aria-disabled={first}
                  onClick={() => move(i, i - 1, 'up')}
                >
                  {t('directive.moveUp')}{' '}
                  <span className="visually-hidden">{t('directive.priorityLabel', { number })}</span>
                </button>
                <button
                  id={`${baseId}-${key}-down`}
                  type="button"
                  className="button button--small"
                  aria-disabled={last}
                  onClick={() => move(i, i + 1, 'down')}
                >
                  {t('directive.moveDown')}{' '}
                  <span className="visually-hidden">{t('directive.priorityLabel', { number })}</span>
                </button>
                <button type="button" className="button button--small" onClick={() => remove(i)}>
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
        ref={addRef}
        type="button"
        className="button button--small"
        disabled={priorities.length >= LIMITS.maxDirectivePriorities}
        onClick={() => onChange([...priorities, ''])}
      >
        {t('directive.addPriority')}
      </button>
      <p className="visually-hidden" aria-live="polite" data-testid="priority-announcement">
        {announcement}
      </p>
      {listProblem && <p className="field-error">{t(`directive.problem.${listProblem}`)}</p>}
    </fieldset>
  );
}
