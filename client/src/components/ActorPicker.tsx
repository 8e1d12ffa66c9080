import type { RegionConfig } from '@lagesbild/shared';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { byName } from '../domain/actors';

type ActorPickerProps = {
  legend: string;
  region: RegionConfig;
  selected: readonly string[];
  onChange: (actorIds: string[]) => void;
  /** Actors that cannot be picked (the own actor, which always reads its own items). */
  exclude?: readonly string[];
  describedBy?: string;
  invalid?: boolean;
};

/** A checkbox per actor, with "all" and "none": forty actors must be quick to pick. */
export function ActorPicker({
  legend,
  region,
  selected,
  onChange,
  exclude = [],
  describedBy,
  invalid,
}: ActorPickerProps) {
  const { t } = useTranslation();
  const countId = useId();
  const actors = useMemo(
    () => region.actors.filter((a) => !exclude.includes(a.id)).sort(byName),
    [region.actors, exclude],
  );
  const chosen = new Set(selected);
  const toggle = (id: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    onChange(actors.map((a) => a.id).filter((a) => next.has(a)));
  };

  return (
    <fieldset
      className="actor-picker"
      aria-describedby={[countId, describedBy].filter(Boolean).join(' ')}
      aria-invalid={invalid || undefined}
    >
      <legend>{legend}</legend>
      <div className="actor-picker__tools">
        <button
          type="button"
          className="button button--small"
          onClick={() => onChange(actors.map((a) => a.id))}
        >
          {t('actorPicker.all')}
        </button>
        <button type="button" className="button button--small" onClick={() => onChange([])}>
          {t('actorPicker.none')}
        </button>
        <span id={countId} className="actor-picker__count" aria-live="polite">
          {t('actorPicker.selected', {
            count: actors.filter((a) => chosen.has(a.id)).length,
            total: actors.length,
          })}
        </span>
      </div>
      <ul className="actor-picker__list">
        {actors.map((actor) => (
          <li key={actor.id}>
            <label>
              <input
                type="checkbox"
                checked={chosen.has(actor.id)}
                onChange={(e) => toggle(actor.id, e.target.checked)}
              />{' '}
              {actor.name}
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
