import {
  DUTY_OFFICER_FUNCTION,
  authorize,
  type Contact,
  type ContactsResponse,
  type DirectoryAccount,
  type DirectoryState,
  type Incident,
  type RegionConfig,
  type Sender,
  type State,
} from '@lagesbild/shared';

/**
 * Phone numbers are personal data: the hub hands them out only to a person who needs them
 * to do the job, and only over `GET /api/contacts` — never in events, snapshots or the
 * region, which walls and every actor receive.
 *
 * - The summoned actors of an active incident see the numbers of each other's duty
 *   officers, to call round when somebody has not acknowledged.
 * - Whoever may decide on a pending request (activate or decline it) sees the number of
 *   the person who asked, to call back before deciding.
 */
export function contactsFor(
  viewer: Sender,
  state: State,
  directory: DirectoryState,
  region: RegionConfig,
): ContactsResponse {
  const incidents: ContactsResponse['incidents'] = {};
  const requests: ContactsResponse['requests'] = {};
  const accounts = Object.values(directory.accounts).filter((a) => !a.disabled && a.phone !== undefined);
  const mayDecide =
    authorize(region, viewer, 'incident.activate').ok || authorize(region, viewer, 'incident.close').ok;

  for (const incident of Object.values(state.incidents)) {
    if (incident.status === 'active') {
      const summoned = summonedActors(incident, region);
      if (!summoned.has(viewer.actorId)) continue;
      incidents[incident.id] = accounts
        .filter((a) => summoned.has(a.actorId) && a.functionIds.includes(DUTY_OFFICER_FUNCTION))
        .map((a) => contactOf(a, DUTY_OFFICER_FUNCTION))
        .filter((c) => c !== null)
        .sort((a, b) => a.actorId.localeCompare(b.actorId) || a.name.localeCompare(b.name, 'sv'));
    } else if (incident.status === 'requested' && mayDecide && incident.requestedBy) {
      const requester = directory.accounts[incident.requestedBy.userId];
      const contact = requester?.disabled ? null : contactOf(requester, incident.requestedBy.functionId);
      if (contact) requests[incident.id] = contact;
    }
  }
  return { incidents, requests };
}

/** The actors an incident summons; an empty summons means every actor of the region. */
function summonedActors(incident: Incident, region: RegionConfig): Set<string> {
  return new Set(
    incident.summonedActorIds.length > 0 ? incident.summonedActorIds : region.actors.map((a) => a.id),
  );
}

function contactOf(account: DirectoryAccount | undefined, functionId: string): Contact | null {
  if (!account?.phone) return null;
  return {
    accountId: account.id,
    name: account.name,
    actorId: account.actorId,
    functionId,
    phone: account.phone,
  };
}
