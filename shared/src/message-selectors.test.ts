import { describe, expect, it } from 'vitest';
import {
  agreedVersions,
  awaitingApprovalBy,
  capCancelIdentifier,
  capIdentifier,
  currentMessageOf,
  latestAgreedVersion,
  latestMessageVersion,
  messageStage,
  messagesOf,
  signOffMatrix,
  unpublishedBy,
} from './message-selectors.js';
import type { State } from './model.js';
import {
  buildActivateCommand,
  buildAttribution,
  buildCommunicatorAttribution,
  buildJointMessageApproveCommand,
  buildJointMessageCancelCommand,
  buildJointMessageDraftCommand,
  buildJointMessagePublishCommand,
  buildJointMessageRequestChangeCommand,
  buildMessageContent,
  buildMessageText,
  minutesAfterNow,
  runCommands,
  testUuid,
  type Step,
} from './testing/test-factories.js';

// What every surface reads of a joint message, over histories run through the real decide and apply.

const m = minutesAfterNow;
const sthlm = buildCommunicatorAttribution('stockholm');
const nacka = buildCommunicatorAttribution('nacka');
const health = buildCommunicatorAttribution('region-stockholm');
const INCIDENT = testUuid(1);
const FIRST = testUuid(10);
const SECOND = testUuid(11);
const EDITED = buildMessageContent({
  texts: { sv: buildMessageText({ headline: 'Nytt läge' }), en: null, svEasy: null },
});

/** Nacka owns the message, but names Stockholm stad first: the owner still leads the matrix. */
const draftFirst = buildJointMessageDraftCommand({
  messageId: FIRST,
  incidentId: INCIDENT,
  approverActorIds: ['stockholm', 'nacka', 'region-stockholm'],
});

function run(steps: Step[]): State {
  return runCommands([
    { command: buildActivateCommand({ incidentId: INCIDENT, area: null }), by: buildAttribution() },
    ...steps,
  ]).state;
}

function messageIn(state: State, id: string) {
  const message = state.jointMessages[id];
  if (!message) throw new Error(`no joint message ${id}`);
  return message;
}

describe('message stages', () => {
  it('goes draft → changeRequested → agreed → reopened → cancelled', () => {
    const drafted = run([{ command: draftFirst, by: nacka, at: m(1) }]);
    expect(messageStage(messageIn(drafted, FIRST))).toBe('draft');

    const asked = run([
      { command: draftFirst, by: nacka, at: m(1) },
      {
        command: buildJointMessageRequestChangeCommand({ messageId: FIRST, forActorId: 'stockholm' }),
        by: sthlm,
      },
    ]);
    expect(messageStage(messageIn(asked, FIRST))).toBe('changeRequested');

    const agreedSteps: Step[] = [
      { command: draftFirst, by: nacka, at: m(1) },
      { command: buildJointMessageApproveCommand({ messageId: FIRST, forActorId: 'stockholm' }), by: sthlm },
      {
        command: buildJointMessageApproveCommand({ messageId: FIRST, forActorId: 'region-stockholm' }),
        by: health,
      },
    ];
    const agreed = run(agreedSteps);
    expect(messageStage(messageIn(agreed, FIRST))).toBe('agreed');

    const reopenedSteps: Step[] = [
      ...agreedSteps,
      {
        command: buildJointMessageDraftCommand({
          messageId: FIRST,
          incidentId: INCIDENT,
          content: EDITED,
          baseVersion: 1,
          approverActorIds: ['stockholm', 'nacka', 'region-stockholm'],
        }),
        by: sthlm,
      },
    ];
    const reopened = messageIn(run(reopenedSteps), FIRST);
    expect(messageStage(reopened)).toBe('reopened');
    expect(latestMessageVersion(reopened)?.version).toBe(2);
    expect(latestAgreedVersion(reopened)?.version).toBe(1);
    expect(agreedVersions(reopened).map((v) => v.version)).toEqual([1]);

    const cancelled = run([
      ...reopenedSteps,
      { command: buildJointMessageCancelCommand({ messageId: FIRST }), by: nacka },
    ]);
    expect(messageStage(messageIn(cancelled, FIRST))).toBe('cancelled');
    expect(currentMessageOf(cancelled, INCIDENT)).toBeUndefined();
  });
});

