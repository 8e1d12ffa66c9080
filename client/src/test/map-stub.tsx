import type { MapViewProps } from '../map/map-types';

/**
 * Leaflet needs a real layout engine; component tests use this stand-in, which lists the
 * shapes and lets a test "click" the map at a position.
 */
export function MapStub({ label, shapes, onPick, testId }: MapViewProps) {
  return (
    <div data-testid={testId} aria-label={label} data-shape-count={shapes.length}>
      {onPick && (
        <button
          type="button"
          onClick={() => onPick({ lat: 59.3 + Math.random() / 100, lng: 18.0 + Math.random() / 100 })}
        >
          stub-map-click
        </button>
      )}
    </div>
  );
}
