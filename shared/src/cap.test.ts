import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  CAP_DEFAULT_WEB,
  CAP_MUNICIPALITY_GEOCODE,
  capAlertXml,
  capCancelXml,
  capDateTime,
  capPolygon,
  escapeXml,
  type CapContext,
} from './cap.js';
import type { JointMessage, MessageContent, MessageVersion } from './message-model.js';
import { capCancelIdentifier, capIdentifier } from './message-selectors.js';
import type { MunicipalAreas } from './municipal-borders.js';
import {
  buildCommunicatorAttribution,
  buildMessageContent,
  buildMessageText,
  testUuid,
} from './testing/test-factories.js';

const MESSAGE_ID = testUuid(901);
const INCIDENT_ID = testUuid(902);
const SENDER = 'lagesbild:stockholm';
/** When version 1 is agreed in most tests: 10:00 in Stockholm's summer time. */
const TIME_A = '2024-05-01T08:00:00.000Z';

/** Nacka's ring deliberately left open, and Stockholm's closed: the writer closes what is open. */
const MUNICIPALITIES: MunicipalAreas = new Map([
  [
    '0180',
    {
      name: 'Stockholm',
      polygons: [
        [
          [18.0, 59.3],
          [18.1, 59.3],
          [18.1, 59.4],
          [18.0, 59.3],
        ],
      ],
    },
  ],
  [
    '0182',
    {
      name: 'Nacka',
      polygons: [
        [
          [18.2, 59.3],
          [18.3, 59.3],
          [18.3, 59.35],
          [18.2, 59.35],
        ],
      ],
    },
  ],
]);

/**
 * A version as the hub folds it: agreed at `agreedAt` when given, a draft otherwise, saved
 * while the incident was "Storm Ylva" (weather) unless told otherwise.
 */
function version(
  n: number,
  agreedAt: string | null,
  content: MessageContent = buildMessageContent(),
  incident: Pick<MessageVersion, 'incidentTitle' | 'incidentKind'> = {
    incidentTitle: 'Storm Ylva',
    incidentKind: 'weather',
  },
): MessageVersion {
  return {
    version: n,
    content,
    approverActorIds: ['stockholm', 'nacka'],
    ...incident,
    draftedBy: buildCommunicatorAttribution(),
    at: '2024-05-01T07:00:00.000Z',
    seq: n * 10,
    signOffs: {},
    agreedAt,
    agreedSeq: agreedAt ? n * 10 + 5 : null,
  };
}

function message(versions: MessageVersion[], cancelled: JointMessage['cancelled'] = null): JointMessage {
  return {
    id: MESSAGE_ID,
    incidentId: INCIDENT_ID,
    ownerActorId: 'stockholm',
    versions,
    publications: {},
    cancelled,
    version: 100,
  };
}

const context = (m: JointMessage, overrides: Partial<CapContext> = {}): CapContext => ({
  message: m,
  region: { id: 'stockholm', name: 'Samverkan Stockholmsregionen' },
  sender: SENDER,
  municipalities: MUNICIPALITIES,
  ...overrides,
});

const cancellation = (reason = 'Stormen drog förbi') => ({
  reason,
  at: '2024-05-01T12:00:00.000Z',
  by: buildCommunicatorAttribution(),
  seq: 99,
});

/** Elements that may repeat always come back as arrays, so tests need not guess. */
const REPEATED = new Set(['info', 'polygon', 'geocode', 'category']);
const parser = new XMLParser({
  ignoreAttributes: false,
  trimValues: false,
  parseTagValue: false,
  // Numeric character references (`&#13;`) as the XML spec reads them.
  htmlEntities: true,
  isArray: (name) => REPEATED.has(name),
});

type Geocode = { valueName: string; value: string };
type Area = { areaDesc: string; polygon?: string[]; geocode?: Geocode[] };
type Info = Record<string, string | string[]> & { area: Area; category: string[] };
type Alert = Record<string, string> & { info?: Info[] };

const parse = (xml: string | null): Alert => {
  if (xml === null) throw new Error('no CAP written');
  return (parser.parse(xml) as { alert: Alert }).alert;
};

const infosOf = (alert: Alert): Info[] => alert.info ?? [];

