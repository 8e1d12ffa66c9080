import { describe, expect, it } from 'vitest';
import stockholmJson from '../regions/stockholm.json';
import { withinRegion } from './geo.js';
import { LIMITS } from './limits.js';
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

  it('gives every municipality its own SCB code, and no other actor one', () => {
    const region = parseRegionConfig(copy());
    const municipalities = region.actors.filter((a) => a.kind === 'municipality');
    const codes = municipalities.map((a) => a.municipalityCode);
    expect(codes.every((code) => code !== undefined && /^\d{4}$/.test(code))).toBe(true);
    expect(new Set(codes).size).toBe(municipalities.length);
    expect(region.actors.find((a) => a.id === 'nacka')?.municipalityCode).toBe('0182');
    expect(region.actors.filter((a) => a.kind !== 'municipality' && a.municipalityCode)).toEqual([]);
  });

  it('rejects a municipality code on an actor that is not a municipality, naming it', () => {
    const config = copy();
    const police = config.actors.find((a) => a.id === 'polisen');
    if (!police) throw new Error('the region has no police');
    Object.assign(police, { municipalityCode: '0199' });
    expect(() => parseRegionConfig(config)).toThrow(
      /actor polisen: only a municipality has a municipalityCode/,
    );
  });

  it('rejects one municipality code on two municipalities, naming both', () => {
    const config = copy();
    const solna = config.actors.find((a) => a.id === 'solna');
    if (!solna) throw new Error('the region has no Solna');
    Object.assign(solna, { municipalityCode: '0182' });
    expect(() => parseRegionConfig(config)).toThrow(
      /actor (solna|nacka): municipalityCode 0182 is already (nacka|solna)'s/,
    );
  });

  it('rejects a municipality code that is not four digits', () => {
    const config = copy();
    const solna = config.actors.find((a) => a.id === 'solna');
    if (!solna) throw new Error('the region has no Solna');
    Object.assign(solna, { municipalityCode: '184' });
    expect(() => parseRegionConfig(config)).toThrow(/municipalityCode/);
  });

  it('rejects unknown fields and reports every problem in one message', () => {
    const config = { ...copy(), leadActorId: 'gotland', colour: 'blue' };
    expect(() => parseRegionConfig(config)).toThrow(/colour[\s\S]*gotland|gotland[\s\S]*colour/);
  });
});

describe('function levels', () => {
  it('places every working function at one of the three levels, and the directing function at the top', () => {
    const region = parseRegionConfig(copy());
    const levelOf = (id: string) => region.functions.find((f) => f.id === id)?.level;
    expect(levelOf('directing')).toBe('directing');
    expect(['dutyOfficer', 'coordinator', 'communicator'].map(levelOf)).toEqual([
      'coordinating',
      'coordinating',
      'coordinating',
    ]);
    expect(levelOf('field')).toBe('executing');
    // Reading and administering the system is no level of the agreement.
    expect(levelOf('viewer')).toBeUndefined();
    expect(levelOf('admin')).toBeUndefined();
  });

  it('rejects a level the agreement does not have, naming the function', () => {
    const config = copy();
    const functions: unknown[] = config.functions.map((f) =>
      f.id === 'field' ? { ...f, level: 'strategic' } : f,
    );
    expect(() => parseRegionConfig({ ...config, functions })).toThrow(/functions\[\d+\]\.level/);
  });
});

