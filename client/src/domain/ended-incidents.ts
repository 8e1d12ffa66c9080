import { closingOrder, newestFirst, type Incident } from '@lagesbild/shared';

/**
 * A request for joint handling that was declined: closed without ever being activated.
 * Declining and closing are one command, so the activation time is what tells them apart.
 */
export const isDeclinedRequest = (incident: Incident): boolean =>
  incident.status === 'closed' && incident.activatedAt === null;

/** Incidents that were handled in activated mode and then closed, the last closed (in the log) first. */
export function endedIncidents(incidents: Readonly<Record<string, Incident>>, limit: number): Incident[] {
  return Object.values(incidents)
    .filter((incident) => incident.status === 'closed' && !isDeclinedRequest(incident))
    .sort((a, b) => newestFirst(closingOrder(a), closingOrder(b)))
    .slice(0, limit);
}
