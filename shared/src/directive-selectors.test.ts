import { describe, expect, it } from 'vitest';
import { DirectiveContent, type Directive } from './directive-model.js';
import {
  directiveDiff,
  directiveInForceOf,
  directiveOfIncident,
  followUpMatrix,
  inForce,
  upcomingVersion,
} from './directive-selectors.js';
import {
  directiveTemplatesOf,
  fillTemplate,
  mostItemsFilled,
  templateItemId,
} from './directive-templates.js';
import { Uuid } from './ids.js';
import { LIMITS } from './limits.js';
import { State } from './model.js';
import {
  TEST_NOW,
  buildAttribution,
  buildDirectingAttribution,
  buildDirectiveContent,
  buildDirectiveTemplate,
  minutesAfterNow,
  stockholmRegion,
  testUuid,
} from './testing/test-factories.js';

const region = stockholmRegion();
const m = minutesAfterNow;
const nackaTib = buildAttribution({ userId: 'user-nacka-tib', userName: 'Nils Nord', actorId: 'nacka' });

const NACKA_ITEM = testUuid(0xd1);
const HEALTH_ITEM = testUuid(0xd2);
const LEAD_ITEM = testUuid(0xd3);
const content = buildDirectiveContent({
  items: [
    { id: NACKA_ITEM, text: 'Öppna trygghetspunkter', ownerActorId: 'nacka' },
    { id: HEALTH_ITEM, text: 'Säkra reservkraft', ownerActorId: 'region-stockholm' },
    { id: LEAD_ITEM, text: 'Samordna lägesbilden', ownerActorId: 'lansstyrelsen' },
  ],
  reviewAt: m(60),
  validUntil: m(120),
});
const version = (n: number, seq: number) => ({
  version: n,
  content,
  templateId: null,
  changedFields: [],
  draftedBy: buildAttribution(),
  deciders: [buildDirectingAttribution()],
  decidedAt: TEST_NOW,
  seq,
});
const directive: Directive = {
  id: testUuid(1),
  incidentId: testUuid(2),
  draft: null,
  versions: [version(1, 3)],
  followUps: {
    [`${NACKA_ITEM}@1`]: {
      itemId: NACKA_ITEM,
      version: 1,
      confirmedAt: m(5),
      confirmedBy: nackaTib,
      outcome: 'done',
      outcomeText: 'Klart',
      reportedAt: m(30),
      reportedBy: nackaTib,
      seq: 5,
    },
    [`${LEAD_ITEM}@1`]: {
      itemId: LEAD_ITEM,
      version: 1,
      confirmedAt: m(6),
      confirmedBy: buildAttribution(),
      outcome: null,
      outcomeText: '',
      reportedAt: null,
      reportedBy: null,
      seq: 6,
    },
  },
  version: 6,
};

describe('the version in force', () => {
  /** A version valid from `from` to `until` (minutes after the test clock), decided at `seq`. */
  const valid = (n: number, from: number, until: number) => ({
    ...version(n, n * 10),
    content: { ...content, validFrom: m(from), validUntil: m(until), reviewAt: null },
  });
  const withVersions = (...versions: ReturnType<typeof valid>[]): Directive => ({ ...directive, versions });

  it('is the latest decided version until it expires, then none', () => {
    expect(inForce(directive, m(119))?.version).toBe(1);
    expect(inForce(directive, m(120))).toBeUndefined();
    expect(inForce({ ...directive, versions: [] }, m(0))).toBeUndefined();
  });

  it('is none before the first version begins, which is upcoming until then', () => {
    const later = withVersions(valid(1, 30, 90));
    expect(inForce(later, m(29))).toBeUndefined();
    expect(upcomingVersion(later, m(29))?.version).toBe(1);
    expect(inForce(later, m(30))?.version).toBe(1);
    expect(upcomingVersion(later, m(30))).toBeUndefined();
  });

  it('has begun when it starts no later than its decision, even by a screen clock that lags the decision', () => {
    // Decided at 0 to start at 0: a screen whose clock last ticked a minute before shows it in force.
    const now = withVersions(valid(1, 0, 90));
    expect(inForce(now, m(-1))?.version).toBe(1);
    expect(upcomingVersion(now, m(-1))).toBeUndefined();
  });

  it('stays the earlier version until a later-starting version begins', () => {
    // v1 from 0 to 120; v2 decided to run from 60 to 180.
    const two = withVersions(valid(1, 0, 120), valid(2, 60, 180));
    expect(inForce(two, m(59))?.version).toBe(1);
    expect(upcomingVersion(two, m(59))?.version).toBe(2);
    expect(inForce(two, m(60))?.version).toBe(2);
    expect(upcomingVersion(two, m(60))).toBeUndefined();
    expect(inForce(two, m(179))?.version).toBe(2);
    expect(inForce(two, m(180))).toBeUndefined();
  });

  it('is none once a later version that began has expired, though the earlier one would still be valid', () => {
    // v2 replaced v1 at 10 and ended at 20; v1 does not come back.
    const short = withVersions(valid(1, 0, 120), valid(2, 10, 20));
    expect(inForce(short, m(15))?.version).toBe(2);
    expect(inForce(short, m(30))).toBeUndefined();
  });

  it('is the latest decided when a later decision starts earlier than the version before it', () => {
    // v1 from 60; v2, decided after it, from 0.
    const earlierStart = withVersions(valid(1, 60, 120), valid(2, 0, 180));
    expect(inForce(earlierStart, m(30))?.version).toBe(2);
    expect(inForce(earlierStart, m(90))?.version).toBe(2);
  });

  it('of an incident is that of its one directive (the first begun, for a log from before the rule)', () => {
    const later = { ...directive, id: testUuid(3), versions: [version(1, 9)] };
    const state = { directives: { [directive.id]: directive, [later.id]: later } };
    expect(directiveOfIncident(state, testUuid(2))?.id).toBe(testUuid(1));
    expect(directiveInForceOf(state, testUuid(2), m(10))?.directive.id).toBe(testUuid(1));
    expect(directiveInForceOf(state, testUuid(2), m(200))).toBeUndefined();
    expect(directiveOfIncident(state, testUuid(99))).toBeUndefined();
  });
});

