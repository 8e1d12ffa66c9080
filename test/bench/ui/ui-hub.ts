import { randomUUID } from 'node:crypto';
import { buildMapFeature, stockholmRegion } from '@lagesbild/shared/test-factories';
import type { MapFeature } from '@lagesbild/shared';
import { signIn, type ApiClient } from '../../support/api-client.js';
import { startBrowserHub } from '../../support/browser.js';
import { activate, report } from '../../support/commands.js';
import type { HubProcess } from '../../support/hub-process.js';

/** A hub for the UI figures: the browser's origin, and limits that a bench does not trip. */
export function startUiHub(): Promise<HubProcess> {
  return startBrowserHub({
    env: {
      LOG_LEVEL: 'info',
      RATE_COMMANDS_PER_USER_PER_SEC: '1000',
      RATE_COMMANDS_BURST_PER_USER: '1000',
      RATE_COMMANDS_PER_IP_PER_SEC: '5000',
      RATE_COMMANDS_BURST_PER_IP: '5000',
      RATE_SIGNINS_PER_IP_PER_MIN: '1000',
    },
  });
}

/** An active incident, activated by the lead actor through the API. */
export async function activeIncident(
  hubUrl: string,
  title: string,
): Promise<{ lead: ApiClient; incidentId: string }> {
  const lead = await signIn(hubUrl, 'tib.lansstyrelsen');
  const command = activate({ title, nextConferenceAt: null });
  const answer = await lead.command(command);
  if (!answer.body.ok) throw new Error(`activation refused: ${answer.body.error.message}`);
  return { lead, incidentId: command.payload.incidentId };
}

// A deterministic spread over Stockholm County, so every run draws the same picture.
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Features of mixed shapes and kinds around the county, as one actor would report them. */
function featuresFor(actorIndex: number, count: number): MapFeature[] {
  const random = seeded(actorIndex + 1);
  const d = 0.004;
  return Array.from({ length: count }, (_, i): MapFeature => {
    const lng = Math.round((17.5 + random() * 1.4) * 1e5) / 1e5;
    const lat = Math.round((59.0 + random() * 0.9) * 1e5) / 1e5;
    const shape = i % 20;
    if (shape < 12) {
      return buildMapFeature({
        id: randomUUID(),
        kind: i % 2 ? 'resource' : 'evacuationCentre',
        label: `P${i}`,
        geometry: { type: 'Point', coordinates: [lng, lat] },
      });
    }
    if (shape < 17) {
      return buildMapFeature({
        id: randomUUID(),
        kind: 'closedRoad',
        label: `L${i}`,
        geometry: {
          type: 'LineString',
          coordinates: [
            [lng, lat],
            [lng + d, lat + d / 2],
            [lng + 2 * d, lat],
          ],
        },
      });
    }
    return buildMapFeature({
      id: randomUUID(),
      kind: 'affectedArea',
      label: `A${i}`,
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [lng, lat],
            [lng + d, lat],
            [lng + d, lat + d],
            [lng, lat + d],
            [lng, lat],
          ],
        ],
      },
    });
  });
}

/**
 * Situation reports with `total` map features in all, 200 per actor (the most one report
 * may carry), each from its own actor's duty officer, so the map shows them all.
 */
export async function seedFeatures(hubUrl: string, incidentId: string, total: number): Promise<number> {
  const perReport = 200;
  const actors = Math.ceil(total / perReport);
  const actorIds = stockholmRegion()
    .actors.map((a) => a.id)
    .filter((id) => id !== 'lansstyrelsen')
    .slice(0, actors);
  if (actorIds.length < actors) throw new Error(`the region has too few actors for ${total} features`);
  let seeded = 0;
  for (const [index, actorId] of actorIds.entries()) {
    const client = await signIn(hubUrl, `tib.${actorId}`);
    const count = Math.min(perReport, total - seeded);
    const answer = await client.command(
      report(incidentId, { happened: `Läget hos ${actorId}`, features: featuresFor(index, count) }),
    );
    if (!answer.body.ok) throw new Error(`report refused: ${answer.body.error.message}`);
    seeded += count;
  }
  return seeded;
}