/** The element names of `<name>` in the order written, from the raw XML. */
const orderedChildren = new XMLParser({ preserveOrder: true, ignoreAttributes: true });
type Ordered = Record<string, Ordered[]>;
const childNames = (nodes: Ordered[]) =>
  nodes.map((n) => Object.keys(n)[0] ?? '').filter((k) => k !== '#text');
const childrenOf = (nodes: Ordered[], name: string): Ordered[] =>
  nodes.find((n) => Object.keys(n)[0] === name)?.[name] ?? [];

describe('capAlertXml', () => {
  it('writes the elements in the order the CAP 1.2 schema requires', () => {
    const m = message([version(1, '2024-05-01T08:00:00.000Z'), version(2, '2024-05-01T09:00:00.000Z')]);
    const xml = capAlertXml(context(m), 2) ?? '';
    const doc = orderedChildren.parse(xml) as Ordered[];
    const alert = childrenOf(doc, 'alert');
    expect(childNames(alert)).toEqual([
      'identifier',
      'sender',
      'sent',
      'status',
      'msgType',
      'scope',
      'references',
      'incidents',
      'info',
    ]);
    const info = childrenOf(alert, 'info');
    expect(childNames(info)).toEqual([
      'language',
      'category',
      'event',
      'urgency',
      'severity',
      'certainty',
      'effective',
      'expires',
      'senderName',
      'headline',
      'description',
      'instruction',
      'web',
      'contact',
      'area',
    ]);
    expect(childNames(childrenOf(info, 'area'))).toEqual([
      'areaDesc',
      'polygon',
      'polygon',
      'polygon',
      'geocode',
      'geocode',
    ]);
    expect(
      xml.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">',
      ),
    ).toBe(true);
  });

  it('gives back Swedish letters, &, <, > and both quotes exactly as written, in every field', () => {
    const nasty = (field: string) => `Åäö ÅÄÖ é & <b>${field}</b> "citat" 'apostrof' > slut\r\nny rad`;
    const content = buildMessageContent({
      texts: {
        sv: buildMessageText({ headline: nasty('rubrik'), core: nasty('kärna'), whatToDo: nasty('gör') }),
        en: buildMessageText({ headline: nasty('headline'), core: nasty('core'), whatToDo: nasty('do') }),
        svEasy: buildMessageText({
          headline: nasty('lätt'),
          core: nasty('lätt kärna'),
          whatToDo: nasty('lätt gör'),
        }),
      },
      moreInfo: {
        channels: [{ actorId: 'nacka', url: 'https://www.nacka.se/storm?a=1&b=2' }],
        phone11313: true,
        krisinformation: true,
      },
      area: { polygon: null, municipalityCodes: ['0182'], description: nasty('område') },
    });
    const m = message(
      [
        version(1, '2024-05-01T08:00:00.000Z', content, {
          incidentTitle: nasty('händelse'),
          incidentKind: 'weather',
        }),
      ],
      cancellation(nasty('skäl')),
    );
    const ctx = context(m, { region: { id: 'stockholm', name: nasty('region') } });

    const alert = parse(capAlertXml(ctx, 1));
    const infos = infosOf(alert);
    expect(infos).toHaveLength(3);
    const texts = [content.texts.sv, content.texts.en, content.texts.svEasy];
    infos.forEach((info, i) => {
      expect(info.headline).toBe(texts[i]?.headline);
      expect(info.description).toBe(texts[i]?.core);
      expect(info.instruction).toBe(texts[i]?.whatToDo);
      expect(info.event).toBe(nasty('händelse'));
      expect(info.senderName).toBe(nasty('region'));
      expect(info.web).toBe('https://www.nacka.se/storm?a=1&b=2');
      expect(info.area.areaDesc).toBe(nasty('område'));
    });

    const cancel = parse(capCancelXml(ctx));
    expect(cancel.note).toBe(nasty('skäl'));
    expect(infosOf(cancel)[0]?.description).toBe(nasty('skäl'));
    expect(infosOf(cancel)[0]?.headline).toBe(`Återkallat: ${nasty('rubrik')}`);
  });

  it('writes polygons closed, in lat,lon order: the drawn area first, then each municipality', () => {
    const m = message([version(1, '2024-05-01T08:00:00.000Z')]);
    const area = infosOf(parse(capAlertXml(context(m), 1)))[0]?.area;
    const polygons = area?.polygon ?? [];
    expect(polygons).toEqual([
      '59.3,18 59.3,18.1 59.35,18.1 59.35,18 59.3,18',
      '59.3,18 59.3,18.1 59.4,18.1 59.3,18',
      // Nacka's open ring, closed.
      '59.3,18.2 59.3,18.3 59.35,18.3 59.35,18.2 59.3,18.2',
    ]);
    for (const polygon of polygons) {
      const pairs = polygon.split(' ');
      expect(pairs.length).toBeGreaterThanOrEqual(4);
      expect(pairs[0]).toBe(pairs.at(-1));
      for (const pair of pairs) {
        const [lat, lon] = pair.split(',').map(Number);
        // Stockholm lies near 59° N, 18° E: latitude first.
        expect(lat).toBeGreaterThan(59);
        expect(lon).toBeLessThan(19);
      }
    }
    // Whitespace between elements is kept as text by the parser: compare the pairs alone.
    expect(area?.geocode?.map(({ valueName, value }) => ({ valueName, value }))).toEqual([
      { valueName: CAP_MUNICIPALITY_GEOCODE, value: '0180' },
      { valueName: CAP_MUNICIPALITY_GEOCODE, value: '0182' },
    ]);
  });

  it('names the area by its municipalities when no description was written, and still codes an unknown one', () => {
    const content = buildMessageContent({
      area: { polygon: null, municipalityCodes: ['0182', '0999'], description: '' },
    });
    const area = infosOf(parse(capAlertXml(context(message([version(1, TIME_A, content)])), 1)))[0]?.area;
    expect(area?.areaDesc).toBe('Nacka, 0999');
    expect(area?.polygon).toHaveLength(1);
    expect(area?.geocode?.map((g) => g.value)).toEqual(['0182', '0999']);
  });

  it('is Alert for the first agreed version and Update for later ones, referencing every earlier agreed version', () => {
    const m = message([
      version(1, '2024-05-01T08:00:00.000Z'),
      version(2, null),
      version(3, '2024-05-01T09:30:15.250Z'),
      version(4, '2024-05-01T10:00:00.000Z'),
    ]);
    const ref = (v: number, sent: string) => `${SENDER},${capIdentifier('stockholm', MESSAGE_ID, v)},${sent}`;

    const first = parse(capAlertXml(context(m), 1));
    expect(first.msgType).toBe('Alert');
    expect(first.identifier).toBe(capIdentifier('stockholm', MESSAGE_ID, 1));
    expect(first.sent).toBe('2024-05-01T10:00:00+02:00');
    expect(first.references).toBeUndefined();

    expect(capAlertXml(context(m), 2)).toBeNull();
    expect(capAlertXml(context(m), 5)).toBeNull();

    const third = parse(capAlertXml(context(m), 3));
    expect(third.msgType).toBe('Update');
    expect(third.references).toBe(ref(1, '2024-05-01T10:00:00+02:00'));

    const fourth = parse(capAlertXml(context(m), 4));
    expect(fourth.references).toBe(
      `${ref(1, '2024-05-01T10:00:00+02:00')} ${ref(3, '2024-05-01T11:30:15+02:00')}`,
    );

    const cancelled = message(m.versions, cancellation());
    const cancel = parse(capCancelXml(context(cancelled)));
    expect(cancel.msgType).toBe('Cancel');
    expect(cancel.identifier).toBe(capCancelIdentifier('stockholm', MESSAGE_ID));
    expect(cancel.sent).toBe('2024-05-01T14:00:00+02:00');
    expect(cancel.references).toBe(
      [
        ref(1, '2024-05-01T10:00:00+02:00'),
        ref(3, '2024-05-01T11:30:15+02:00'),
        ref(4, '2024-05-01T12:00:00+02:00'),
      ].join(' '),
    );
    // The cancellation carries the last agreed text, so a reader sees what is withdrawn.
    expect(infosOf(cancel)[0]?.urgency).toBe('Past');
  });

  it('writes the event and category each version was saved with: renaming the incident later changes no alert', () => {
    const m = message([
      version(1, '2024-05-01T08:00:00.000Z'),
      version(2, '2024-05-01T09:00:00.000Z', buildMessageContent(), {
        incidentTitle: 'Strömavbrott efter storm Ylva',
        incidentKind: 'infrastructure',
      }),
    ]);
    const eventOf = (alert: Alert) => infosOf(alert).map((i) => [i.event, i.category]);
    expect(eventOf(parse(capAlertXml(context(m), 1)))).toEqual([['Storm Ylva', ['Met']]]);
    expect(eventOf(parse(capAlertXml(context(m), 2)))).toEqual([
      ['Strömavbrott efter storm Ylva', ['Infra']],
    ]);
    // The withdrawal is about what was last agreed.
    expect(eventOf(parse(capCancelXml(context(message(m.versions, cancellation())))))[0]).toEqual([
      'Strömavbrott efter storm Ylva',
      ['Infra'],
    ]);
  });

  it('writes no Cancel for a message that is not cancelled, or that never reached the public', () => {
    expect(capCancelXml(context(message([version(1, TIME_A)])))).toBeNull();
    expect(capCancelXml(context(message([version(1, null)], cancellation())))).toBeNull();
  });

  it('marks an exercise as such and writes one info per written language with its tag', () => {
    const content = buildMessageContent({
      exercise: true,
      texts: { sv: buildMessageText(), en: null, svEasy: buildMessageText({ whatToDo: '' }) },
      moreInfo: { channels: [], phone11313: false, krisinformation: true },
    });
    const alert = parse(capAlertXml(context(message([version(1, TIME_A, content)])), 1));
    expect(alert.status).toBe('Exercise');
    expect(alert.scope).toBe('Public');
    const infos = infosOf(alert);
    expect(infos.map((i) => i.language)).toEqual(['sv-SE', 'sv-SE-x-lattlast']);
    expect(infos.map((i) => i.web)).toEqual([CAP_DEFAULT_WEB, CAP_DEFAULT_WEB]);
    expect(infos[0]?.contact).toBeUndefined();
    // An empty "what to do" is left out rather than written empty.
    expect(infos[1]?.instruction).toBeUndefined();
    expect(infos[0]?.category).toEqual(['Met']);
    expect(infos[0]?.effective).toBe('2024-05-01T10:00:00+02:00');
    expect(infos[0]?.expires).toBe('2024-05-01T22:00:00+02:00');
  });

  it('writes the same bytes every time for the same message', () => {
    // Built afresh each time, as two hubs fold the same log into objects of their own.
    const write = () => capAlertXml(context(message([version(1, TIME_A)])), 1);
    expect(write()).toBe(write());
  });
});

