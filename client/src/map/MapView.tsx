import type { Geometry, LatLng } from '@lagesbild/shared';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useEffectEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatSweref, formatWgs84 } from './coordinates';
import { municipalityActorIds } from '../domain/map-municipalities';
import type { DraftShape, MapShape, MapViewProps } from './map-types';
import { LABEL_INKS, STATUS_FILLS, statusFill, type BorderKind } from './map-status-colours';
import { bordersAround, type RegionBorders } from './municipal-borders';

/** Failed tiles in a row before the map says its background is missing (one may be a blip). */
const TILE_FAILURES_BEFORE_NOTICE = 3;

/**
 * After a person pans or zooms a following map (the wall), it leaves the view to them this
 * long. After that it refits as soon as some shape lies outside the view, including shapes
 * that arrived meanwhile: a display someone looked at and walked away from comes back to
 * showing everything by itself, while a person still looking is never fought.
 */
const HANDS_OFF_MS = 5 * 60_000;

/** Municipality names are shown from this zoom; further out they would cover each other. */
const LABEL_MIN_ZOOM = 9;

const BORDER_STYLES = {
  // Without tiles the borders are the map: land filled, the sea left in the background.
  base: {
    light: { color: '#5b6472', weight: 1.5, opacity: 1, fill: true, fillColor: '#f7f5ef', fillOpacity: 1 },
    dark: { color: '#7b8ea6', weight: 1.5, opacity: 1, fill: true, fillColor: '#26313f', fillOpacity: 1 },
  },
  // Over tiles only a thin line, so the tiles stay readable.
  overlay: {
    light: { color: '#374151', weight: 1, opacity: 0.6, fill: false },
    dark: { color: '#cbd5e1', weight: 1, opacity: 0.6, fill: false },
  },
} satisfies Record<BorderKind, Record<'light' | 'dark', L.PathOptions>>;

/** The border of the municipality whose report is open: heavier, in the map's ink. */
const SELECTED_BORDER = {
  light: { color: '#111111', weight: 3, opacity: 1 },
  dark: { color: '#ffffff', weight: 3, opacity: 1 },
} satisfies Record<'light' | 'dark', L.PathOptions>;

/** One municipality as drawn: its outline and its name, restyled when statuses change. */
type MunicipalPath = { code: string; name: string; polygon: L.Polygon; label: HTMLSpanElement };

/** The municipal borders (canvas paths) and their names (text labels, shown when zoomed in). */
function bordersLayers(
  borders: RegionBorders,
  style: L.PathOptions,
  renderer: L.Renderer,
  onClick: (code: string) => void,
): { outlines: L.LayerGroup; labels: L.LayerGroup; paths: Map<string, MunicipalPath> } {
  const outlines = L.layerGroup();
  const labels = L.layerGroup();
  const paths = new Map<string, MunicipalPath>();
  for (const municipality of borders.municipalities) {
    // Clickable only while a status layer with a report to open is shown (see paintMunicipalities).
    const polygon = L.polygon(municipality.polygons, { ...style, renderer, interactive: false });
    polygon.on('click', () => onClick(municipality.code));
    outlines.addLayer(polygon);
    // The name goes in as text, never as HTML.
    const name = document.createElement('span');
    name.textContent = municipality.name;
    paths.set(municipality.code, { code: municipality.code, name: municipality.name, polygon, label: name });
    labels.addLayer(
      L.marker([municipality.label.lat, municipality.label.lng], {
        icon: L.divIcon({ className: 'map-borders__label', html: name, iconSize: undefined }),
        interactive: false,
        keyboard: false,
      }),
    );
  }
  return { outlines, labels, paths };
}

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

/** What of Leaflet's canvas renderer the guard reaches: internals its type definitions leave out. */
type CanvasInternals = { _redraw: () => void; _ctx?: unknown };

/**
 * A canvas renderer whose redraw does nothing once its canvas is gone. Leaflet 1.9 can run a
 * redraw after the map was removed (a shape added just before a tab closed the map; the race
 * of Leaflet issues #6030 and #9542), and drawing on the removed canvas throws in the page.
 */
