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
