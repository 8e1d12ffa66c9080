import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { ChunkErrorBoundary } from '../components/ChunkErrorBoundary';
import { lazyChunk } from '../components/lazy-chunk';
import type { MapViewProps } from './map-types';

// Leaflet and proj4 are a third of the client's weight; they load when a map is shown.
const MapView = lazyChunk(() => import('./MapView').then((m) => m.default));

/** The map, loaded on first use. */
export function LazyMap(props: MapViewProps) {
  const { t } = useTranslation();
  return (
    <ChunkErrorBoundary>
      <Suspense
        fallback={
          // The same boxes as the loaded map, so nothing below it moves when it arrives.
          <div className="map-view" aria-busy="true">
            <div className="map-view__map map-view__map--loading">
              <p>{t('map.loading')}</p>
            </div>
            <div className="map-view__below" />
          </div>
        }
      >
        <MapView {...props} />
      </Suspense>
    </ChunkErrorBoundary>
  );
}
