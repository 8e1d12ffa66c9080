import { LIMITS, type Attribution, type RegionConfig } from '@lagesbild/shared';

/**
 * Who a change is written in the log as made by. Every event carries one, and other
 * clients show it, so every part of the hub builds it here, the same way.
 */
export type Author =
  /** A signed-in person acting in one of their functions. */
  | { kind: 'person'; person: { userId: string; userName: string; actorId: string }; functionId: string }
  /**
   * The hub itself, or a tool acting for it (seeding, OpenID Connect sign-in, the admin
   * command-line tool): in the name of the region's lead actor, as administrator.
   */
  | { kind: 'hub'; userId: string; userName: string; region: RegionConfig }
  /** A paired wall display changing its own credential. */
  | { kind: 'device'; device: { id: string; name: string }; region: RegionConfig };

/** The attribution of a change; names are cut to what the log accepts. */
export function attribution(author: Author): Attribution {
  switch (author.kind) {
    case 'person':
      return {
        userId: author.person.userId,
        userName: author.person.userName.slice(0, LIMITS.maxShortTextLength),
        actorId: author.person.actorId,
        functionId: author.functionId,
      };
    case 'hub':
      return {
        userId: author.userId,
        userName: author.userName.slice(0, LIMITS.maxShortTextLength),
        actorId: author.region.leadActorId,
        functionId: 'admin',
      };
    case 'device':
      return {
        userId: `device:${author.device.id}`,
        userName: author.device.name.slice(0, LIMITS.maxShortTextLength),
        actorId: author.region.leadActorId,
        functionId: 'device',
      };
  }
}