function guardedCanvas(options: L.RendererOptions): L.Canvas {
  const renderer = L.canvas(options);
  const internals = renderer as unknown as CanvasInternals;
  const redraw = internals._redraw.bind(renderer);
  internals._redraw = () => {
    if (internals._ctx !== undefined) redraw();
  };
  return renderer;
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
  const { label, center, zoom, tiles, shapes, draft, onPick, fitToShapes, followShapes, testId } = props;
  const { municipalStatus } = props;
  const appearance = props.appearance ?? 'light';
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const rendererRef = useRef<L.Renderer | null>(null);
  const shapesLayer = useRef<L.LayerGroup | null>(null);
  const draftGroup = useRef<L.LayerGroup | null>(null);
  const fitted = useRef(false);
  const municipalPaths = useRef<Map<string, MunicipalPath>>(new Map());
  // Over tiles the borders are lines; while the tiles fail (or without tiles) they are the land.
  const borderKind = useRef<BorderKind>(tiles.url ? 'overlay' : 'base');
  const lastTouchedAt = useRef(Number.NEGATIVE_INFINITY);
  // When a following map, left alone by then, should look again for shapes out of view.
  const [recheckAt, setRecheckAt] = useState<number | null>(null);
  const [tilesFailed, setTilesFailed] = useState(false);
  const [picked, setPicked] = useState<{ lat: number; lng: number } | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const readoutId = useId();

  const handlePick = useEffectEvent((position: LatLng) => onPick?.(position));

  const actorIdsByCode = (): Map<string, string> =>
    municipalStatus
      ? municipalityActorIds([...municipalPaths.current.values()], municipalStatus.actors)
      : new Map();

  const handleMunicipalityClick = useEffectEvent((code: string) => {
    const actorId = actorIdsByCode().get(code);
    if (actorId) municipalStatus?.onSelect?.(actorId);
  });

  // Fills each municipality with its actor's status and writes the status under its name
  // (colour is never the only sign); without a status layer the borders are plain.
  const paintMunicipalities = useEffectEvent(() => {
    const kind = borderKind.current;
    const actorIds = actorIdsByCode();
    for (const { code, polygon, label: name } of municipalPaths.current.values()) {
      const actorId = actorIds.get(code);
      const status =
        municipalStatus && actorId ? (municipalStatus.statusOf.get(actorId) ?? 'none') : undefined;
      const selected = actorId !== undefined && actorId === municipalStatus?.selectedActorId;
      polygon.setStyle({
        ...BORDER_STYLES[kind][appearance],
        ...statusFill(kind, appearance, status),
        ...(selected ? SELECTED_BORDER[appearance] : {}),
      });
      // The canvas renderer reads this at each click, so it can change after the polygon is made.
      polygon.options.interactive = Boolean(municipalStatus?.onSelect && actorId);
      if (status === undefined) {
        name.style.removeProperty('color');
        name.style.removeProperty('text-shadow');
        delete name.dataset.status;
        continue;
      }
      const halo = STATUS_FILLS[appearance][status];
      name.style.color = LABEL_INKS[appearance][status];
      name.style.textShadow = `0 0 2px ${halo}, 0 0 2px ${halo}, 0 0 3px ${halo}`;
      // Shown by CSS under the name, so the name stays the label's whole text.
      if (status === 'none') delete name.dataset.status;
      else name.dataset.status = municipalStatus?.statusWord(status) ?? '';
    }
  });

  // Brings the shapes into view: the first time there are any, and, when following, again
  // whenever some lie outside the view and nobody has touched the map for HANDS_OFF_MS.
  const fitIfNeeded = useEffectEvent(() => {
    const map = mapRef.current;
    const layer = shapesLayer.current;
    if (!map || !layer || !(fitToShapes || followShapes)) return;
    // A map not laid out yet (in a closed dialog or tab) has no size to fit into; the
    // resize observer calls again once it has.
    const size = map.getSize();
    if (size.x === 0 || size.y === 0 || layer.getLayers().length === 0) return;
    const bounds = L.featureGroup(layer.getLayers()).getBounds();
    if (!bounds.isValid()) return;
    if (fitted.current) {
      if (!followShapes || map.getBounds().contains(bounds)) return;
      const idleFor = Date.now() - lastTouchedAt.current;
      if (idleFor < HANDS_OFF_MS) {
        setRecheckAt(Date.now() + HANDS_OFF_MS - idleFor);
        return;
      }
    }
    // Without animation: an animated zoom finishes in later frames, and a map removed
    // meanwhile (the user switched tabs at once) would throw from inside Leaflet.
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 13, animate: false });
    fitted.current = true;
  });

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const renderer = guardedCanvas({ padding: 0.5, tolerance: 5 });
    const map = L.map(element, {
      center: [center.lat, center.lng],
      zoom,
      // Every path of this map, the default one included, draws on the guarded canvas.
      renderer,
      zoomControl: false,
      keyboard: true,
      attributionControl: Boolean(tiles.url),
    });
    L.control.zoom({ zoomInTitle: t('map.zoomIn'), zoomOutTitle: t('map.zoomOut') }).addTo(map);
    rendererRef.current = renderer;
    const borders = bordersAround(center);
    const municipal = borders
      ? bordersLayers(borders, BORDER_STYLES[borderKind.current][appearance], renderer, (code) =>
          handleMunicipalityClick(code),
        )
      : null;
    municipalPaths.current = municipal?.paths ?? new Map();
    paintMunicipalities();
    // While the tiles fail, the borders become the map, as if none were configured.
    const drawBordersAs = (kind: BorderKind) => {
      borderKind.current = kind;
      paintMunicipalities();
    };
    if (tiles.url) {
      const tileLayer = L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: 19 });
      let failuresInARow = 0;
      tileLayer.on('tileerror', () => {
        failuresInARow += 1;
        if (failuresInARow !== TILE_FAILURES_BEFORE_NOTICE) return;
        setTilesFailed(true);
        drawBordersAs('base');
      });
      tileLayer.on('tileload', () => {
        if (failuresInARow >= TILE_FAILURES_BEFORE_NOTICE) drawBordersAs('overlay');
        failuresInARow = 0;
        setTilesFailed(false);
      });
      tileLayer.addTo(map);
    }
    if (municipal) {
      const { outlines, labels } = municipal;
      outlines.addTo(map);
      const showLabels = () => {
        if (map.getZoom() >= LABEL_MIN_ZOOM) labels.addTo(map);
        else labels.remove();
      };
      showLabels();
      map.on('zoomend', showLabels);
    }
    shapesLayer.current = L.layerGroup().addTo(map);
    draftGroup.current = L.layerGroup().addTo(map);
    map.on('click', (event: L.LeafletMouseEvent) => {
      const position = { lat: event.latlng.lat, lng: event.latlng.wrap().lng };
      setPicked(position);
      handlePick(position);
    });
    // What the map shows, on the element: for the tests of the wall's refit, and for
    // whoever inspects a wall display that seems to show the wrong place.
    const recordView = () => {
      const view = map.getBounds();
      element.dataset.view = [view.getSouth(), view.getWest(), view.getNorth(), view.getEast()]
        .map((n) => n.toFixed(5))
        .join(',');
      element.dataset.zoom = String(map.getZoom());
    };
    // On every move, not only at its end: a glide after a drag (inertia) moves the view for a
    // second more, and whoever reads the view must see it is still moving.
    map.on('move zoomend resize', recordView);
    recordView();
    const markTouched = () => {
      lastTouchedAt.current = Date.now();
    };
    const touchEvents = ['pointerdown', 'wheel', 'keydown', 'touchstart'] as const;
    for (const name of touchEvents) element.addEventListener(name, markTouched, { passive: true });
    // A map that opens in a dialog, tab or collapsed panel is made before it has its size;
    // Leaflet would keep the size it measured (often none), putting the centre in the top
    // left corner and every click in the wrong place. Watching the element covers every
    // container, present and future.
    const resizeObserver = new ResizeObserver(() => {
      map.invalidateSize({ pan: true, animate: false });
      fitIfNeeded();
    });
    resizeObserver.observe(element);
    mapRef.current = map;
    return () => {
      resizeObserver.disconnect();
      for (const name of touchEvents) element.removeEventListener(name, markTouched);
      // Ends a pan the user started, for the same reason.
      map.stop();
      map.remove();
      mapRef.current = null;
      municipalPaths.current = new Map();
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
    fitIfNeeded();
  }, [shapes]);

  useEffect(() => {
    paintMunicipalities();
  }, [municipalStatus]);

  useEffect(() => {
    if (recheckAt === null) return;
    const timer = setTimeout(() => fitIfNeeded(), Math.max(0, recheckAt - Date.now()));
    return () => clearTimeout(timer);
  }, [recheckAt]);

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
      {tilesFailed && (
        <p className="map-view__notice" role="status" data-testid="tiles-failed">
          {t('map.tilesFailed')}
        </p>
      )}
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
