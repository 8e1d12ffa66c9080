import { z } from 'zod';
import { LIMITS } from './limits.js';

/** A GeoJSON position, [longitude, latitude] in WGS84 degrees. */
export const Position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
export type Position = z.infer<typeof Position>;

/** A place given as latitude/longitude (what devices and forms produce). */
export const LatLng = z.strictObject({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
});
export type LatLng = z.infer<typeof LatLng>;

const ring = z
  .array(Position)
  .min(4)
  .refine(
    (positions) => {
      const first = positions[0];
      const last = positions[positions.length - 1];
      return first !== undefined && last !== undefined && first[0] === last[0] && first[1] === last[1];
    },
    { message: 'a polygon ring must end where it starts' },
  );

const countPositions = (rings: readonly (readonly unknown[])[]): number =>
  rings.reduce((sum, r) => sum + r.length, 0);

/** A GeoJSON Point. */
export const PointGeometry = z.strictObject({ type: z.literal('Point'), coordinates: Position });
/** A GeoJSON LineString. */
export const LineGeometry = z.strictObject({
  type: z.literal('LineString'),
  coordinates: z.array(Position).min(2).max(LIMITS.maxPositionsPerGeometry),
});
/** A GeoJSON Polygon (outer ring first, then holes). */
export const PolygonGeometry = z.strictObject({
  type: z.literal('Polygon'),
  coordinates: z
    .array(ring)
    .min(1)
    .max(50)
    .refine((rings) => countPositions(rings) <= LIMITS.maxPositionsPerGeometry, {
      message: `at most ${LIMITS.maxPositionsPerGeometry} positions per geometry`,
    }),
});
/** Any geometry a map feature can have. */
export const Geometry = z.discriminatedUnion('type', [PointGeometry, LineGeometry, PolygonGeometry]);
export type Geometry = z.infer<typeof Geometry>;

/** An incident's area: a polygon. */
export const AreaGeometry = PolygonGeometry;
export type AreaGeometry = z.infer<typeof AreaGeometry>;

/** What a map feature marks; the map colours and filters by it. */
export const FEATURE_KINDS = ['affectedArea', 'closedRoad', 'evacuationCentre', 'resource', 'other'] as const;
export const FeatureKind = z.enum(FEATURE_KINDS);
export type FeatureKind = z.infer<typeof FeatureKind>;

/** One place on the map attached to a situation report. */
export const MapFeature = z.strictObject({
  id: z.uuid(),
  kind: FeatureKind,
  label: z.string().max(LIMITS.maxShortTextLength).default(''),
  geometry: Geometry,
});
export type MapFeature = z.infer<typeof MapFeature>;

/** The rectangle a region's map work lies in, in WGS84 degrees (from the region file). */
export const RegionBounds = z
  .strictObject({
    south: z.number().min(-90).max(90),
    west: z.number().min(-180).max(180),
    north: z.number().min(-90).max(90),
    east: z.number().min(-180).max(180),
  })
  .refine((b) => b.south < b.north && b.west < b.east, {
    message: 'bounds must have south < north and west < east',
  });
export type RegionBounds = z.infer<typeof RegionBounds>;

/**
 * How far outside its bounds a place may still be (degrees, about 55 km north–south): help
 * from a neighbouring county is still the region's business; a point at 0,0 or in New York
 * is a mistake.
 */
export const REGION_BOUNDS_MARGIN_DEGREES = 0.5;

/** Whether [lng, lat] lies within the region's bounds, margin included. */
export function withinRegion(bounds: RegionBounds, [lng, lat]: Position): boolean {
  const m = REGION_BOUNDS_MARGIN_DEGREES;
  return (
    lat >= bounds.south - m && lat <= bounds.north + m && lng >= bounds.west - m && lng <= bounds.east + m
  );
}

type Point2 = readonly [number, number];

const samePoint = (a: Point2, b: Point2) => a[0] === b[0] && a[1] === b[1];

/** Twice the signed area of the triangle a, b, c: its sign says which side of ab c lies on. */
const cross = (a: Point2, b: Point2, c: Point2) =>
  (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);

const onSegment = (a: Point2, b: Point2, p: Point2) =>
  Math.min(a[0], b[0]) <= p[0] &&
  p[0] <= Math.max(a[0], b[0]) &&
  Math.min(a[1], b[1]) <= p[1] &&
  p[1] <= Math.max(a[1], b[1]);

