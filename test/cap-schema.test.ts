import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  INCIDENT_KINDS,
  MessageContent,
  capAlertXml,
  capCancelXml,
  capSender,
  municipalAreas,
  parseMunicipalityCollection,
  type CapContext,
  type JointMessage,
  type MessageText,
  type MessageVersion,
} from '@lagesbild/shared';
import { buildCommunicatorAttribution } from '@lagesbild/shared/test-factories';
import { repoRoot } from './support/hub-process.js';

/**
 * Every alert the CAP writer gives for generated histories of joint messages — first
 * agreements, updates after drafts that were never agreed, withdrawals, exercises, any of
 * the three languages, text full of markup characters and stray control characters, areas
 * drawn and picked — is CAP 1.2 as OASIS's schema says, checked by libxml2's `xmllint`
 * (Debian's libxml2-utils, installed by the test prerequisites).
 */

const SCHEMA = path.join(repoRoot, 'test/fixtures/cap-1.2.xsd');
const MUNICIPALITIES = municipalAreas(
  parseMunicipalityCollection(
    readFileSync(path.join(repoRoot, 'shared/regions/stockholm-municipalities.geojson'), 'utf8'),
  ),
);
const CODES = [...MUNICIPALITIES.keys()];

/** `xmllint --schema` on one document from stdin: its verdict and what it said. */
function validate(xml: string): { ok: boolean; said: string } {
  const run = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, '-'], { input: xml, encoding: 'utf8' });
  if (run.error) throw run.error;
  return { ok: run.status === 0, said: `${run.stderr}` };
}

/** Characters that break careless XML, CAP's separators, Swedish letters, and any code point. */
const NASTY = [
  '&',
  '<',
  '>',
  '"',
  "'",
  ',',
  ' ',
  '\r\n',
  '\t',
  'å',
  'ä',
  'ö',
  'Å',
  '\u0001',
  '\uFFFF',
  ']]>',
  '&amp;',
];
const textUnit = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
);
const someText = (maxLength: number) =>
  fc
    .string({ unit: textUnit, minLength: 1, maxLength })
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

const messageText: fc.Arbitrary<MessageText> = fc.record({
  headline: someText(40),
  core: someText(80),
  whatToDo: fc.oneof(fc.constant(''), someText(80)),
});

/** A point around Stockholm, [lon, lat]. */
const position = fc.tuple(
  fc.double({ min: 17.5, max: 19, noNaN: true }),
  fc.double({ min: 59, max: 60, noNaN: true }),
);
const polygon = fc.array(position, { minLength: 3, maxLength: 8 }).map((ring) => ({
  type: 'Polygon' as const,
  coordinates: [[...ring, ring[0] ?? [18, 59.3]]],
}));

/** Validity, as the drafter's form sets it: an hour-aligned window in 2024–2026 (summer and winter time). */
const validity = fc
  .record({
    from: fc.integer({ min: 1_704_067_200, max: 1_782_864_000 }),
    hours: fc.integer({ min: 1, max: 72 }),
  })
  .map(({ from, hours }) => ({
    validFrom: new Date(from * 1000).toISOString(),
    validUntil: new Date((from + hours * 3600) * 1000).toISOString(),
  }));

const content = fc
  .record({
    sv: messageText,
    en: fc.option(messageText),
    svEasy: fc.option(messageText),
    channels: fc.array(fc.webUrl({ validSchemes: ['https'] }), { maxLength: 2 }),
    phone11313: fc.boolean(),
    polygon: fc.option(polygon),
    codes: fc.uniqueArray(fc.oneof(fc.constantFrom(...CODES), fc.constant('9999')), { maxLength: 5 }),
    description: fc.oneof(fc.constant(''), someText(30)),
    validity,
    exercise: fc.boolean(),
  })
  .map((c): MessageContent => ({
    texts: { sv: c.sv, en: c.en, svEasy: c.svEasy },
    moreInfo: {
      channels: c.channels.map((url) => ({ actorId: 'stockholm', url })),
      phone11313: c.phone11313,
      krisinformation: true,
    },
    area: { polygon: c.polygon, municipalityCodes: c.codes, description: c.description },
    ...c.validity,
    exercise: c.exercise,
    directiveId: null,
  }));

