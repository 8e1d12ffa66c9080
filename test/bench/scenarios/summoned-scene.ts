import { randomUUID } from 'node:crypto';
import type { RegionConfig } from '@lagesbild/shared';
import { buildAcknowledgeCommand } from '@lagesbild/shared/test-factories';
import { pair } from '../../support/admin.js';
import { signIn, type ApiClient } from '../../support/api-client.js';
import { activate, report } from '../../support/commands.js';
import { issueWall } from '../../support/wall-scene.js';
import { situationReport } from './conference-texts.js';

/** Actors that never acknowledge the activation: the minutes show them apart. */
const NEVER_ACKNOWLEDGED = ['nykvarn', 'vaxholm', 'stockholms-hamnar'];

/** An active incident that summons every actor, and the people and wall that follow it. */
export type SummonedScene = {
  incidentId: string;
  /** Every actor's duty officer (`tib.<actorId>`), signed in over HTTP, by actor id. */
  clients: Map<string, ApiClient>;
  /** The session cookie of a paired wall display. */
  wallCookie: string;
};

/** Sends a command and returns the seq of its last event; throws with the hub's reason when it is refused. */
export async function sendOk(client: ApiClient, command: { type: string }): Promise<number> {
  const answer = await client.command(command);
  if (!answer.body.ok) throw new Error(`${command.type} refused: ${answer.body.error.message}`);
  return answer.body.data.seq;
}

/**
 * Sets the scene through the hub's API as the people would: Länsstyrelsen activates an
 * incident summoning every actor, most actors acknowledge it and each files a situation
 * report, and an administrator pairs a wall. `label` begins the progress lines ("C1").
 */
export async function summonedScene(
  hubUrl: string,
  region: RegionConfig,
  progress: (message: string) => void,
  label: string,
): Promise<SummonedScene> {
  progress(`${label}: signing in ${region.actors.length} duty officers`);
  const clients = new Map<string, ApiClient>();
  for (const actor of region.actors) clients.set(actor.id, await signIn(hubUrl, `tib.${actor.id}`));
  const lead = clients.get(region.leadActorId);
  if (!lead) throw new Error('the lead actor has no duty officer');

  const activation = activate({ title: 'Storm Ylva över Stockholms län', summonedActorIds: [] });
  await sendOk(lead, activation);
  const incidentId = activation.payload.incidentId;
  progress(`${label}: acknowledgements and situation reports`);
  for (const [index, actor] of region.actors.entries()) {
    const client = clients.get(actor.id);
    if (!client) continue;
    if (actor.id !== region.leadActorId && !NEVER_ACKNOWLEDGED.includes(actor.id)) {
      await sendOk(client, buildAcknowledgeCommand({ commandId: randomUUID(), incidentId }));
    }
    await sendOk(client, report(incidentId, situationReport(actor.shortName, index)));
  }

  const issued = await issueWall(hubUrl, 'Väggen i ledningsrummet');
  const wall = await pair(hubUrl, issued.pairingCode);
  if (!('cookie' in wall)) throw new Error(`the wall did not pair: ${wall.code}`);
  return { incidentId, clients, wallCookie: wall.cookie };
}
