import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { directiveDiff, parseCommand } from '@lagesbild/shared';
import {
  buildAttribution,
  buildDirectingAttribution,
  runCommands,
  stockholmRegion,
  TEST_NOW,
  type Step,
} from '@lagesbild/shared/test-factories';
import { activate } from '../../support/commands.js';
import { decideCommand, draftFor, firstContent } from './directive-script.js';

// C2 sends this script to a real hub; here it runs through the real `decide` and `apply`
// first, so a bench run cannot fail (or measure nothing) on a refused command.

const region = stockholmRegion();
const now = new Date(TEST_NOW);
const coordinator = buildAttribution({
  userId: 'user-coord',
  userName: 'Samordnare',
  functionId: 'coordinator',
});
const head = buildDirectingAttribution();

/** The command as the hub reads it: parsed, defaults filled in. */
function parsed(command: unknown) {
  const result = parseCommand(command);
  if (!result.ok) throw new Error(result.message);
  return result.command;
}

function decidedHistory(versions: number) {
  const storm = region.directiveTemplates.find((t) => t.id === 'storm');
  if (!storm) throw new Error('no storm template');
  const activation = activate({ summonedActorIds: [] });
  const ids = { directiveId: randomUUID(), incidentId: activation.payload.incidentId };
  const first = firstContent(storm, region, ids.directiveId, now);
  let { state, events } = runCommands([{ command: activation }]);
  const run = (step: Step) => {
    const after = runCommands([step], { state, firstSeq: (events.at(-1)?.seq ?? 0) + 1 });
    state = after.state;
    events = [...events, ...after.events];
    return after.events;
  };
  for (let version = 1; version <= versions; version++) {
    const [drafted, ...more] = run({
      command: parsed(draftFor(ids, first, version, now, storm.id)),
      by: coordinator,
    });
    // The bench decides the seq the hub answered the draft with: the draft must be one event.
    expect(more).toEqual([]);
    run({ command: parsed(decideCommand(ids.directiveId, version - 1, drafted?.seq ?? -1)), by: head });
  }
  return { directive: state.directives[ids.directiveId], events, first };
}

describe("C2's directive", () => {
  it('is the storm template for every actor, decided twenty times, each version changing what a revision would', () => {
    const { directive, events, first } = decidedHistory(20);
    expect(first.items.length).toBeGreaterThan(region.actors.length);
    expect(directive?.versions.map((v) => v.version)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(events.filter((e) => e.type === 'directive.decided')).toHaveLength(20);
    expect(directive?.draft).toBeNull();
    const versions = directive?.versions ?? [];
    for (let i = 1; i < versions.length; i++) {
      const [before, after] = [versions[i - 1], versions[i]];
      if (!before || !after) continue;
      const changed = directiveDiff(before.content, after.content).map((c) => c.field);
      expect(changed, `v${after.version}`).toEqual(
        expect.arrayContaining(['priorities', 'items', 'reviewAt']),
      );
      expect(after.content.purpose).toBe(first.purpose);
      expect(after.content.items).toHaveLength(first.items.length);
    }
  });
});
