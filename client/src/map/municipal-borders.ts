import { MunicipalityCollection, featurePolygons, type LatLng } from '@lagesbild/shared';
import stockholmText from '@lagesbild/shared/regions/stockholm-municipalities.geojson?raw';

// The municipal borders are bundled with the map (not fetched from a tile server), so a map
// without internet still shows where things are. Provenance: shared/regions/README.md. The
// schema is shared with the hub, which writes the same borders into CAP areas.

/** One municipality: its name, SCB code, outline (polygons of [lat, lng] rings) and label point. */
export type MunicipalBorder = {
  code: string;
  name: string;
  polygons: [number, number][][][];
  label: LatLng;
};

/** The municipalities of a region and the box around them. */
export type RegionBorders = {
  municipalities: MunicipalBorder[];
  bounds: { south: number; west: number; north: number; east: number };
};

const toLatLng = ([lng, lat]: [number, number]): [number, number] => [lat, lng];

/** Parses a vendored GeoJSON file of municipalities; throws on a malformed file. */
export function parseMunicipalBorders(text: string): RegionBorders {
  const collection = MunicipalityCollection.parse(JSON.parse(text));
  const municipalities = collection.features.map((feature) => {
    const { properties } = feature;
    return {
      code: properties.code,
      name: properties.name,
      polygons: featurePolygons(feature).map((rings) => rings.map((ring) => ring.map(toLatLng))),
      label: { lat: properties.label_point[1], lng: properties.label_point[0] },
    };
  });
  const points = municipalities.flatMap((m) => m.polygons.flat(2));
  const lats = points.map(([lat]) => lat);
  const lngs = points.map(([, lng]) => lng);
  return {
    municipalities,
    bounds: {
      south: Math.min(...lats),
      west: Math.min(...lngs),
      north: Math.max(...lats),
      east: Math.max(...lngs),
    },
  };
}

let stockholm: RegionBorders | undefined;

/**
 * The municipal borders of the region a map is centred on, or null when none are bundled
 * for that place. Chosen by the map's centre rather than the region's id so that every map
 * (operator, phone, wall) gets them without being told, and a region configured elsewhere
 * in Sweden gets no stray Stockholm outlines.
 */
export function bordersAround(center: LatLng): RegionBorders | null {
  stockholm ??= parseMunicipalBorders(stockholmText);
  const { south, west, north, east } = stockholm.bounds;
  const inside = center.lat >= south && center.lat <= north && center.lng >= west && center.lng <= east;
  return inside ? stockholm : null;
}
