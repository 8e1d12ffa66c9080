import type { Attribution, MessageContent, SessionInfo, State } from '@lagesbild/shared';
import {
  buildActivateCommand,
  buildAttribution,
  buildCloseCommand,
  buildCommunicatorAttribution,
  buildJointMessageApproveCommand,
  buildJointMessageDraftCommand,
  buildMessageContent,
  buildUpdateCommand,
  minutesAfterNow,
  runCommands,
  testUuid,
  type Step,
} from '@lagesbild/shared/test-factories';
import { buildSessionInfo } from './fixtures';

/** The ids of the scripted joint message history, so tests can name what they look at. */
export const MESSAGE_SCENE = {
  incidentId: testUuid(1401),
  messageId: testUuid(1402),
  summoned: ['lansstyrelsen', 'nacka', 'region-stockholm', 'stockholm'],
  approvers: ['stockholm', 'nacka', 'region-stockholm'],
} as const;

/** Stockholm stad's communicator: drafts. */
export const stockholmBy: Attribution = buildCommunicatorAttribution('stockholm', {
  userId: 'user-stockholm-communicator',
  userName: 'Sara Stad',
});
/** Nacka's communicator: approves for Nacka. */
export const nackaBy: Attribution = buildCommunicatorAttribution('nacka', {
  userId: 'user-nacka-communicator',
  userName: 'Nina Nacka',
});
/** Region Stockholm's communicator. */
export const regionBy: Attribution = buildCommunicatorAttribution('region-stockholm', {
  userId: 'user-region-communicator',
  userName: 'Rut Region',
});

/** The signed-in session of an attribution's person, with its function. */
export const sessionOf = (by: Attribution): SessionInfo =>
  buildSessionInfo({
    user: { id: by.userId, username: by.userId, name: by.userName },
    actorId: by.actorId,
    functionIds: [by.functionId],
  });

/** Storm Ylva, activated for four actors at the test clock. */
export const activationStep = (): Step => ({
  command: buildActivateCommand({
    incidentId: MESSAGE_SCENE.incidentId,
    title: 'Storm Ylva',
    kind: 'weather',
    summonedActorIds: [...MESSAGE_SCENE.summoned],
  }),
  by: buildAttribution(),
});

/**
 * Saves a version of the scene's message on `baseVersion`, by Stockholm stad's communicator
 * naming the scene's approvers unless told.
 */
export const draftStep = (
  baseVersion: number,
  minutes: number,
  content: MessageContent = buildMessageContent(),
  by: Attribution = stockholmBy,
  approverActorIds: readonly string[] = MESSAGE_SCENE.approvers,
): Step => ({
  command: buildJointMessageDraftCommand({
    messageId: MESSAGE_SCENE.messageId,
    incidentId: MESSAGE_SCENE.incidentId,
    content,
    approverActorIds: [...approverActorIds],
    baseVersion,
  }),
  by,
  at: minutesAfterNow(minutes),
});

/** The lead actor's duty officer changes whom Storm Ylva summons. */
export const summonStep = (summonedActorIds: readonly string[], minutes: number): Step => ({
  command: buildUpdateCommand({
    incidentId: MESSAGE_SCENE.incidentId,
    summonedActorIds: [...summonedActorIds],
  }),
  by: buildAttribution(),
  at: minutesAfterNow(minutes),
});

/** The lead actor's duty officer closes Storm Ylva. */
export const closeStep = (minutes: number): Step => ({
  command: buildCloseCommand({ incidentId: MESSAGE_SCENE.incidentId }),
  by: buildAttribution(),
  at: minutesAfterNow(minutes),
});

/** A named actor's communicator approves `version`. */
export const approveStep = (version: number, by: Attribution, minutes: number): Step => ({
  command: buildJointMessageApproveCommand({
    messageId: MESSAGE_SCENE.messageId,
    version,
    forActorId: by.actorId,
  }),
  by,
  at: minutesAfterNow(minutes),
});

/**
 * Storm Ylva with its joint message: v1 drafted by Stockholm stad five minutes in (which is
 * Stockholm's approval) and, with `agreed`, approved by Nacka and Region Stockholm, which
 * agrees it. `more` follows. Through the real `decide` and `apply`.
 */
export function messageScene(options: { agreed?: boolean; more?: readonly Step[] } = {}): State {
  const steps: Step[] = [activationStep(), draftStep(0, 5)];
  if (options.agreed) steps.push(approveStep(1, nackaBy, 10), approveStep(1, regionBy, 12));
  return runCommands([...steps, ...(options.more ?? [])]).state;
}
