import type { Command, StaleDetails } from '@lagesbild/shared';

/**
 * The person's own change again, made on the item as it is now: an incident update on the
 * current version, a report superseding the actor's newest report. It is a new command with
 * a new id, since the refused id stays tied to the refused payload. Null when the refusal
 * is not about this command's item.
 */
export function changeOnCurrent(command: Command, stale: StaleDetails, newId: string): Command | null {
  if (command.type === 'incident.update' && stale.item === 'incident') {
    if (stale.incident.id !== command.payload.incidentId) return null;
    return {
      id: newId,
      type: command.type,
      payload: { ...command.payload, baseVersion: stale.incident.version },
    };
  }
  if (command.type === 'report.submit' && stale.item === 'report') {
    if (stale.report.incidentId !== command.payload.incidentId) return null;
    return { id: newId, type: command.type, payload: { ...command.payload, supersedes: stale.report.id } };
  }
  return null;
}
