import type { Geometry, Position } from '@lagesbild/shared';

/** How many clicks each kind of geometry needs. */
export const MIN_POINTS: Record<Geometry['type'], number> = { Point: 1, LineString: 2, Polygon: 3 };

/** Positions clicked on the map as a GeoJSON geometry, or null while too few. */
export function geometryFromPositions(
  type: Geometry['type'],
  positions: readonly Position[],
): Geometry | null {
  if (positions.length < MIN_POINTS[type]) return null;
  const first = positions[0];
  if (!first) return null;
  switch (type) {
    case 'Point':
      return { type: 'Point', coordinates: positions[positions.length - 1] ?? first };
    case 'LineString':
      return { type: 'LineString', coordinates: [...positions] };
    case 'Polygon':
      // GeoJSON rings end where they start.
      return { type: 'Polygon', coordinates: [[...positions, first]] };
  }
}

/** A clicked position in GeoJSON order, rounded to about 1 cm. */
export const toPosition = (lat: number, lng: number): Position => [
  Math.round(lng * 1e7) / 1e7,
  Math.round(lat * 1e7) / 1e7,
];
