import type { Geometry, LatLng } from '@lagesbild/shared';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useEffectEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatSweref, formatWgs84 } from './coordinates';
import type { DraftShape, MapShape, MapViewProps } from './map-types';

const toLatLng = ([lng, lat]: readonly number[]): L.LatLngTuple => [lat ?? 0, lng ?? 0];

// Kinds differ in line pattern and weight as well as colour, so that colour (which stands
// for the actor) is never the only difference between a closed road and an area.
function styleFor(shape: MapShape): L.PathOptions {
  switch (shape.kind) {
    case 'area':
      return { color: '#111111', weight: 3, dashArray: '10 6', fillOpacity: 0.05 };
    case 'affectedArea':
      return { color: shape.colour, weight: 2, fillColor: shape.colour, fillOpacity: 0.25 };
    case 'closedRoad':
      return { color: shape.colour, weight: 5, dashArray: '2 8', lineCap: 'square' };
    case 'evacuationCentre':
      return { color: '#ffffff', weight: 3, fillColor: shape.colour, fillOpacity: 1 };
    case 'resource':
      return { color: shape.colour, weight: 3, fillColor: '#ffffff', fillOpacity: 1 };
    default:
      return { color: shape.colour, weight: 2, fillColor: shape.colour, fillOpacity: 0.5 };
  }
}

function layerFor(geometry: Geometry, options: L.PathOptions, renderer: L.Renderer): L.Path {
  switch (geometry.type) {
    case 'Point':
      return L.circleMarker(toLatLng(geometry.coordinates), { ...options, renderer, radius: 7 });
    case 'LineString':
      return L.polyline(geometry.coordinates.map(toLatLng), { ...options, renderer });
    case 'Polygon':
      return L.polygon(
        geometry.coordinates.map((ring) => ring.map(toLatLng)),
        { ...options, renderer },
      );
  }
}

function draftLayer(draft: DraftShape, renderer: L.Renderer): L.LayerGroup {
  const group = L.layerGroup();
  const points = draft.positions.map(toLatLng);
  const line = { color: '#0b4f8a', weight: 3, dashArray: '6 4', renderer, interactive: false };
  if (draft.type === 'Polygon' && points.length >= 3)
    group.addLayer(L.polygon(points, { ...line, fillOpacity: 0.1 }));
  else if (points.length >= 2) group.addLayer(L.polyline(points, line));
  for (const p of points) {
    group.addLayer(
      L.circleMarker(p, {
        renderer,
        radius: 5,
        color: '#0b4f8a',
        fillColor: '#ffffff',
        fillOpacity: 1,
        interactive: false,
      }),
    );
  }
  return group;
}

/**
 * The Leaflet map. Loaded lazily (with Leaflet and proj4) so the first page stays small.
 * Everything is drawn on one canvas: thousands of features pan as one image instead of
 * thousands of SVG nodes.
 */
export default function MapView(props: MapViewProps) {
  const { label, center, zoom, tiles, shapes, draft, onPick, fitToShapes, testId } = props;
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const rendererRef = useRef<L.Renderer | null>(null);
  const shapesLayer = useRef<L.LayerGroup | null>(null);
  const draftGroup = useRef<L.LayerGroup | null>(null);
  const fitted = useRef(false);
  const [picked, setPicked] = useState<{ lat: number; lng: number } | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const readoutId = useId();

  const handlePick = useEffectEvent((position: LatLng) => onPick?.(position));

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const map = L.map(element, {
      center: [center.lat, center.lng],
      zoom,
      preferCanvas: true,
      zoomControl: false,
      keyboard: true,
      attributionControl: Boolean(tiles.url),
    });
    L.control.zoom({ zoomInTitle: t('map.zoomIn'), zoomOutTitle: t('map.zoomOut') }).addTo(map);
    if (tiles.url) L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: 19 }).addTo(map);
    rendererRef.current = L.canvas({ padding: 0.5, tolerance: 5 });
    shapesLayer.current = L.layerGroup().addTo(map);
    draftGroup.current = L.layerGroup().addTo(map);
    map.on('click', (event: L.LeafletMouseEvent) => {
      const position = { lat: event.latlng.lat, lng: event.latlng.wrap().lng };
      setPicked(position);
      handlePick(position);
    });
    mapRef.current = map;
    return () => {
      // Ends a pan the user started, for the same reason.
      map.stop();
      map.remove();
      mapRef.current = null;
    };
    // The map is made once; props that change are applied by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    const layer = shapesLayer.current;
    const renderer = rendererRef.current;
    if (!map || !layer || !renderer) return;
    layer.clearLayers();
    for (const shape of shapes) {
      const path = layerFor(shape.geometry, styleFor(shape), renderer);
      path.on('click', () => setSelected(shape.title));
      layer.addLayer(path);
    }
    if (fitToShapes && !fitted.current && shapes.length > 0) {
      const bounds = L.featureGroup(layer.getLayers()).getBounds();
      // Without animation: an animated zoom finishes in later frames, and a map removed
      // meanwhile (the user switched tabs at once) would throw from inside Leaflet.
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 13, animate: false });
      fitted.current = true;
    }
  }, [shapes, fitToShapes]);

  useEffect(() => {
    const group = draftGroup.current;
    const renderer = rendererRef.current;
    if (!group || !renderer) return;
    group.clearLayers();
    if (draft && draft.positions.length > 0) group.addLayer(draftLayer(draft, renderer));
  }, [draft]);

  const addCentre = () => {
    const c = mapRef.current?.getCenter();
    if (!c) return;
    const position = { lat: c.lat, lng: c.wrap().lng };
    setPicked(position);
    onPick?.(position);
  };

  return (
    <div className="map-view" data-testid={testId}>
      <div
        ref={container}
        className={`map-view__map${onPick ? ' map-view__map--drawing' : ''}`}
        role="application"
        aria-label={label}
        aria-describedby={readoutId}
        data-shape-count={shapes.length}
      />
      {onPick && <div className="map-view__crosshair" aria-hidden="true" />}
      <div className="map-view__below">
        {onPick && (
          <button type="button" className="button button--small" onClick={addCentre}>
            {t('map.addCentre')}
          </button>
        )}
        <div id={readoutId} className="map-view__readout" aria-live="polite">
          {picked ? (
            <dl className="coords" data-testid="coordinates">
              <div>
                <dt>{t('map.wgs84')}</dt>
                <dd>{formatWgs84(picked.lat, picked.lng)}</dd>
              </div>
              <div>
                <dt>{t('map.sweref')}</dt>
                <dd>{formatSweref(picked.lat, picked.lng)}</dd>
              </div>
            </dl>
          ) : (
            <p className="hint">{t('map.clickForCoordinates')}</p>
          )}
          {selected && (
            <p className="map-view__selected">
              <span className="visually-hidden">{t('map.selected')}: </span>
              {selected}
            </p>
          )}
        </div>
      </div>
    </div>
  );
}
