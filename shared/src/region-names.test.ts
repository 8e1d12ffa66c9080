import { describe, expect, it } from 'vitest';
import stockholmJson from '../regions/stockholm.json';
import { parseRegionConfig } from './region.js';

/**
 * Municipalities whose own name ends in -s, so a trailing s there is not a genitive. The
 * official name of a municipality is usually in the genitive ("Danderyds kommun"), and a
 * short name copied from it reads wrongly in account names ("TiB Danderyds") and on the wall.
 */
const NAMES_THAT_END_IN_S = new Set([
  'Borås',
  'Bollnäs',
  'Degerfors',
  'Grums',
  'Hagfors',
  'Kramfors',
  'Mönsterås',
]);

const OFFICIAL_NAME = /^(?<base>.+) (?:kommun|stad)$/;

describe('municipality short names in the Stockholm region', () => {
  const region = parseRegionConfig(stockholmJson);
  const municipalities = region.actors.filter((actor) => actor.kind === 'municipality');

  it.each(municipalities.map((actor) => [actor.shortName, actor.name]))(
    '%s is the plain place name taken from "%s"',
    (shortName, name) => {
      const base = OFFICIAL_NAME.exec(name)?.groups?.base;
      expect(base, `${name} should end in "kommun" or "stad"`).toBeDefined();
      expect([base, base?.replace(/s$/, '')]).toContain(shortName);
      if (shortName.endsWith('s')) {
        expect(NAMES_THAT_END_IN_S, `${shortName} looks like a genitive`).toContain(shortName);
      }
    },
  );
});
