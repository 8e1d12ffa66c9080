import proj4 from 'proj4';

/** SWEREF 99 TM (EPSG:3006), the Swedish national grid: UTM zone 33 on GRS80. */
export const SWEREF99TM =
  '+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs';

const toSweref = proj4('EPSG:4326', SWEREF99TM);

/** WGS84 latitude/longitude to SWEREF 99 TM northing/easting in metres. */
export function wgs84ToSweref99tm(lat: number, lng: number): { northing: number; easting: number } {
  const [easting, northing] = toSweref.forward([lng, lat]);
  return { northing: northing ?? Number.NaN, easting: easting ?? Number.NaN };
}

/** SWEREF 99 TM back to WGS84. */
export function sweref99tmToWgs84(northing: number, easting: number): { lat: number; lng: number } {
  const [lng, lat] = toSweref.inverse([easting, northing]);
  return { lat: lat ?? Number.NaN, lng: lng ?? Number.NaN };
}

/** "59.32930° N, 18.06860° E": five decimals is about a metre. */
export function formatWgs84(lat: number, lng: number): string {
  const ns = lat >= 0 ? 'N' : 'S';
  const ew = lng >= 0 ? 'E' : 'W';
  return `${Math.abs(lat).toFixed(5)}° ${ns}, ${Math.abs(lng).toFixed(5)}° ${ew}`;
}

/** "N 6580822  E 674032": whole metres, northing first as Swedish maps write it. */
export function formatSweref(lat: number, lng: number): string {
  const { northing, easting } = wgs84ToSweref99tm(lat, lng);
  return `N ${Math.round(northing)}, E ${Math.round(easting)}`;
}