describe('the sign-off matrix', () => {
  it('lists the owner first, then the named actors, then actors left out since, with each answer to each version or null', () => {
    const state = run([
      { command: draftFirst, by: nacka, at: m(1) },
      {
        command: buildJointMessageRequestChangeCommand({
          messageId: FIRST,
          forActorId: 'stockholm',
          comment: 'Kortare',
        }),
        by: sthlm,
        at: m(2),
      },
      {
        command: buildJointMessageDraftCommand({
          messageId: FIRST,
          incidentId: INCIDENT,
          content: EDITED,
          baseVersion: 1,
          approverActorIds: ['region-stockholm', 'nacka'],
        }),
        by: nacka,
        at: m(3),
      },
    ]);
    const matrix = signOffMatrix(messageIn(state, FIRST));
    expect(matrix.versions).toEqual([1, 2]);
    // Nacka, the owner, left Stockholm stad out of version 2: its row stays, last, with the
    // change it asked for on version 1, so nobody loses sight of the objection.
    expect(matrix.rows.map((row) => row.actorId)).toEqual(['nacka', 'region-stockholm', 'stockholm']);
    expect(
      matrix.rows.map((row) => row.cells.map((cell) => cell && { decision: cell.decision, at: cell.at })),
    ).toEqual([
      [
        { decision: 'approved', at: m(1) },
        { decision: 'approved', at: m(3) },
      ],
      [null, null],
      [{ decision: 'changeRequested', at: m(2) }, null],
    ]);
  });
});

describe("the communicator's own view", () => {
  it('lists what awaits an actor until it approves, and what it has not published of the agreed version', () => {
    const waiting = run([{ command: draftFirst, by: nacka, at: m(1) }]);
    expect(awaitingApprovalBy(waiting, 'stockholm').map((x) => x.id)).toEqual([FIRST]);
    expect(awaitingApprovalBy(waiting, 'nacka')).toEqual([]);
    expect(awaitingApprovalBy(waiting, 'solna')).toEqual([]);
    expect(unpublishedBy(waiting, 'nacka')).toEqual([]);

    const published = run([
      { command: draftFirst, by: nacka, at: m(1) },
      { command: buildJointMessageApproveCommand({ messageId: FIRST, forActorId: 'stockholm' }), by: sthlm },
      {
        command: buildJointMessageApproveCommand({ messageId: FIRST, forActorId: 'region-stockholm' }),
        by: health,
      },
      { command: buildJointMessagePublishCommand({ messageId: FIRST, channel: 'press' }), by: nacka },
    ]);
    expect(awaitingApprovalBy(published, 'stockholm')).toEqual([]);
    expect(unpublishedBy(published, 'nacka')).toEqual([]);
    expect(unpublishedBy(published, 'stockholm').map((x) => x.id)).toEqual([FIRST]);
  });
});

describe('messages of an incident', () => {
  it('keeps log order, and the current one is the latest begun that is not cancelled', () => {
    const state = run([
      { command: draftFirst, by: nacka, at: m(1) },
      { command: buildJointMessageCancelCommand({ messageId: FIRST }), by: nacka, at: m(2) },
      {
        command: buildJointMessageDraftCommand({ messageId: SECOND, incidentId: INCIDENT }),
        by: sthlm,
        at: m(3),
      },
    ]);
    expect(messagesOf(state, INCIDENT).map((x) => x.id)).toEqual([FIRST, SECOND]);
    expect(currentMessageOf(state, INCIDENT)?.id).toBe(SECOND);
  });
});

describe('CAP identifiers', () => {
  it('names the region, the message and the version, without what CAP forbids', () => {
    const id = capIdentifier('stockholm', FIRST, 3);
    expect(id).toBe(`lagesbild.stockholm.${FIRST}.v3`);
    expect(capCancelIdentifier('stockholm', FIRST)).toBe(`lagesbild.stockholm.${FIRST}.cancel`);
    for (const value of [id, capCancelIdentifier('stockholm', FIRST)]) expect(value).not.toMatch(/[\s,<&]/);
  });
});
