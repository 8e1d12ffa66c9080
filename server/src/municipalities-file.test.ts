import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './base/config.js';
import { StartupError } from './hub/open-log.js';
import { loadMunicipalitiesFile } from './municipalities-file.js';
import { startupFailure } from './startup-failure.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lagesbild-municipalities-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fileWith = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

const feature = (code: string) => ({
  type: 'Feature',
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [18, 59],
        [18.1, 59],
        [18.1, 59.1],
        [18, 59],
      ],
    ],
  },
  properties: { code, name: `Kommun ${code}`, label_point: [18.05, 59.05] },
});

describe('MUNICIPALITIES_FILE', () => {
  it('reads the vendored borders of Stockholm County by default: 26 municipalities with their outer rings', async () => {
    const config = loadConfig({});
    const areas = await loadMunicipalitiesFile(config.municipalitiesFile);
    expect(areas.size).toBe(26);
    expect(areas.get('0182')?.name).toBe('Nacka');
    // Each an outer ring of [lon, lat], as GeoJSON has them: Stockholm lies near 18° E, 59° N.
    const varmdo = areas.get('0120');
    expect(varmdo?.polygons.length).toBeGreaterThanOrEqual(1);
    const [lon, lat] = varmdo?.polygons[0]?.[0] ?? [];
    expect(lon).toBeGreaterThan(17);
    expect(lon).toBeLessThan(20);
    expect(lat).toBeGreaterThan(58);
  });

  it.each([
    ['missing', null, /Cannot read MUNICIPALITIES_FILE .*missing\.geojson/],
    ['not-json', '{"type": ', /MUNICIPALITIES_FILE .*not-json\.geojson is not valid JSON/],
    [
      'bad-code',
      JSON.stringify({ type: 'FeatureCollection', features: [feature('182')] }),
      /bad-code\.geojson is not a GeoJSON FeatureCollection of municipalities: features\.0\.properties\.code: an SCB municipality code has four digits/,
    ],
    [
      'twice',
      JSON.stringify({ type: 'FeatureCollection', features: [feature('0182'), feature('0182')] }),
      /twice\.geojson is municipality code 0182 appears twice/,
    ],
  ])('stops start-up with one clear line for a %s file', async (name, text, line) => {
    const file = text === null ? path.join(dir, `${name}.geojson`) : fileWith(`${name}.geojson`, text);
    const failure = await loadMunicipalitiesFile(file).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StartupError);
    const printed = await startupFailure(failure, { redis: null, dataDir: dir }, async () => false);
    expect(printed).toMatch(line);
    // The reason, not a stack trace.
    expect(printed.trim().split('\n')).toHaveLength(2);
  });
});
