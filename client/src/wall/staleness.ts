import type { ConnectionStatus } from '../stores/connection';

/**
 * How long the link may be down before the wall calls its data stale. A hub restart or a
 * load balancer hand-over takes a second or two; flashing a warning for those would teach
 * the room to ignore it.
 */
export const STALE_GRACE_MS = 3_000;

/**
 * What the wall can say about its data:
 * - `live`: the link is up; the picture is the hub's.
 * - `waiting`: the wall has not been in sync yet since it started, so it has no data.
 * - `stale`: the link has been down past the grace; the picture is as it was at `since`.
 */
export type Staleness =
  { kind: 'live' } | { kind: 'waiting' } | { kind: 'stale'; since: number; ageMs: number };

/** The inputs: the link's status, and when (client clock, ms) it was last lost. */
export type LinkHistory = {
  status: ConnectionStatus;
  /** When the link went from online to anything else; null while online or before the first connection. */
  lostAt: number | null;
  /** Whether the wall has been in sync at least once since it started. */
  everSynced: boolean;
};

/**
 * Decides what the wall shows about the age of its data. The data was complete up to the
 * moment the link was lost, so that moment — not the last event, which may be hours old on
 * a quiet day — is what its age is counted from.
 */
export function staleness(link: LinkHistory, now: number, graceMs = STALE_GRACE_MS): Staleness {
  if (link.status === 'online') return { kind: 'live' };
  if (!link.everSynced || link.lostAt === null) return { kind: 'waiting' };
  const ageMs = Math.max(0, now - link.lostAt);
  return ageMs < graceMs ? { kind: 'live' } : { kind: 'stale', since: link.lostAt, ageMs };
}

/** What the wall shows: its link's staleness, or that its hub is cut off from its log. */
export type WallStaleness = Staleness | { kind: 'hubStale'; since: number; ageMs: number };

/**
 * Adds the hub's word to the link's staleness. A wall connected to a hub that is cut off
 * from its log (`hub.status` stale) is stale too, since the hub's last contact: events of
 * other hubs are not reaching it, however live the link looks. A lost link says more (the
 * wall hears nothing at all) and wins. The hub waits out its own grace before it says so.
 */
export function withHubContact(link: Staleness, hubStaleSince: string | null, now: number): WallStaleness {
  if (link.kind !== 'live' || hubStaleSince === null) return link;
  const since = Date.parse(hubStaleSince);
  if (Number.isNaN(since)) return link;
  return { kind: 'hubStale', since, ageMs: Math.max(0, now - since) };
}

/**
 * Folds a status change into the link history. Kept apart from the store so the rule —
 * the loss is stamped once, when leaving `online`, and cleared on return — is tested alone.
 */
export function nextLinkHistory(previous: LinkHistory, status: ConnectionStatus, now: number): LinkHistory {
  if (status === 'online') return { status, lostAt: null, everSynced: true };
  const lostAt = previous.status === 'online' ? now : previous.lostAt;
  return { status, lostAt, everSynced: previous.everSynced };
}
