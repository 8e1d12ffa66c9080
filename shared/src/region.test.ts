import { describe, expect, it } from 'vitest';
import stockholmJson from '../regions/stockholm.json';
import { withinRegion } from './geo.js';
import { parseRegionConfig } from './region.js';
import { cloneJson } from './testing/test-factories.js';

/** A fresh, mutable copy of the real config for each broken variant. */
const copy = () => cloneJson(stockholmJson);

describe('parseRegionConfig', () => {
  it('accepts the Stockholm region with all its actors', () => {
    const region = parseRegionConfig(copy());
    expect(region.leadActorId).toBe('lansstyrelsen');
    expect(region.actors.filter((a) => a.kind === 'municipality')).toHaveLength(26);
    expect(region.actors.map((a) => a.id)).toEqual(
      expect.arrayContaining(['polisen', 'sos-alarm', 'trafikverket']),
    );
  });

  it('rejects an actor listed twice, naming it', () => {
    const config = copy();
    config.actors.push({
      id: 'nacka',
      name: 'Nacka kommun (again)',
      shortName: 'Nacka',
      kind: 'municipality',
      home: { lat: 59.311, lng: 18.164 },
    });
    expect(() => parseRegionConfig(config)).toThrow(/Invalid region config: .*duplicate actor nacka/s);
  });

  it('rejects a right for a function the region does not have, naming command and function', () => {
    const config = copy();
    config.rights['incident.request'] = [{ functions: ['dutyOfficer', 'mayor'] }];
    expect(() => parseRegionConfig(config)).toThrow(/incident\.request: unknown function mayor/);
  });

  it('rejects a right limited to an actor the region does not have', () => {
    const config = copy();
    config.rights['readiness.set'] = [{ functions: ['dutyOfficer'], actors: ['atlantis'] }];
    expect(() => parseRegionConfig(config)).toThrow(/readiness\.set: unknown actor atlantis/);
  });

  it('rejects a lead actor that is not one of the actors', () => {
    const config = { ...copy(), leadActorId: 'gotland' };
    expect(() => parseRegionConfig(config)).toThrow(/leadActorId gotland is not an actor/);
  });

  it('rejects a right for a command that does not exist, so a typo cannot silently lock everyone out', () => {
    const config = copy();
    const rights: Record<string, unknown> = {
      ...config.rights,
      'incident.activte': config.rights['incident.activate'],
    };
    expect(() => parseRegionConfig({ ...config, rights })).toThrow(/unknown command incident\.activte/);
  });

  it('derives the bounds of a region file written before bounds existed from its homes and map centre', () => {
    const { bounds: _bounds, ...withoutBounds } = copy();
    const region = parseRegionConfig(withoutBounds);
    const lats = [...region.actors.map((a) => a.home.lat), region.map.center.lat];
    const lngs = [...region.actors.map((a) => a.home.lng), region.map.center.lng];
    expect(region.bounds).toEqual({
      south: Math.min(...lats),
      west: Math.min(...lngs),
      north: Math.max(...lats),
      east: Math.max(...lngs),
    });
    // The margin applies as to named bounds: a neighbouring town counts, New York does not.
    const northmost = Math.max(...lats);
    expect(withinRegion(region.bounds, [region.map.center.lng, northmost + 0.4])).toBe(true);
    expect(withinRegion(region.bounds, [-74, 40.7])).toBe(false);
  });

  it('rejects bounds that are upside down, and an actor whose home lies outside them', () => {
    const upsideDown = { ...copy(), bounds: { south: 60, west: 17, north: 59, east: 19 } };
    expect(() => parseRegionConfig(upsideDown)).toThrow(/south < north/);
    const config = copy();
    config.actors.push({
      id: 'new-york',
      name: 'New York',
      shortName: 'NY',
      kind: 'other',
      home: { lat: 40.7, lng: -74 },
    });
    expect(() => parseRegionConfig(config)).toThrow(/actor new-york: home lies outside the bounds/);
    const centreAway = copy();
    centreAway.map.center = { lat: 0, lng: 0 };
    expect(() => parseRegionConfig(centreAway)).toThrow(/map\.center lies outside the bounds/);
  });

  it('rejects unknown fields and reports every problem in one message', () => {
    const config = { ...copy(), leadActorId: 'gotland', colour: 'blue' };
    expect(() => parseRegionConfig(config)).toThrow(/colour[\s\S]*gotland|gotland[\s\S]*colour/);
  });
});
