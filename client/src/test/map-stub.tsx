import type { MapViewProps } from '../map/map-types';

/**
 * Leaflet needs a real layout engine; component tests use this stand-in, which lists the
 * shapes and lets a test "click" the map at a position, or click a municipality coloured
 * by status (each listed with the status the map would fill it with).
 */
export function MapStub({ label, shapes, onPick, municipalStatus, testId }: MapViewProps) {
  const municipalities = municipalStatus?.actors.filter((a) => a.kind === 'municipality') ?? [];
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
      {municipalities.length > 0 && (
        <ul data-testid="stub-municipalities">
          {municipalities.map((actor) => (
            <li
              key={actor.id}
              data-actor-id={actor.id}
              data-status={municipalStatus?.statusOf.get(actor.id) ?? 'none'}
              data-selected={actor.id === municipalStatus?.selectedActorId}
            >
              {municipalStatus?.onSelect && (
                <button type="button" onClick={() => municipalStatus.onSelect?.(actor.id)}>
                  stub-municipality-{actor.id}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