describe('capDateTime', () => {
  it.each([
    ['2024-05-01T08:00:00.999Z', '2024-05-01T10:00:00+02:00'],
    ['2024-01-15T23:30:45.000Z', '2024-01-16T00:30:45+01:00'],
    ['2024-03-31T00:59:59.000Z', '2024-03-31T01:59:59+01:00'],
    ['2024-03-31T01:00:00.000Z', '2024-03-31T03:00:00+02:00'],
    ['2024-10-27T00:59:59.000Z', '2024-10-27T02:59:59+02:00'],
    ['2024-10-27T01:00:00.000Z', '2024-10-27T02:00:00+01:00'],
    ['2024-05-01T10:00:00+02:00', '2024-05-01T10:00:00+02:00'],
  ])('writes %s in Stockholm time as %s, without Z or fractions', (iso, cap) => {
    expect(capDateTime(iso)).toBe(cap);
  });
});

describe('escapeXml and capPolygon', () => {
  it('replaces characters XML cannot carry, so a stray control character cannot spoil the alert', () => {
    expect(escapeXml('a\u0001b\u0000c\uD800d')).toBe('a\uFFFDb\uFFFDc\uFFFDd');
    expect(escapeXml('tab\tok')).toBe('tab\tok');
  });

  it('refuses a ring too short to be a CAP polygon', () => {
    expect(
      capPolygon([
        [18, 59],
        [18.1, 59],
        [18, 59],
      ]),
    ).toBeNull();
  });
});
