import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CONFERENCE_STEPS, parseCommand, type Minutes } from '@lagesbild/shared';
import {
  buildAttribution,
  runCommands,
  stockholmRegion,
  TEST_NOW,
  type Step,
} from '@lagesbild/shared/test-factories';
import { activate } from '../../support/commands.js';
import {
  openingCommands,
  stepCommands,
  stepPlan,
  twoHourConference,
  type Scripted,
} from './conference-script.js';
import { roundNote } from './conference-texts.js';

// C1 sends these scripts to a real hub; here they run through the real `decide` and
// `apply` first, so a bench run cannot fail (or measure nothing) on a refused command.

const region = stockholmRegion();
const now = new Date(TEST_NOW);
/** The command as the hub reads it: parsed, defaults filled in. */
function parsed(command: unknown) {
  const result = parseCommand(command);
  if (!result.ok) throw new Error(result.message);
  return result.command;
}
const sentBy = ({ actorId, command }: Scripted): Step => ({
  command: parsed(command),
  by: buildAttribution({ actorId, userId: `user-${actorId}`, userName: `TiB ${actorId}` }),
});

function openedConference() {
  const activation = activate({ summonedActorIds: [] });
  const incidentId = activation.payload.incidentId;
  const conferenceId = randomUUID();
  const { state } = runCommands([
    { command: activation },
    ...openingCommands({ incidentId, conferenceId }, now).map(sentBy),
  ]);
  return { state, conferenceId };
}

describe('the agenda moves of the step latency', () => {
  it('are all accepted in order, forward one at a time and back', () => {
    const { state, conferenceId } = openedConference();
    const moves = stepPlan(50);
    const { state: after, events } = runCommands(
      stepCommands(conferenceId, moves).map((command) => ({ command: parsed(command) })),
      { state },
    );
    expect(events.map((e) => e.type)).toEqual(Array(50).fill('conference.stepped'));
    expect(after.conferences[conferenceId]?.step).toBe(moves.at(-1)?.toStep);
    const index = (step: string) => CONFERENCE_STEPS.indexOf(step as (typeof CONFERENCE_STEPS)[number]);
    expect(moves.some((m) => index(m.toStep) < index(m.fromStep))).toBe(true);
    expect(
      moves
        .filter((m) => index(m.toStep) > index(m.fromStep))
        .every((m) => index(m.toStep) === index(m.fromStep) + 1),
    ).toBe(true);
  });
});

describe('the two-hour conference', () => {
  it('ends in approved minutes with every actor, its notes, the last assessment and twenty decisions', () => {
    const { state, conferenceId } = openedConference();
    const moved = runCommands(
      stepCommands(conferenceId, stepPlan(7)).map((command) => ({ command: parsed(command) })),
      { state },
    );
    const from = moved.state.conferences[conferenceId]?.step ?? 'rollCall';
    const script = twoHourConference({ conferenceId, nextConferenceId: randomUUID() }, from, now, region);
    const { events } = runCommands(script.map(sentBy), { state: moved.state });

    const approved = events.find((e) => e.type === 'conference.minutesApproved');
    const minutes = (approved?.payload as { minutes: Minutes } | undefined)?.minutes;
    expect(minutes?.participants).toHaveLength(36);
    expect(minutes?.participants.filter((p) => p.presence === 'represented')).toHaveLength(4);
    expect(minutes?.rounds.every((r) => r.note.length >= 300 && r.note.length <= 600)).toBe(true);
    expect(minutes?.decisions).toHaveLength(20);
    expect(minutes?.assessment?.situation).toContain('Läget klockan 16.00');
    expect(minutes?.nextConferenceAt).not.toBeNull();
  });
});

describe('round notes', () => {
  it('are 300–600 characters of whole sentences for any actor', () => {
    for (const [index, actor] of region.actors.entries()) {
      const note = roundNote(actor.shortName, index);
      expect(note.length).toBeGreaterThanOrEqual(300);
      expect(note.length).toBeLessThanOrEqual(600);
      expect(note.endsWith('.')).toBe(true);
    }
  });

  it('refuses a length it cannot write', () => {
    expect(() => roundNote('Nacka', 1, 3000, 3100)).toThrow(/not 3000–3100/);
  });
});
