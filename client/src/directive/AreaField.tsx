import type { Position, SessionInfo } from '@lagesbild/shared';
import { useId, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { toPosition } from '../domain/drawing';
import { LazyMap } from '../map/LazyMap';
import type { MapShape } from '../map/map-types';
import type { FormProblem } from './directive-form';

type AreaFieldProps = {
  session: SessionInfo;
  area: readonly Position[];
  onChange: (area: Position[]) => void;
  problem?: FormProblem;
  mark?: ReactNode;
};

/** The directive's area, drawn on the map a corner at a time, as the incident's area is. */
export function AreaField({ session, area, onChange, problem, mark }: AreaFieldProps) {
  const { t } = useTranslation();
  const hintId = useId();
  const draft = useMemo(() => ({ type: 'Polygon' as const, positions: area }), [area]);
  const noShapes = useMemo<MapShape[]>(() => [], []);
  return (
    <fieldset className="directive-editor__area" aria-describedby={hintId}>
      <legend>
        {t('directive.field.area')} {mark}
      </legend>
      <p className="hint" id={hintId}>
        {t('directive.areaHelp')} {t('featureEditor.points', { count: area.length })}
      </p>
      <LazyMap
        label={t('directive.areaMap')}
        center={session.region.map.center}
        zoom={session.region.map.zoom}
        tiles={session.tiles}
        shapes={noShapes}
        draft={draft}
        onPick={(p) => onChange([...area, toPosition(p.lat, p.lng)])}
        testId="directive-area-map"
      />
      <div className="form__inline">
        <button
          type="button"
          className="button button--small"
          disabled={area.length === 0}
          onClick={() => onChange(area.slice(0, -1))}
        >
          {t('featureEditor.undo')}
        </button>
        <button
          type="button"
          className="button button--small"
          disabled={area.length === 0}
          onClick={() => onChange([])}
        >
          {t('featureEditor.clear')}
        </button>
      </div>
      {problem && <p className="field-error">{t(`directive.problem.${problem}`)}</p>}
    </fieldset>
  );
}
