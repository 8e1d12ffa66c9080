import {
  DUTY_OFFICER_FUNCTION,
  authorize,
  canDecideRequests,
  ownEntry,
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
 * - The people of the summoned actors of an active incident who take part in the
 *   activation — who may acknowledge it or decide requests — see the numbers of each
 *   other's duty officers, to call round when somebody has not acknowledged. A read-only
 *   viewer has no call to make, so sees none.
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
  const mayDecide = canDecideRequests(region, viewer);
  const mayCallRound = mayDecide || authorize(region, viewer, 'activation.acknowledge').ok;

  for (const incident of Object.values(state.incidents)) {
    if (incident.status === 'active') {
      const summoned = summonedActors(incident, region);
      if (!mayCallRound || !summoned.has(viewer.actorId)) continue;
      incidents[incident.id] = accounts
        .filter((a) => summoned.has(a.actorId) && a.functionIds.includes(DUTY_OFFICER_FUNCTION))
        .map((a) => contactOf(a, DUTY_OFFICER_FUNCTION))
        .filter((c) => c !== null)
        .sort((a, b) => a.actorId.localeCompare(b.actorId) || a.name.localeCompare(b.name, 'sv'));
    } else if (incident.status === 'requested' && mayDecide && incident.requestedBy) {
      const requester = ownEntry(directory.accounts, incident.requestedBy.userId);
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
