import { randomUUID } from 'node:crypto';
import { CONFERENCE_STEPS, type Command, type ConferenceStep, type RegionConfig } from '@lagesbild/shared';
import { command } from '../../support/commands.js';
import { DECISIONS, DIAL_IN, assessmentVersion, roundNote } from './conference-texts.js';

// What C1 sends: the chair's agenda moves for the step latency, and a whole two-hour
// conference for the size of its minutes. Pure lists of commands with their senders, so a
// unit test can run them through the real `decide` and `apply` before a bench relies on them.

/** A command and the actor whose duty officer (`tib.<actorId>`) sends it. */
export type Scripted = { actorId: string; command: Command };

/** One move of the agenda: `fromStep` is the step the chair's screen shows. */
export type StepMove = { fromStep: ConferenceStep; toStep: ConferenceStep };

/**
 * Agenda positions the chair moves to, over and over from the roll call: mostly forward,
 * sometimes one step back (a round or an assessment revisited), and from the last step back
 * to the start. Forward moves go one step at a time, as the rules require.
 */
const STEP_CYCLE: readonly number[] = [1, 2, 1, 2, 3, 4, 3, 4, 5, 6, 0];

/** `count` agenda moves from the roll call, every one valid after the one before. */
export function stepPlan(count: number): StepMove[] {
  const moves: StepMove[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const to = STEP_CYCLE[i % STEP_CYCLE.length] ?? 0;
    moves.push({ fromStep: stepAt(at), toStep: stepAt(to) });
    at = to;
  }
  return moves;
}

const stepAt = (index: number): ConferenceStep => CONFERENCE_STEPS[index] ?? 'rollCall';

/** The `conference.step` commands of a plan, each with a new id. */
export const stepCommands = (conferenceId: string, moves: readonly StepMove[]) =>
  moves.map((move) => command('conference.step', { conferenceId, ...move }));

/** Länsstyrelsen schedules the incident's conference (every summoned actor) and opens it. */
export function openingCommands(ids: { incidentId: string; conferenceId: string }, now: Date): Scripted[] {
  const lead = 'lansstyrelsen';
  return [
    {
      actorId: lead,
      command: command('conference.schedule', {
        conferenceId: ids.conferenceId,
        incidentId: ids.incidentId,
        title: 'Samverkanskonferens Storm Ylva',
        scheduledAt: now.toISOString(),
        dialIn: DIAL_IN,
      }),
    },
    { actorId: lead, command: command('conference.open', { conferenceId: ids.conferenceId }) },
  ];
}

/** Actors whose own duty officer says "present" (the chair takes the others). */
const SAY_PRESENT_THEMSELVES = ['nacka', 'solna', 'polisen', 'sos-alarm', 'sodertalje'];
/** Small municipalities a neighbour stands in for. */
const REPRESENTED: Readonly<Record<string, string>> = {
  nykvarn: 'sodertalje',
  vaxholm: 'osteraker',
  salem: 'botkyrka',
  ekero: 'stockholm',
};
const ABSENT = ['danderyd', 'stockholms-hamnar'];

/**
 * A two-hour conference of every actor, from the step it is on to approved minutes: the roll
 * call (some represented, two absent, five saying "present" themselves), the convener's
 * picture and every actor's round with a note of 300–600 characters, three versions of the
 * common assessment, twenty decisions and action items, the next time, closing (which
 * schedules `nextConferenceId`) and approving version 1 of the minutes.
 */
export function twoHourConference(
  ids: { conferenceId: string; nextConferenceId: string },
  from: ConferenceStep,
  now: Date,
  region: RegionConfig,
): Scripted[] {
  const chair = region.leadActorId;
  const { conferenceId } = ids;
  const later = (hours: number) => new Date(now.getTime() + hours * 3_600_000).toISOString();
  const script: Scripted[] = [];
  const byChair = (c: Command) => script.push({ actorId: chair, command: c });
  let at = from;
  const moveTo = (toStep: ConferenceStep) => {
    if (toStep !== at) byChair(command('conference.step', { conferenceId, fromStep: at, toStep }));
    at = toStep;
  };

  moveTo('rollCall');
  for (const actor of region.actors) {
    if (SAY_PRESENT_THEMSELVES.includes(actor.id)) {
      script.push({
        actorId: actor.id,
        command: command('conference.rollCall', { conferenceId, actorId: actor.id, presence: 'present' }),
      });
      continue;
    }
    const standIn = REPRESENTED[actor.id];
    byChair(
      command('conference.rollCall', {
        conferenceId,
        actorId: actor.id,
        ...(standIn
          ? { presence: 'represented', representedBy: { actorId: standIn, functionId: 'dutyOfficer' } }
          : { presence: ABSENT.includes(actor.id) ? 'absent' : 'present' }),
      }),
    );
  }

  const round = (actorId: string, name: string, seed: number) =>
    byChair(
      command('conference.round', {
        conferenceId,
        actorId,
        reported: !ABSENT.includes(actorId),
        note: roundNote(name, seed),
      }),
    );
  moveTo('convenerPicture');
  const convener = region.actors.find((a) => a.id === chair);
  round(chair, convener?.shortName ?? chair, 0);
  moveTo('rounds');
  region.actors.forEach((actor, index) => {
    if (actor.id !== chair) round(actor.id, actor.shortName, index + 1);
  });

  moveTo('assessment');
  for (const version of [1, 2, 3]) {
    byChair(
      command('conference.assess', { conferenceId, baseVersion: version - 1, ...assessmentVersion(version) }),
    );
  }
  moveTo('directives');
  for (const item of DECISIONS) {
    byChair(
      command('actionItem.record', {
        itemId: randomUUID(),
        conferenceId,
        kind: item.kind,
        text: item.text,
        ownerActorId: item.owner,
        dueAt: item.dueHours === null ? null : later(item.dueHours),
      }),
    );
  }
  moveTo('jointMessage');
  moveTo('nextConference');
  byChair(command('conference.setNext', { conferenceId, nextConferenceAt: later(4) }));
  byChair(command('conference.close', { conferenceId, nextConferenceId: ids.nextConferenceId }));
  byChair(command('conference.approveMinutes', { conferenceId, version: 1 }));
  return script;
}
