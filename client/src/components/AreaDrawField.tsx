import type { Position, SessionInfo } from '@lagesbild/shared';
import { useId, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { toPosition } from '../domain/drawing';
import { LazyMap } from '../map/LazyMap';
import type { MapShape } from '../map/map-types';

type AreaDrawFieldProps = {
  session: SessionInfo;
  className: string;
  legend: ReactNode;
  /** How to draw; the number of corners so far follows it. */
  help: string;
  mapLabel: string;
  mapTestId: string;
  area: readonly Position[];
  /** Given the edit rather than the new area, so that clicks made in quick succession all count. */
  onChange: (edit: (area: readonly Position[]) => Position[]) => void;
  error?: string | null;
};

/** An area drawn on the map a corner at a time, with the last corner undone or all cleared. */
export function AreaDrawField({
  session,
  className,
  legend,
  help,
  mapLabel,
  mapTestId,
  area,
  onChange,
  error,
}: AreaDrawFieldProps) {
  const { t } = useTranslation();
  const hintId = useId();
  const draft = useMemo(() => ({ type: 'Polygon' as const, positions: area }), [area]);
  const noShapes = useMemo<MapShape[]>(() => [], []);
  return (
    <fieldset className={className} aria-describedby={hintId}>
      <legend>{legend}</legend>
      <p className="hint" id={hintId}>
        {help} {t('featureEditor.points', { count: area.length })}
      </p>
      <LazyMap
        label={mapLabel}
        center={session.region.map.center}
        zoom={session.region.map.zoom}
        tiles={session.tiles}
        shapes={noShapes}
        draft={draft}
        onPick={(p) => onChange((corners) => [...corners, toPosition(p.lat, p.lng)])}
        testId={mapTestId}
      />
      <div className="form__inline">
        <button
          type="button"
          className="button button--small"
          disabled={area.length === 0}
          onClick={() => onChange((corners) => corners.slice(0, -1))}
        >
          {t('featureEditor.undo')}
        </button>
        <button
          type="button"
          className="button button--small"
          disabled={area.length === 0}
          onClick={() => onChange(() => [])}
        >
          {t('featureEditor.clear')}
        </button>
      </div>
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}
