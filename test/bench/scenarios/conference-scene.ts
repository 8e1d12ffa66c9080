import { randomUUID } from 'node:crypto';
import type { RegionConfig } from '@lagesbild/shared';
import { openingCommands } from './conference-script.js';
import { sendOk, summonedScene, type SummonedScene } from './summoned-scene.js';

/** An active incident with every actor summoned, its conference open, and who takes part. */
export type ConferenceScene = SummonedScene & { conferenceId: string };

/**
 * The summoned scene (`summonedScene`), then Länsstyrelsen schedules and opens the
 * incident's conference.
 */
export async function conferenceScene(
  hubUrl: string,
  region: RegionConfig,
  progress: (message: string) => void,
): Promise<ConferenceScene> {
  const scene = await summonedScene(hubUrl, region, progress, 'C1');
  const lead = scene.clients.get(region.leadActorId);
  if (!lead) throw new Error('the lead actor has no duty officer');
  const conferenceId = randomUUID();
  for (const { command } of openingCommands({ incidentId: scene.incidentId, conferenceId }, new Date())) {
    await sendOk(lead, command);
  }
  return { ...scene, conferenceId };
}