describe('prepared directives in the region file', () => {
  const region = parseRegionConfig(copy());
  const kindCount = (kind: string) => region.actors.filter((a) => a.kind === kind).length;

  it('offers prepared directives for the events the region prepares for', () => {
    expect(region.directiveTemplates.map((t) => t.name.sv)).toEqual(
      expect.arrayContaining([
        'Storm',
        'Skyfall och översvämning',
        'Värmebölja',
        'Omfattande elavbrott',
        'Störning i dricksvattenförsörjningen',
        'IT- eller cyberincident',
        'Pandemi',
        'Massevakuering',
        'Höjd beredskap',
      ]),
    );
  });

  it.each(region.directiveTemplates.map((t) => [t.id, t] as const))(
    '%s: puts life and health first and gives every item to an actor kind the region has',
    (_id, template) => {
      expect(template.priorities.length).toBeGreaterThanOrEqual(4);
      expect(template.priorities.length).toBeLessThanOrEqual(7);
      expect(template.priorities[0]).toMatch(/^Liv och hälsa först: /);
      expect(template.incidentKinds.length).toBeGreaterThan(0);
      expect(template.limits).not.toBe('');
      expect(template.reviewIntervalHours).toBeLessThan(template.validityHours);
      for (const item of template.items) expect(kindCount(item.actorKind)).toBeGreaterThan(0);
      // Filled in, every actor of a kind gets the item: the directive must still fit.
      const filled = template.items.reduce((sum, item) => sum + kindCount(item.actorKind), 0);
      expect(filled).toBeLessThanOrEqual(LIMITS.maxDirectiveItems);
    },
  );

  it('reads a region file without prepared directives as having none', () => {
    const { directiveTemplates: _templates, ...without } = copy();
    expect(parseRegionConfig(without).directiveTemplates).toEqual([]);
  });

  it('rejects a template item for an actor kind that does not exist, naming where it is', () => {
    const config = copy();
    const [storm] = config.directiveTemplates;
    if (!storm) throw new Error('the Stockholm region has prepared directives');
    storm.items[2] = { actorKind: 'mayor', text: 'Håll presskonferens.' };
    expect(() => parseRegionConfig(config)).toThrow(/directiveTemplates\[0\]\.items\[2\]\.actorKind/);
  });

  it('rejects an unknown incident kind, and the same kind twice, naming the template', () => {
    const unknown = copy();
    unknown.directiveTemplates[1]?.incidentKinds.push('meteorite');
    expect(() => parseRegionConfig(unknown)).toThrow(/directiveTemplates\[1\]\.incidentKinds\[\d\]/);
    const twice = copy();
    twice.directiveTemplates[0]?.incidentKinds.push('weather');
    expect(() => parseRegionConfig(twice)).toThrow(
      /directive template storm: incident kind weather listed twice/,
    );
  });

  it('rejects two templates with the same id, since one would hide the other', () => {
    const config = copy();
    const [storm] = config.directiveTemplates;
    if (!storm) throw new Error('the Stockholm region has prepared directives');
    config.directiveTemplates.push({ ...storm, name: { sv: 'Storm igen', en: 'Storm again' } });
    expect(() => parseRegionConfig(config)).toThrow(/duplicate directive template storm/);
  });

  it('rejects a template with more items than a directive may hold', () => {
    const config = copy();
    const [storm] = config.directiveTemplates;
    if (!storm) throw new Error('the Stockholm region has prepared directives');
    storm.items = Array.from({ length: 10_000 }, (_, i) => ({ actorKind: 'police', text: `Uppgift ${i}` }));
    expect(() => parseRegionConfig(config)).toThrow(/directiveTemplates\[0\]\.items/);
  });

  it("rejects a template that fills in more items for the region's actors than a directive holds", () => {
    const config = copy();
    const [storm] = config.directiveTemplates;
    if (!storm) throw new Error('the Stockholm region has prepared directives');
    // Four items for each of the 26 municipalities: 104, though the template lists only four.
    storm.items = Array.from({ length: 4 }, (_, i) => ({ actorKind: 'municipality', text: `Uppgift ${i}` }));
    expect(() => parseRegionConfig(config)).toThrow(
      /directive template storm: fills in 104 items for the region's actors; a directive holds 100/,
    );
  });

  it('rejects a template without a purpose', () => {
    const config = copy();
    const [storm] = config.directiveTemplates;
    if (!storm) throw new Error('the Stockholm region has prepared directives');
    storm.purpose = '  ';
    expect(() => parseRegionConfig(config)).toThrow(/directiveTemplates\[0\]\.purpose/);
  });
});