describe('the follow-up matrix', () => {
  it('lists the items by owner in the region file’s order, with confirmations, outcomes and what is overdue', () => {
    const rows = (now: string) =>
      followUpMatrix(directive, region, now).map((r) => [
        r.ownerActorId,
        r.confirmedAt,
        r.outcome,
        r.overdue,
      ]);
    // Before the review time nothing is overdue.
    expect(rows(m(59))).toEqual([
      ['lansstyrelsen', m(6), null, false],
      ['nacka', m(5), 'done', false],
      ['region-stockholm', null, null, false],
    ]);
    // After it, every item not reported done is.
    expect(rows(m(60))).toEqual([
      ['lansstyrelsen', m(6), null, true],
      ['nacka', m(5), 'done', false],
      ['region-stockholm', null, null, true],
    ]);
  });

  it("shows the latest version's confirmation and keeps the earlier version's for the record", () => {
    const changed = {
      ...content,
      items: content.items.map((i) =>
        i.id === NACKA_ITEM ? { ...i, text: 'Öppna fem trygghetspunkter' } : i,
      ),
    };
    const first = directive.followUps[`${NACKA_ITEM}@1`];
    if (!first) throw new Error('no confirmation of version 1');
    const reconfirmed: Directive = {
      ...directive,
      versions: [...directive.versions, { ...version(2, 8), content: changed }],
      followUps: {
        ...directive.followUps,
        [`${NACKA_ITEM}@2`]: {
          ...first,
          version: 2,
          confirmedAt: m(40),
          outcome: null,
          outcomeText: '',
          reportedAt: null,
          reportedBy: null,
          seq: 9,
        },
      },
    };
    const nacka = followUpMatrix(reconfirmed, region, m(50)).find((r) => r.itemId === NACKA_ITEM);
    expect([nacka?.confirmedAt, nacka?.outcome]).toEqual([m(40), null]);
    expect(nacka?.earlier.map((f) => [f.version, f.outcome, f.outcomeText])).toEqual([[1, 'done', 'Klart']]);
    // Before the new confirmation, version 1's no longer holds for the changed item, but stays.
    const unconfirmed = { ...reconfirmed, followUps: directive.followUps };
    const waiting = followUpMatrix(unconfirmed, region, m(50)).find((r) => r.itemId === NACKA_ITEM);
    expect([waiting?.confirmedAt, waiting?.earlier.map((f) => f.version)]).toEqual([null, [1]]);
  });
});

describe('directiveDiff', () => {
  it('names the fields that differ, with both values', () => {
    const after = { ...content, purpose: 'Nytt syfte', reviewAt: null };
    expect(directiveDiff(content, after)).toEqual([
      { field: 'purpose', before: content.purpose, after: 'Nytt syfte' },
      { field: 'reviewAt', before: m(60), after: null },
    ]);
    expect(directiveDiff(content, { ...content })).toEqual([]);
  });
});

