import { describe, expect, it } from 'vitest';
import { formatSweref, formatWgs84, sweref99tmToWgs84, wgs84ToSweref99tm } from './coordinates';

describe('SWEREF 99 TM', () => {
  it('puts the central meridian (15° E) at easting 500 000 and the equator at northing 0', () => {
    const onMeridian = wgs84ToSweref99tm(0, 15);
    expect(onMeridian.easting).toBeCloseTo(500_000, 3);
    expect(onMeridian.northing).toBeCloseTo(0, 3);
  });

  it('matches the UTM grid on the central meridian at 60° N (northing 6 651 411 m)', () => {
    expect(wgs84ToSweref99tm(60, 15).northing).toBeCloseTo(6_651_411, -1);
  });

  it('gives Stockholm the grid position Swedish maps show (about N 6 580 800, E 674 000)', () => {
    const { northing, easting } = wgs84ToSweref99tm(59.3293, 18.0686);
    expect(northing).toBeGreaterThan(6_580_000);
    expect(northing).toBeLessThan(6_582_000);
    expect(easting).toBeGreaterThan(673_000);
    expect(easting).toBeLessThan(675_000);
  });

  it('converts back to the same WGS84 position within a millimetre', () => {
    const { northing, easting } = wgs84ToSweref99tm(59.85, 17.64);
    const back = sweref99tmToWgs84(northing, easting);
    expect(back.lat).toBeCloseTo(59.85, 8);
    expect(back.lng).toBeCloseTo(17.64, 8);
  });

  it('formats both systems for a reader', () => {
    expect(formatWgs84(59.3293, 18.0686)).toBe('59.32930° N, 18.06860° E');
    expect(formatSweref(59.3293, 18.0686)).toMatch(/^N 658\d{4}, E 67\d{4}$/);
  });
});
