import type { Attribution, DirectiveContent, State } from '@lagesbild/shared';
import {
  buildActivateCommand,
  buildAttribution,
  buildDirectingAttribution,
  buildDirectiveContent,
  buildDirectiveDraftCommand,
  decideDraftStep,
  draftSeqOf,
  minutesAfterNow,
  runCommands,
  testUuid,
  type Step,
} from '@lagesbild/shared/test-factories';

/** The ids of the scripted directive history, so tests can name what they look at. */
export const DIRECTIVE_SCENE = {
  incidentId: testUuid(1301),
  directiveId: testUuid(1302),
  /** The default content's items: Nacka's, then Region Stockholm's. */
  nackaItem: testUuid(0xd1),
  regionItem: testUuid(0xd2),
  summoned: ['lansstyrelsen', 'nacka', 'region-stockholm', 'stockholm'],
} as const;

/** Länsstyrelsen's duty officer: activates. */
export const leadBy = buildAttribution();
/** Länsstyrelsen's coordinator: drafts. */
export const coordinatorBy: Attribution = buildAttribution({
  userId: 'user-lansstyrelsen-coordinator',
  userName: 'Cecilia Carlsson',
  functionId: 'coordinator',
});
/** Länsstyrelsen's head on duty: decides. */
export const directingBy = buildDirectingAttribution();
/** Nacka's duty officer: owns an item. */
export const nackaBy: Attribution = buildAttribution({
  userId: 'user-nacka-tib',
  userName: 'Nils Nord',
  actorId: 'nacka',
  functionId: 'dutyOfficer',
});

/** The step that drafts the scene's directive on `baseVersion` over the draft saved then, by the coordinator. */
export const draftStep = (content: DirectiveContent, baseVersion: number, minutes: number): Step => ({
  command: (state) =>
    buildDirectiveDraftCommand({
      directiveId: DIRECTIVE_SCENE.directiveId,
      incidentId: DIRECTIVE_SCENE.incidentId,
      content,
      baseVersion,
      baseDraftSeq: draftSeqOf(state, DIRECTIVE_SCENE.directiveId),
    }),
  by: coordinatorBy,
  at: minutesAfterNow(minutes),
});

/** The step that decides the scene's draft (as saved then) as the next version, by Länsstyrelsen's head. */
export const decideStep = (baseVersion: number, minutes: number): Step => ({
  command: decideDraftStep({ directiveId: DIRECTIVE_SCENE.directiveId, baseVersion }),
  by: directingBy,
  at: minutesAfterNow(minutes),
});

/** Storm Ylva, activated for four actors at the test clock, without a directive yet. */
export const activationStep = (): Step => ({
  command: buildActivateCommand({
    incidentId: DIRECTIVE_SCENE.incidentId,
    title: 'Storm Ylva',
    kind: 'weather',
    summonedActorIds: [...DIRECTIVE_SCENE.summoned],
  }),
  by: leadBy,
});

/**
 * Storm Ylva with a directive: drafted five minutes in and, with `decided`, decided as v1
 * at ten (the default content: items for Nacka and Region Stockholm, review at four hours).
 * `more` follows. Through the real `decide` and `apply`.
 */
export function directiveScene({
  decided = true,
  more = [],
}: { decided?: boolean; more?: readonly Step[] } = {}): State {
  const steps: Step[] = [activationStep(), draftStep(buildDirectiveContent(), 0, 5)];
  if (decided) steps.push(decideStep(0, 10));
  return runCommands([...steps, ...more]).state;
}