/** Whether the closed segments ab and cd share at least one point. */
function segmentsTouch(a: Point2, b: Point2, c: Point2, d: Point2): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  return (
    (d1 === 0 && onSegment(c, d, a)) ||
    (d2 === 0 && onSegment(c, d, b)) ||
    (d3 === 0 && onSegment(a, b, c)) ||
    (d4 === 0 && onSegment(a, b, d))
  );
}

type Edge = readonly [Point2, Point2];

/** The edges of a closed ring, each from one position to the next. */
function edgesOf(ring: readonly Point2[]): Edge[] {
  const edges: Edge[] = [];
  let previous: Point2 | undefined;
  for (const p of ring) {
    if (previous) edges.push([previous, p]);
    previous = p;
  }
  return edges;
}

/**
 * Whether edges i < j of one ring meet anywhere but at a vertex they share. Neighbouring
 * edges share one, so for them only folding back along the same line counts.
 */
function edgesClash(edges: readonly Edge[], i: number, j: number): boolean {
  const [first, second] = [edges[i], edges[j]];
  if (!first || !second) return false;
  const [a, b] = first;
  const [c, d] = second;
  const neighbours = j === i + 1 || (i === 0 && j === edges.length - 1);
  if (!neighbours) return segmentsTouch(a, b, c, d);
  // The shared vertex is b (= c) for consecutive edges, a (= d) for the last and the first.
  const [shared, p, q] = j === i + 1 ? [b, a, d] : [a, b, c];
  const sameDirection = (p[0] - shared[0]) * (q[0] - shared[0]) + (p[1] - shared[1]) * (q[1] - shared[1]) > 0;
  return cross(shared, p, q) === 0 && sameDirection;
}

/** Twice the ring's signed area (shoelace). */
const ringArea = (edges: readonly Edge[]) =>
  edges.reduce((sum, [a, b]) => sum + a[0] * b[1] - b[0] * a[1], 0);

/** Even–odd test: whether p lies inside the ring's edges. */
const insideRing = (edges: readonly Edge[], p: Point2): boolean =>
  edges.filter(
    ([a, b]) => a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0],
  ).length %
    2 ===
  1;

/**
 * Why a polygon is not a valid simple area, or null when it is: every ring must enclose an
 * area without its edges crossing or touching, and holes must lie inside the outline
 * without touching it or each other. (The schema already checks that rings close.)
 */
export function polygonProblem(rings: readonly (readonly Position[])[]): string | null {
  const ringEdges = rings.map(edgesOf);
  for (const [r, edges] of ringEdges.entries()) {
    const which = r === 0 ? 'its outline' : `hole ${r}`;
    for (let i = 0; i < edges.length; i++) {
      for (let j = i + 1; j < edges.length; j++) {
        if (edgesClash(edges, i, j)) return `${which} crosses or touches itself`;
      }
    }
    if (ringArea(edges) === 0) return `${which} encloses no area`;
  }
  const [outline, ...holes] = ringEdges;
  if (!outline) return 'it has no outline';
  for (const [h, hole] of holes.entries()) {
    for (const [o, other] of [outline, ...holes.slice(0, h)].entries()) {
      const touches = hole.some(([a, b]) => other.some(([c, d]) => segmentsTouch(a, b, c, d)));
      if (touches) return `hole ${h + 1} crosses or touches ${o === 0 ? 'the outline' : `hole ${o}`}`;
    }
    const corner = hole[0]?.[0];
    if (corner && !insideRing(outline, corner)) return `hole ${h + 1} lies outside the outline`;
  }
  return null;
}

/**
 * Why a geometry cannot be placed in the region, or null: a place outside the region's
 * bounds (margin included), a line without length, an invalid polygon.
 */
export function geometryProblem(geometry: Geometry, bounds: RegionBounds): string | null {
  const positions =
    geometry.type === 'Point'
      ? [geometry.coordinates]
      : geometry.type === 'LineString'
        ? geometry.coordinates
        : geometry.coordinates.flat();
  if (!positions.every((p) => withinRegion(bounds, p))) return 'lies outside the region';
  if (geometry.type === 'LineString') {
    const [first, ...rest] = geometry.coordinates;
    if (first && rest.every((p) => samePoint(p, first))) return 'has no length';
  }
  if (geometry.type === 'Polygon') {
    const problem = polygonProblem(geometry.coordinates);
    if (problem) return `is not a valid area: ${problem}`;
  }
  return null;
}
