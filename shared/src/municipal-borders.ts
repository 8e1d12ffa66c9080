import { z } from 'zod';
import { Position } from './geo.js';

// The municipal borders vendored under shared/regions/ (provenance in its README). The client
// draws them on the map and the hub writes them into CAP areas: both parse the file with this
// one schema, so a file one accepts the other accepts too.

const Ring = z.array(Position).min(4);

const MunicipalityFeature = z.strictObject({
  type: z.literal('Feature'),
  geometry: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('Polygon'), coordinates: z.array(Ring).min(1) }),
    z.strictObject({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring).min(1)).min(1) }),
  ]),
  properties: z.strictObject({
    code: z.string().regex(/^\d{4}$/, 'an SCB municipality code has four digits'),
    name: z.string().min(1),
    label_point: Position,
  }),
});
export type MunicipalityFeature = z.infer<typeof MunicipalityFeature>;

/** A GeoJSON FeatureCollection of municipalities, as vendored under shared/regions/. */
export const MunicipalityCollection = z.strictObject({
  type: z.literal('FeatureCollection'),
  features: z.array(MunicipalityFeature).min(1),
});
export type MunicipalityCollection = z.infer<typeof MunicipalityCollection>;

/** A municipality's name and the outer rings of its polygons, [lon, lat] as in GeoJSON. */
export type MunicipalArea = { name: string; polygons: Position[][] };

/** The municipalities keyed by SCB code: what the CAP writer needs for an `area`. */
export type MunicipalAreas = ReadonlyMap<string, MunicipalArea>;

/** The polygons of a feature, a Polygon being a MultiPolygon of one. */
export const featurePolygons = (feature: MunicipalityFeature): Position[][][] =>
  feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;

/**
 * The municipalities of a parsed collection by code, with outer rings only: holes (a lake,
 * another municipality inside) do not change which municipality an alert is for.
 */
export function municipalAreas(collection: MunicipalityCollection): MunicipalAreas {
  const areas = new Map<string, MunicipalArea>();
  for (const feature of collection.features) {
    const outerRings = featurePolygons(feature).flatMap((rings) => rings.slice(0, 1));
    areas.set(feature.properties.code, { name: feature.properties.name, polygons: outerRings });
  }
  return areas;
}

/** Parses the text of a municipalities file; throws naming the first problems when it is malformed. */
export function parseMunicipalityCollection(text: string): MunicipalityCollection {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = MunicipalityCollection.safeParse(raw);
  if (!parsed.success) {
    // One line: start-up prints it as the reason the hub cannot start.
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`not a GeoJSON FeatureCollection of municipalities: ${issues.join('; ')}`);
  }
  const codes = new Set<string>();
  for (const feature of parsed.data.features) {
    const code = feature.properties.code;
    if (codes.has(code)) throw new Error(`municipality code ${code} appears twice`);
    codes.add(code);
  }
  return parsed.data;
}
