import { describe, expect, it } from 'vitest';
import { DirectiveContent, type Directive } from './directive-model.js';
import { directiveDiff, directiveInForceOf, followUpMatrix, inForce } from './directive-selectors.js';
import { directiveTemplatesOf, fillTemplate, templateItemId } from './directive-templates.js';
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
    [NACKA_ITEM]: {
      version: 1,
      confirmedAt: m(5),
      confirmedBy: nackaTib,
      outcome: 'done',
      outcomeText: 'Klart',
      reportedAt: m(30),
      reportedBy: nackaTib,
      seq: 5,
    },
    [LEAD_ITEM]: {
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
  it('is the latest decided version until it expires, then none', () => {
    expect(inForce(directive, m(119))?.version).toBe(1);
    expect(inForce(directive, m(120))).toBeUndefined();
    expect(inForce({ ...directive, versions: [] }, m(0))).toBeUndefined();
  });

  it('of an incident is the directive whose version in force was decided last', () => {
    const later = { ...directive, id: testUuid(3), versions: [version(1, 9)] };
    const state = { directives: { [directive.id]: directive, [later.id]: later } };
    expect(directiveInForceOf(state, testUuid(2), m(10))?.directive.id).toBe(testUuid(3));
    expect(directiveInForceOf(state, testUuid(2), m(200))).toBeUndefined();
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
    expect(filled.items.map((i) => i.id)).toEqual([0, 1, 2, 3].map((n) => templateItemId(testUuid(7), n)));
    expect([filled.validFrom, filled.reviewAt, filled.validUntil]).toEqual([TEST_NOW, m(4 * 60), m(24 * 60)]);
  });

  it('give item ids that are UUIDs, stable, and different for each directive and place', () => {
    const ids = [testUuid(1), testUuid(2)].flatMap((d) => [0, 1, 2].map((n) => templateItemId(d, n)));
    for (const id of ids) expect(Uuid.safeParse(id).success).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(templateItemId(testUuid(1), 0)).toBe(ids[0]);
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
