import { describe, expect, it } from 'vitest';
import { adminDirectiveTemplates } from './directive-template-admin.js';
import type { SavedTemplate } from './directive-model.js';
import { initialState } from './model.js';
import {
  TEST_NOW,
  buildAttribution,
  buildDirectiveTemplate,
  stockholmRegion,
} from './testing/test-factories.js';

const region = stockholmRegion();
const admin = buildAttribution({ userName: 'Ada Administratör', functionId: 'admin' });
const saved = (template: SavedTemplate['template'], seq: number): SavedTemplate => ({
  template,
  at: TEST_NOW,
  by: admin,
  seq,
});
const stateWith = (entries: Record<string, SavedTemplate>) => ({
  ...initialState(),
  directiveTemplates: entries,
});

describe('adminDirectiveTemplates', () => {
  it("lists the region file's templates as they are when the app has changed none", () => {
    const list = adminDirectiveTemplates(region, initialState());
    expect(list.map((t) => t.template.id)).toEqual(region.directiveTemplates.map((t) => t.id));
    expect(new Set(list.map((t) => t.origin))).toEqual(new Set(['region']));
    expect(list[0]).toMatchObject({ savedAt: null, savedBy: null, seq: null });
  });

  it('tells a changed and a removed region-file template from the rest, and who did it', () => {
    const [storm, flood] = region.directiveTemplates;
    if (!storm || !flood) throw new Error('the Stockholm region has prepared directives');
    const changed = { ...storm, purpose: 'Skydda liv och hälsa under stormen Ylva' };
    const list = adminDirectiveTemplates(
      region,
      stateWith({ [storm.id]: saved(changed, 5), [flood.id]: saved(null, 6) }),
    );
    expect(list[0]).toEqual({
      template: changed,
      origin: 'changed',
      savedAt: TEST_NOW,
      savedBy: 'Ada Administratör',
      seq: 5,
    });
    // A removed one keeps the file's text, shown until it is restored.
    expect(list[1]).toMatchObject({
      template: flood,
      origin: 'removed',
      savedBy: 'Ada Administratör',
      seq: 6,
    });
    expect(list).toHaveLength(region.directiveTemplates.length);
  });

  it('adds the templates saved only in the app after the file’s, oldest first, and forgets removed ones', () => {
    const later = buildDirectiveTemplate({ id: 'snostorm' });
    const earlier = buildDirectiveTemplate({ id: 'isstorm' });
    const list = adminDirectiveTemplates(
      region,
      stateWith({
        snostorm: saved(later, 9),
        isstorm: saved(earlier, 3),
        borttagen: saved(null, 4),
      }),
    );
    const appOnly = list.filter((t) => t.origin === 'app');
    expect(appOnly.map((t) => t.template.id)).toEqual(['isstorm', 'snostorm']);
    expect(list.some((t) => t.template.id === 'borttagen')).toBe(false);
  });
});
