import type { RegionConfig } from '@lagesbild/shared';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LazyMap } from '../map/LazyMap';
import type { MapShape } from '../map/map-types';
import { locate, type LocateFailure, type PositionChoice } from './geolocation';
import { formatPosition } from './methane';

type PositionFieldProps = {
  value: PositionChoice | null;
  onChange: (value: PositionChoice | null) => void;
  region: RegionConfig;
  tiles: { url: string; attribution: string };
};

/**
 * A position from the device, with the person's consent, or picked on the map when the
 * device says no or finds nothing. Nothing is sent unless the person asks for it.
 */
export function PositionField({ value, onChange, region, tiles }: PositionFieldProps) {
  const { t } = useTranslation();
  const [locating, setLocating] = useState(false);
  const [failure, setFailure] = useState<LocateFailure | null>(null);
  const [picking, setPicking] = useState(false);
  const statusId = useId();

  const handleLocate = async () => {
    setLocating(true);
    setFailure(null);
    const result = await locate();
    setLocating(false);
    if (typeof result === 'string') {
      setFailure(result);
      setPicking(true);
      return;
    }
    setPicking(false);
    onChange(result);
  };

  const shapes = useMemo<MapShape[]>(
    () =>
      value
        ? [
            {
              key: 'picked',
              geometry: { type: 'Point', coordinates: [value.position.lng, value.position.lat] },
              colour: '#0b4f8a',
              kind: 'resource',
              title: formatPosition(value.position),
            },
          ]
        : [],
    [value],
  );

  return (
    <fieldset className="phone-position">
      <legend>{t('phone.position')}</legend>
      <p className="phone-position__status" id={statusId} role="status" data-testid="position-status">
        {locating
          ? t('phone.locating')
          : value?.source === 'device'
            ? t('phone.positionShared', {
                position: formatPosition(value.position),
                accuracy: value.accuracy,
              })
            : value?.source === 'map'
              ? t('phone.positionPicked', { position: formatPosition(value.position) })
              : t('phone.noPosition')}
      </p>
      {failure && (
        <p className="phone-notice" role="alert">
          {failure === 'denied' ? t('phone.positionDenied') : t('phone.positionUnavailable')}
        </p>
      )}
      <div className="phone-actions">
        <button
          type="button"
          className="button button--primary"
          onClick={() => void handleLocate()}
          disabled={locating}
          aria-describedby={statusId}
        >
          {t('phone.useMyPosition')}
        </button>
        <button type="button" className="button" aria-pressed={picking} onClick={() => setPicking(!picking)}>
          {t('phone.pickOnMap')}
        </button>
        {value && (
          <button type="button" className="button" onClick={() => onChange(null)}>
            {t('phone.clearPosition')}
          </button>
        )}
      </div>
      {picking && (
        <div className="phone-position__map">
          <p className="hint">{t('phone.pickHelp')}</p>
          <LazyMap
            label={t('phone.pickOnMap')}
            center={value?.position ?? region.map.center}
            zoom={value ? 14 : region.map.zoom}
            tiles={tiles}
            shapes={shapes}
            onPick={(position) => onChange({ source: 'map', position })}
            testId="position-map"
          />
        </div>
      )}
    </fieldset>
  );
}
