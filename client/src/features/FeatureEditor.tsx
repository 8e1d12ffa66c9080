import {
  FEATURE_KINDS,
  FeatureKind,
  LIMITS,
  type Geometry,
  type MapFeature,
  type Position,
  type SessionInfo,
} from '@lagesbild/shared';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { actorColour } from '../domain/actors';
import { geometryFromPositions, MIN_POINTS, toPosition } from '../domain/drawing';
import { newId } from '../domain/ids';
import { LazyMap } from '../map/LazyMap';
import type { MapShape } from '../map/map-types';

const GEOMETRY_TYPES: Geometry['type'][] = ['Point', 'LineString', 'Polygon'];

type FeatureEditorProps = {
  session: SessionInfo;
  features: readonly MapFeature[];
  onChange: (features: MapFeature[]) => void;
  error?: string | null;
};

/**
 * Places on the map for a report: choose the shape and kind, click the map (or use the
 * centre button from the keyboard), then add it. Added features are listed and removable.
 */
export function FeatureEditor({ session, features, onChange, error }: FeatureEditorProps) {
  const { t } = useTranslation();
  const [shape, setShape] = useState<Geometry['type']>('Polygon');
  const [kind, setKind] = useState<FeatureKind>('affectedArea');
  const [label, setLabel] = useState('');
  const [positions, setPositions] = useState<Position[]>([]);
  const shapeName = useId();
  const kindId = useId();
  const labelId = useId();
  const helpId = useId();
  const geometry = geometryFromPositions(shape, positions);
  const full = features.length >= LIMITS.maxFeaturesPerReport;

  const shapes = useMemo<MapShape[]>(
    () =>
      features.map((f) => ({
        key: f.id,
        geometry: f.geometry,
        colour: actorColour(session.region, session.actorId),
        kind: f.kind,
        title: `${t(`featureKind.${f.kind}`)}${f.label ? `: ${f.label}` : ''}`,
      })),
    [features, session.region, session.actorId, t],
  );
  const draft = useMemo(() => ({ type: shape, positions }), [shape, positions]);

  const pick = (lat: number, lng: number) =>
    setPositions((p) => (shape === 'Point' ? [toPosition(lat, lng)] : [...p, toPosition(lat, lng)]));

  const add = () => {
    if (!geometry || full) return;
    onChange([...features, { id: newId(), kind, label: label.trim(), geometry }]);
    setPositions([]);
    setLabel('');
  };

  return (
    <fieldset className="feature-editor" aria-describedby={helpId}>
      <legend>{t('reportForm.features')}</legend>
      <div className="feature-editor__tools">
        <fieldset className="choice-group">
          <legend>{t('featureEditor.shape')}</legend>
          {GEOMETRY_TYPES.map((type) => (
            <label key={type} className="choice">
              <input
                type="radio"
                name={shapeName}
                checked={shape === type}
                onChange={() => {
                  setShape(type);
                  setPositions([]);
                }}
              />{' '}
              {t(`geometry.${type}`)}
            </label>
          ))}
        </fieldset>
        <div className="form__field">
          <label htmlFor={kindId}>{t('featureEditor.kind')}</label>
          <select id={kindId} value={kind} onChange={(e) => setKind(FeatureKind.parse(e.target.value))}>
            {FEATURE_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`featureKind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="form__field">
          <label htmlFor={labelId}>{t('featureEditor.label')}</label>
          <input
            id={labelId}
            type="text"
            value={label}
            maxLength={LIMITS.maxShortTextLength}
            onChange={(e) => setLabel(e.target.value)}
          />
        </div>
      </div>
      <p className="hint" id={helpId}>
        {t(`featureEditor.help.${shape}`)}{' '}
        <span data-testid="draft-points">{t('featureEditor.points', { count: positions.length })}</span>
      </p>
      <LazyMap
        label={t('featureEditor.mapLabel')}
        center={session.region.map.center}
        zoom={session.region.map.zoom}
        tiles={session.tiles}
        shapes={shapes}
        draft={draft}
        onPick={(p) => pick(p.lat, p.lng)}
        testId="report-map"
      />
      <div className="form__inline">
        <button type="button" className="button button--primary" disabled={!geometry || full} onClick={add}>
          {t('featureEditor.add')}
        </button>
        <button
          type="button"
          className="button button--small"
          disabled={positions.length === 0}
          onClick={() => setPositions((p) => p.slice(0, -1))}
        >
          {t('featureEditor.undo')}
        </button>
        <button
          type="button"
          className="button button--small"
          disabled={positions.length === 0}
          onClick={() => setPositions([])}
        >
          {t('featureEditor.clear')}
        </button>
        {!geometry && positions.length > 0 && (
          <span className="hint">{t('featureEditor.needMore', { count: MIN_POINTS[shape] })}</span>
        )}
      </div>
      {error && <p className="field-error">{error}</p>}
      {features.length === 0 ? (
        <p className="empty">{t('featureEditor.none')}</p>
      ) : (
        <ul className="feature-list" data-testid="draft-features">
          {features.map((f) => (
            <li key={f.id} data-kind={f.kind} data-geometry={f.geometry.type}>
              <span>
                {t(`featureKind.${f.kind}`)} ({t(`geometry.${f.geometry.type}`)})
                {f.label ? `: ${f.label}` : ''}
              </span>
              <button
                type="button"
                className="button button--small"
                onClick={() => onChange(features.filter((x) => x.id !== f.id))}
                aria-label={t('featureEditor.removeNamed', {
                  name: `${t(`featureKind.${f.kind}`)}${f.label ? ` ${f.label}` : ''}`,
                })}
              >
                {t('featureEditor.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
