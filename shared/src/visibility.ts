import { isDirectoryEventType } from './directory.js';
import type { StoredEvent } from './events.js';
import type { Sharing, State } from './model.js';

/**
 * Who is looking: a signed-in person of an actor, or a paired wall display, which belongs
 * to no actor and therefore sees only what is shared with the whole region.
 */
export type Viewer = { kind: 'actor'; actorId: string } | { kind: 'device' };

/** Who may receive an event: everybody, only the named actors, or no client at all. */
export type Audience =
  { scope: 'all' } | { scope: 'actors'; actorIds: readonly string[] } | { scope: 'none' };

/** The audience of an item owned by `ownerActorId` with the given sharing. */
export function sharingAudience(ownerActorId: string, sharing: Sharing): Audience {
  switch (sharing.scope) {
    case 'region':
      return { scope: 'all' };
    case 'own':
      return { scope: 'actors', actorIds: [ownerActorId] };
    case 'actors':
      return { scope: 'actors', actorIds: [...new Set([ownerActorId, ...sharing.actorIds])] };
  }
}

/** Whether the viewer belongs to the audience. */
export function inAudience(viewer: Viewer, audience: Audience): boolean {
  if (audience.scope === 'all') return true;
  if (audience.scope === 'none') return false;
  return viewer.kind === 'actor' && audience.actorIds.includes(viewer.actorId);
}

/**
 * The audience of an event: restricted for items that carry a sharing level, and nobody
 * for directory events, which only the hubs fold.
 */
export function eventAudience(event: StoredEvent): Audience {
  if (isDirectoryEventType(event.type)) return { scope: 'none' };
  switch (event.type) {
    case 'report.submitted':
      return sharingAudience(event.payload.report.actorId, event.payload.report.sharing);
    case 'logEntry.added':
      return sharingAudience(event.payload.entry.by.actorId, event.payload.entry.sharing);
    default:
      return { scope: 'all' };
  }
}

/** Whether the viewer may receive the event. */
export const canSeeEvent = (viewer: Viewer, event: StoredEvent): boolean =>
  inAudience(viewer, eventAudience(event));

/**
 * The part of the state the viewer may see. Folding the events the viewer may see into
 * its projection gives the projection of the folded state, so a client converges on it.
 */
export function projectState(state: State, viewer: Viewer): State {
  const visible = <T extends { sharing: Sharing }>(items: Record<string, T>, owner: (item: T) => string) =>
    Object.fromEntries(
      Object.entries(items).filter(([, item]) =>
        inAudience(viewer, sharingAudience(owner(item), item.sharing)),
      ),
    );
  return {
    ...state,
    reports: visible(state.reports, (r) => r.actorId),
    logEntries: visible(state.logEntries, (e) => e.by.actorId),
  };
}
