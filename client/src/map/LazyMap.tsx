import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { MapViewProps } from './map-types';

// Leaflet and proj4 are a third of the client's weight; they load when a map is shown.
const MapView = lazy(() => import('./MapView'));

/** The map, loaded on first use. */
export function LazyMap(props: MapViewProps) {
  const { t } = useTranslation();
  return (
    <Suspense
      fallback={
        <div className="map-view map-view--loading" aria-busy="true">
          <p>{t('map.loading')}</p>
        </div>
      }
    >
      <MapView {...props} />
    </Suspense>
  );
}
