import type { Attribution, Command, ConferenceStep, State } from '@lagesbild/shared';
import {
  buildAcknowledgeCommand,
  buildActivateCommand,
  buildAttribution,
  buildConferenceCloseCommand,
  buildConferenceOpenCommand,
  buildConferenceScheduleCommand,
  buildConferenceStepCommand,
  buildReportCommand,
  minutesAfterNow,
  runCommands,
  testUuid,
  type Step,
} from '@lagesbild/shared/test-factories';

/** The ids of the scripted conference history, so tests can name what they look at. */
export const SCENE = {
  incidentId: testUuid(901),
  firstConferenceId: testUuid(902),
  conferenceId: testUuid(903),
  summoned: ['lansstyrelsen', 'nacka', 'huddinge', 'polisen'],
} as const;

/** Länsstyrelsen's duty officer: the chair. */
export const chairBy = buildAttribution();
/** Nacka's duty officer. */
export const nackaBy: Attribution = buildAttribution({
  userId: 'user-nacka-tib',
  userName: 'Nils Nord',
  actorId: 'nacka',
  functionId: 'dutyOfficer',
});

/**
 * Storm Ylva with four actors summoned; Nacka acknowledges and reports, a first conference
 * is held and closed, Nacka reports twice more, and the second conference runs, at
 * `step`. Huddinge never acknowledges. Through the real `decide` and `apply`.
 */
export function conferenceScene(
  step: ConferenceStep = 'rollCall',
  more: readonly Step[] = [],
): { state: State; conferenceId: string } {
  const { incidentId, firstConferenceId, conferenceId } = SCENE;
  const at = (minutes: number) => minutesAfterNow(minutes);
  const chair = (command: Command, minutes: number): Step => ({ command, by: chairBy, at: at(minutes) });
  const steps: Step[] = [
    chair(
      buildActivateCommand({ incidentId, summonedActorIds: [...SCENE.summoned], nextConferenceAt: null }),
      0,
    ),
    { command: buildAcknowledgeCommand({ incidentId }), by: nackaBy, at: at(1) },
    { command: buildReportCommand({ incidentId, status: 'normal' }), by: nackaBy, at: at(2) },
    chair(
      buildConferenceScheduleCommand({ conferenceId: firstConferenceId, incidentId, scheduledAt: at(10) }),
      3,
    ),
    chair(buildConferenceOpenCommand({ conferenceId: firstConferenceId }), 10),
    chair(buildConferenceCloseCommand({ conferenceId: firstConferenceId }), 20),
    { command: buildReportCommand({ incidentId, status: 'strained' }), by: nackaBy, at: at(30) },
    {
      command: buildReportCommand({ incidentId, status: 'severe', needs: 'Två elverk' }),
      by: nackaBy,
      at: at(31),
    },
    chair(buildConferenceScheduleCommand({ conferenceId, incidentId, scheduledAt: at(60) }), 32),
    chair(buildConferenceOpenCommand({ conferenceId }), 60),
  ];
  const order = [
    'rollCall',
    'convenerPicture',
    'rounds',
    'assessment',
    'directives',
    'jointMessage',
    'nextConference',
  ];
  for (let i = 0; i < order.indexOf(step); i++) {
    steps.push(
      chair(
        buildConferenceStepCommand({
          conferenceId,
          fromStep: order[i] as ConferenceStep,
          toStep: order[i + 1] as ConferenceStep,
        }),
        61 + i,
      ),
    );
  }
  return { state: runCommands([...steps, ...more]).state, conferenceId };
}
