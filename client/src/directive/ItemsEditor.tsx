import { LIMITS, type RegionConfig } from '@lagesbild/shared';
import { useId, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { byName } from '../domain/actors';
import { newId } from '../domain/ids';
import type { FormItem, FormProblem } from './directive-form';

type ItemsEditorProps = {
  items: readonly FormItem[];
  region: RegionConfig;
  onChange: (items: FormItem[]) => void;
  textProblems?: Record<string, FormProblem>;
  ownerProblems?: Record<string, FormProblem>;
  listProblem?: FormProblem;
  mark?: ReactNode;
};

/** Who is responsible for what: each item a text and one owner actor. */
export function ItemsEditor(props: ItemsEditorProps) {
  const { items, region, onChange, textProblems = {}, ownerProblems = {}, listProblem, mark } = props;
  const { t } = useTranslation();
  const baseId = useId();
  const actors = useMemo(() => [...region.actors].sort(byName), [region.actors]);
  const change = (id: string, patch: Partial<FormItem>) =>
    onChange(items.map((item) => (item.id === id ? { ...item, ...patch } : item)));
  return (
    <fieldset className="directive-editor__list" data-testid="items-editor">
      <legend>
        {t('directive.field.items')} {mark}
      </legend>
      {items.length === 0 && <p className="empty">{t('directive.noItems')}</p>}
      <ol className="directive-editor__rows">
        {items.map((item, i) => {
          const textId = `${baseId}-${item.id}-text`;
          const ownerId = `${baseId}-${item.id}-owner`;
          const textProblem = textProblems[item.id];
          const ownerProblem = ownerProblems[item.id];
          const number = i + 1;
          return (
            <li
              key={item.id}
              className="directive-editor__row directive-editor__row--item"
              data-item-id={item.id}
            >
              <label htmlFor={textId}>{t('directive.itemLabel', { number })}</label>
              <input
                id={textId}
                type="text"
                value={item.text}
                maxLength={LIMITS.maxTextLength}
                aria-invalid={textProblem ? true : undefined}
                aria-describedby={textProblem ? `${textId}-error` : undefined}
                onChange={(e) => change(item.id, { text: e.target.value })}
              />
              {textProblem && (
                <p className="field-error" id={`${textId}-error`}>
                  {t(`directive.problem.${textProblem}`)}
                </p>
              )}
              <label htmlFor={ownerId}>{t('directive.ownerLabel', { number })}</label>
              <select
                id={ownerId}
                value={item.ownerActorId}
                aria-invalid={ownerProblem ? true : undefined}
                aria-describedby={ownerProblem ? `${ownerId}-error` : undefined}
                onChange={(e) => change(item.id, { ownerActorId: e.target.value })}
              >
                <option value="">{t('directive.chooseOwner')}</option>
                {actors.map((actor) => (
                  <option key={actor.id} value={actor.id}>
                    {actor.name}
                  </option>
                ))}
              </select>
              {ownerProblem && (
                <p className="field-error" id={`${ownerId}-error`}>
                  {t(`directive.problem.${ownerProblem}`)}
                </p>
              )}
              <button
                type="button"
                className="button button--small"
                onClick={() => onChange(items.filter((x) => x.id !== item.id))}
              >
                {t('directive.remove')}{' '}
                <span className="visually-hidden">{t('directive.itemLabel', { number })}</span>
              </button>
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        className="button button--small"
        disabled={items.length >= LIMITS.maxDirectiveItems}
        onClick={() => onChange([...items, { id: newId(), text: '', ownerActorId: '' }])}
      >
        {t('directive.addItem')}
      </button>
      {listProblem && <p className="field-error">{t(`directive.problem.${listProblem}`)}</p>}
    </fieldset>
  );
}
