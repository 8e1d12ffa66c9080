import { randomUUID } from 'node:crypto';
import { DevicePairing, envelope } from '@lagesbild/shared';
import { buildAcknowledgeCommand } from '@lagesbild/shared/test-factories';
import { call } from './admin';
import { signIn } from './api-client';
import { activate, report } from './commands';

/** An administrator issues a wall device; the answer holds the one-time pairing code. */
export async function issueWall(hubUrl: string, name: string): Promise<DevicePairing> {
  const admin = await signIn(hubUrl, 'admin.lansstyrelsen');
  const answer = await call(admin, 'POST', '/api/admin/devices', { name, views: ['wall'] });
  const body = envelope(DevicePairing).parse(answer.body);
  if (!body.ok) throw new Error(`could not issue a device: ${body.error.message}`);
  return body.data;
}

/** Actors that acknowledge and report in the busy scene: long names among them. */
const REPORTERS = ['nacka', 'upplands-vasby', 'sodertalje'] as const;

/**
 * The fullest picture a wall normally shows: one incident with every actor summoned, some
 * acknowledged, and three reports in the ticker. Used to check text size and overflow.
 */
export async function busyIncident(
  hubUrl: string,
  title = 'Storm Ylva över Stockholms län',
): Promise<string> {
  const lead = await signIn(hubUrl, 'tib.lansstyrelsen');
  const activation = activate({
    title,
    summonedActorIds: [],
    nextConferenceAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  const activated = await lead.command(activation);
  if (!activated.body.ok) throw new Error(`activation refused: ${activated.body.error.message}`);
  const incidentId = activation.payload.incidentId;
  for (const actorId of REPORTERS) {
    const officer = await signIn(hubUrl, `tib.${actorId}`);
    const acknowledged = await officer.command(
      buildAcknowledgeCommand({ commandId: randomUUID(), incidentId }),
    );
    if (!acknowledged.body.ok) throw new Error(`acknowledgement refused: ${acknowledged.body.error.message}`);
    const reported = await officer.command(
      report(incidentId, {
        happened: 'Träd över vägen på flera platser, elavbrott i norra delen av kommunen sedan i natt',
        status: actorId === 'nacka' ? 'severe' : 'strained',
      }),
    );
    if (!reported.body.ok) throw new Error(`report refused: ${reported.body.error.message}`);
  }
  return incidentId;
}