/** A message's history: versions, each agreed or not (agreed in order, seconds apart), perhaps withdrawn. */
const history = fc
  .record({
    id: fc.uuid({ version: 4 }),
    incidentId: fc.uuid({ version: 4 }),
    versions: fc.array(
      fc.record({ content, agreed: fc.boolean(), gapSeconds: fc.integer({ min: 1, max: 86_400 }) }),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
    start: fc.integer({ min: 1_704_067_200, max: 1_782_864_000 }),
    cancelReason: fc.option(someText(60)),
    kind: fc.constantFrom(...INCIDENT_KINDS),
    title: someText(40),
    regionName: someText(30),
  })
  .map((h) => {
    let at = h.start * 1000;
    const versions = h.versions.map((v, i): MessageVersion => {
      at += v.gapSeconds * 1000 + 123;
      const agreedAt = v.agreed ? new Date(at).toISOString() : null;
      return {
        version: i + 1,
        content: v.content,
        approverActorIds: ['stockholm', 'nacka'],
        incidentTitle: h.title,
        incidentKind: h.kind,
        draftedBy: buildCommunicatorAttribution(),
        at: new Date(at - 500).toISOString(),
        seq: i + 1,
        signOffs: {},
        agreedAt,
        agreedSeq: agreedAt ? i + 1 : null,
      };
    });
    const cancelled =
      h.cancelReason === null
        ? null
        : {
            reason: h.cancelReason,
            at: new Date(at + 60_000).toISOString(),
            by: buildCommunicatorAttribution(),
            seq: 99,
          };
    const message: JointMessage = {
      id: h.id,
      incidentId: h.incidentId,
      ownerActorId: 'stockholm',
      versions,
      publications: {},
      cancelled,
      version: 99,
    };
    const context: CapContext = {
      message,
      region: { id: 'stockholm', name: h.regionName },
      sender: capSender('stockholm'),
      municipalities: MUNICIPALITIES,
    };
    return context;
  });

describe('the CAP writer against the CAP 1.2 schema', () => {
  it('has xmllint, and xmllint refuses an alert out of the schema order', () => {
    const version = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
    expect(
      version.error,
      'xmllint is missing: install libxml2-utils (npm run pretest:system does)',
    ).toBeUndefined();
    const swapped = `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><sender>a</sender><identifier>b</identifier><sent>2024-05-01T10:00:00+02:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope></alert>`;
    expect(validate(swapped).ok).toBe(false);
  });

  it('gives valid CAP 1.2 for every agreed version and every withdrawal in generated histories', () => {
    let alerts = 0;
    let cancels = 0;
    fc.assert(
      fc.property(history, (context) => {
        // The generated content is what the contract accepts, or the property proves nothing.
        for (const v of context.message.versions) MessageContent.parse(v.content);
        for (const v of context.message.versions) {
          const xml = capAlertXml(context, v.version);
          expect(xml === null).toBe(v.agreedAt === null);
          if (xml === null) continue;
          const verdict = validate(xml);
          expect(verdict.ok, `${verdict.said}\n${xml}`).toBe(true);
          alerts++;
        }
        const cancel = capCancelXml(context);
        const agreedOnce = context.message.versions.some((v) => v.agreedAt !== null);
        expect(cancel !== null).toBe(context.message.cancelled !== null && agreedOnce);
        if (cancel !== null) {
          const verdict = validate(cancel);
          expect(verdict.ok, `${verdict.said}\n${cancel}`).toBe(true);
          cancels++;
        }
      }),
      { numRuns: 60 },
    );
    // The generator reached both kinds, so the property was not vacuous.
    expect(alerts).toBeGreaterThan(20);
    expect(cancels).toBeGreaterThan(3);
  });

  it('gives valid CAP for a message over all 26 municipalities of the county', () => {
    const context = fc.sample(history, { numRuns: 1, seed: 14 })[0];
    if (!context) throw new Error('no sample');
    const first = context.message.versions[0];
    if (!first) throw new Error('no version');
    const everywhere: MessageVersion = {
      ...first,
      content: { ...first.content, area: { polygon: null, municipalityCodes: CODES, description: '' } },
      agreedAt: '2024-05-01T08:00:00.000Z',
    };
    const xml = capAlertXml({ ...context, message: { ...context.message, versions: [everywhere] } }, 1) ?? '';
    expect(CODES).toHaveLength(26);
    expect(xml.match(/<geocode>/g)?.length).toBe(26 * (xml.match(/<info>/g)?.length ?? 0));
    expect(validate(xml).ok).toBe(true);
  });
});
