import { buildDirectiveContent, minutesAfterNow, TEST_NOW } from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import { byId } from './conference-test-data';
import { buildDirective, buildDirectiveVersion } from './directive-test-data';
import { directiveInForceOf } from '@lagesbild/shared';
import { initialDirectiveWatch, wallPriorities, watchDirectives } from './wall-directive';

const incidentId = '00000000-0000-4000-8000-0000000000aa';

describe('the directive in force of an incident', () => {
  it('is the latest decided version, not an earlier one', () => {
    const v2 = buildDirectiveVersion({ version: 2, seq: 20 });
    const directive = buildDirective({ incidentId, versions: [buildDirectiveVersion(), v2] });
    expect(directiveInForceOf({ directives: byId([directive]) }, incidentId, TEST_NOW)?.version).toBe(v2);
  });

  it('is none once the latest version has expired, nor before the first decision', () => {
    const expiring = buildDirectiveVersion({
      content: buildDirectiveContent({ validUntil: minutesAfterNow(60) }),
    });
    const directives = byId([
      buildDirective({ incidentId, versions: [expiring] }),
      buildDirective({ incidentId, versions: [] }),
    ]);
    expect(directiveInForceOf({ directives }, incidentId, minutesAfterNow(59))).toBeDefined();
    expect(directiveInForceOf({ directives }, incidentId, minutesAfterNow(60))).toBeUndefined();
  });

  it("is the incident's one directive: of two in a log from before the rule, the first begun, as the tab shows", () => {
    const earlier = buildDirective({ incidentId, versions: [buildDirectiveVersion({ seq: 30 })] });
    const later = buildDirective({ incidentId, versions: [buildDirectiveVersion({ seq: 40 })] });
    const otherIncident = buildDirective({ versions: [buildDirectiveVersion({ seq: 50 })] });
    const shown = directiveInForceOf(
      { directives: byId([later, earlier, otherIncident]) },
      incidentId,
      TEST_NOW,
    );
    expect(shown?.directive.id).toBe(earlier.id);
  });
});

describe('the priorities on the wall', () => {
  it('lists all of them on four lines, or three and a count of the rest', () => {
    expect(wallPriorities(['a', 'b', 'c', 'd'])).toEqual({ shown: ['a', 'b', 'c', 'd'], more: 0 });
    expect(wallPriorities(['a', 'b', 'c', 'd', 'e'])).toEqual({ shown: ['a', 'b', 'c'], more: 2 });
    expect(wallPriorities([])).toEqual({ shown: [], more: 0 });
  });
});

describe('watching for new directives', () => {
  const decided = buildDirective({ incidentId });

  it('does not announce what was decided before the wall started', () => {
    const first = watchDirectives(initialDirectiveWatch(), { directives: byId([decided]) }, true);
    expect(first.decided).toEqual([]);
  });

  it('announces the incident when a new version is decided, once', () => {
    const start = watchDirectives(initialDirectiveWatch(), { directives: {} }, true).watch;
    const drafted = buildDirective({ id: decided.id, incidentId, versions: [] });
    const afterDraft = watchDirectives(start, { directives: byId([drafted]) }, true);
    expect(afterDraft.decided).toEqual([]);
    const afterDecision = watchDirectives(afterDraft.watch, { directives: byId([decided]) }, true);
    expect(afterDecision.decided).toEqual([incidentId]);
    expect(watchDirectives(afterDecision.watch, { directives: byId([decided]) }, true).decided).toEqual([]);
  });

  it('neither announces nor forgets anything while the picture is being replaced', () => {
    const start = watchDirectives(initialDirectiveWatch(), { directives: byId([decided]) }, true).watch;
    const emptied = watchDirectives(start, { directives: {} }, false);
    expect(emptied.watch).toBe(start);
    expect(watchDirectives(emptied.watch, { directives: byId([decided]) }, true).decided).toEqual([]);
  });
});