describe('prepared directives', () => {
  const saved = (template: ReturnType<typeof buildDirectiveTemplate> | null, seq: number) => ({
    template,
    at: TEST_NOW,
    by: buildAttribution({ functionId: 'admin' }),
    seq,
  });

  it('offers the region file’s, replaced or hidden by the app, then those saved only in the app', () => {
    const fileIds = region.directiveTemplates.map((t) => t.id);
    const state = {
      directiveTemplates: {
        storm: saved(buildDirectiveTemplate({ id: 'storm', purpose: 'Ändrat i appen' }), 4),
        pandemi: saved(null, 5),
        'app-b': saved(buildDirectiveTemplate({ id: 'app-b' }), 7),
        'app-a': saved(buildDirectiveTemplate({ id: 'app-a' }), 6),
      },
    };
    const offered = directiveTemplatesOf(region, state);
    expect(offered.map((t) => t.id)).toEqual([...fileIds.filter((id) => id !== 'pandemi'), 'app-a', 'app-b']);
    expect(offered.find((t) => t.id === 'storm')?.purpose).toBe('Ändrat i appen');
  });

  it('fill in one item per actor of each kind, with ids the same everywhere', () => {
    const template = buildDirectiveTemplate({
      items: [
        { actorKind: 'healthRegion', text: 'Prioritera vården' },
        { actorKind: 'rescueService', text: 'Håll beredskap' },
      ],
    });
    const filled = fillTemplate(template, region, TEST_NOW, testUuid(7));
    expect(filled.items.map((i) => i.ownerActorId)).toEqual([
      'region-stockholm',
      'storstockholms-brandforsvar',
      'sodertorns-brandforsvar',
      'brandkaren-attunda',
    ]);
    // Pinned: drafts fill their template again at read time, so the ids may never change.
    expect(filled.items.map((i) => i.id)).toEqual([
      'b49f91cb-9097-5891-9aa2-0c34033e88b7',
      '95d697f6-a157-5d9b-87de-07310fea736c',
      'd3f44925-8dc0-5713-a1ec-d9eaf72dd5f4',
      'ef03e0e0-aa08-53c4-8901-01b706bce98b',
    ]);
    expect([filled.validFrom, filled.reviewAt, filled.validUntil]).toEqual([TEST_NOW, m(4 * 60), m(24 * 60)]);
    expect(filled.area).toBeNull();
  });

  it("fill in items for the incident's summoned actors only, and its area", () => {
    const template = buildDirectiveTemplate({
      items: [
        { actorKind: 'municipality', text: 'Öppna trygghetspunkter' },
        { actorKind: 'rescueService', text: 'Håll beredskap' },
        { actorKind: 'police', text: 'Led trafiken' },
      ],
    });
    const area: DirectiveContent['area'] = {
      type: 'Polygon',
      coordinates: [
        [
          [18.0, 59.3],
          [18.1, 59.3],
          [18.1, 59.35],
          [18.0, 59.3],
        ],
      ],
    };
    const incident = {
      area,
      summonedActorIds: ['nacka', 'lansstyrelsen', 'sodertorns-brandforsvar', 'solna'],
    };
    const filled = fillTemplate(template, region, TEST_NOW, testUuid(7), incident);
    // Region file order; nobody summoned of the police kind, so no police item.
    expect(filled.items.map((i) => [i.ownerActorId, i.text])).toEqual([
      ['nacka', 'Öppna trygghetspunkter'],
      ['solna', 'Öppna trygghetspunkter'],
      ['sodertorns-brandforsvar', 'Håll beredskap'],
    ]);
    expect(filled.area).toEqual(area);
  });

  it('fill in for every actor when the incident summons none of the region’s', () => {
    const template = buildDirectiveTemplate({
      items: [{ actorKind: 'healthRegion', text: 'Prioritera vården' }],
    });
    const filled = fillTemplate(template, region, TEST_NOW, testUuid(7), {
      area: null,
      summonedActorIds: ['atlantis'],
    });
    expect(filled.items.map((i) => i.ownerActorId)).toEqual(['region-stockholm']);
  });

  it('count at most the items of an incident summoning everybody', () => {
    const template = buildDirectiveTemplate({
      items: [
        { actorKind: 'municipality', text: 'Öppna' },
        { actorKind: 'rescueService', text: 'Håll beredskap' },
      ],
    });
    // 26 municipalities and 3 rescue services in the Stockholm region file.
    expect(mostItemsFilled(template, region)).toBe(29);
  });

  it('give item ids that are UUIDs, stable, and different for each directive and place', () => {
    const ids = [testUuid(1), testUuid(2)].flatMap((d) => [0, 1, 2].map((n) => templateItemId(d, n)));
    for (const id of ids) expect(Uuid.safeParse(id).success).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, 2)).toEqual([
      'f26ad56d-5144-5c87-8063-01722a82e6c0',
      '550acee8-18c3-5c94-af08-547fdc87ee53',
    ]);
  });

  it('fill every template of the region file into a directive the schema accepts', () => {
    for (const template of region.directiveTemplates) {
      const filled = fillTemplate(template, region, TEST_NOW, testUuid(8));
      expect(DirectiveContent.safeParse(filled).success, template.id).toBe(true);
      expect(filled.items.length).toBeLessThanOrEqual(LIMITS.maxDirectiveItems);
    }
  });
});

describe('readiness of states folded before readiness levels', () => {
  it('reads as the level its flag said, with no government decision named', () => {
    const old = { heightened: true, note: 'Regeringsbeslut', since: TEST_NOW, by: null };
    expect(State.shape.readiness.parse(old)).toEqual({
      ...old,
      level: 'heightened',
      scope: 'country',
      parts: '',
      decisionRef: '',
      decisionDate: null,
    });
    expect(State.shape.readiness.parse({ ...old, heightened: false, since: null }).level).toBe('none');
  });
});
