import { describe, expect, it } from 'vitest';
// The same file the map bundles, through the workspace package.
import vendored from '@lagesbild/shared/regions/stockholm-municipalities.geojson?raw';
import { bordersAround, parseMunicipalBorders } from './municipal-borders';

describe('the municipal borders drawn on the map', () => {
  it('holds all 26 municipalities of Stockholm County, each with a name and a label inside the county', () => {
    const borders = parseMunicipalBorders(vendored);
    expect(borders.municipalities).toHaveLength(26);
    const nacka = borders.municipalities.find((m) => m.name === 'Nacka');
    expect(nacka?.code).toBe('0182');
    const { south, west, north, east } = borders.bounds;
    for (const { label } of borders.municipalities) {
      expect(label.lat).toBeGreaterThan(south);
      expect(label.lat).toBeLessThan(north);
      expect(label.lng).toBeGreaterThan(west);
      expect(label.lng).toBeLessThan(east);
    }
  });

  it('gives the Stockholm borders to a map centred on Stockholm and none to a map centred on Gothenburg', () => {
    expect(bordersAround({ lat: 59.33, lng: 18.07 })?.municipalities).toHaveLength(26);
    expect(bordersAround({ lat: 57.71, lng: 11.97 })).toBeNull();
  });

  it('rejects a file whose municipality has no name, instead of drawing a nameless area', () => {
    const broken = JSON.parse(vendored) as { features: { properties: Record<string, unknown> }[] };
    const first = broken.features[0];
    if (first) delete first.properties.name;
    expect(() => parseMunicipalBorders(JSON.stringify(broken))).toThrow(/name/);
  });

  it('rejects a file that is not a collection of features', () => {
    expect(() => parseMunicipalBorders('{"type":"Feature"}')).toThrow();
    expect(() => parseMunicipalBorders('not json')).toThrow();
  });
});
