import type { DirectoryState, RegionConfig } from '@lagesbild/shared';
import type { HubState } from '../hub/hub-state.js';

/**
 * The region as everybody sees it: the region file's actors with the directory's actors
 * laid over them (an administrator's change replaces the file's actor of the same id, a
 * new actor is added at the end). Functions and rights come from the file only.
 */
export function overlayRegion(base: RegionConfig, directory: DirectoryState): RegionConfig {
  const added = Object.values(directory.actors);
  if (added.length === 0) return base;
  const byId = new Map(added.map((a) => [a.id, a]));
  const fileIds = new Set(base.actors.map((a) => a.id));
  return {
    ...base,
    actors: [...base.actors.map((a) => byId.get(a.id) ?? a), ...added.filter((a) => !fileIds.has(a.id))],
  };
}

/**
 * The one way the hub reads the region. The overlay is rebuilt only when an actor changes:
 * the write path and the broadcaster read the region for every command and batch.
 */
export function regionView(base: RegionConfig, hub: HubState): () => RegionConfig {
  let current = overlayRegion(base, hub.directory);
  hub.onEvents((events) => {
    if (events.some((e) => e.type === 'actor.saved')) current = overlayRegion(base, hub.directory);
  });
  return () => current;
}
