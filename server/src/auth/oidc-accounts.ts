import { createHash } from 'node:crypto';
import {
  DirectoryAccount,
  lookAlikeOf,
  type DirectoryState,
  type EventDraft,
  type OidcSignInError,
  type RegionConfig,
} from '@lagesbild/shared';
import { z } from 'zod';

/** Who the provider says the person is, in the region's terms. */
export type OidcIdentity = {
  /** `iss#sub`: stable per person and provider, never reused for someone else. */
  externalId: string;
  actorId: string;
  functionIds: string[];
  preferredUsername: string | null;
  name: string;
};

const Text = z.string().trim().min(1);
const FunctionList = z.union([z.array(Text).min(1).max(20), Text.transform((s) => s.split(/[\s,]+/))]);

/**
 * Maps validated ID token / userinfo claims to an actor and functions of the region.
 * Unknown actors and functions are refused rather than dropped: a person signed in with
 * fewer or other rights than the provider meant would act wrongly in a crisis.
 */
export function identityFromClaims(
  claims: Record<string, unknown>,
  names: { actorClaim: string; functionsClaim: string },
  region: RegionConfig,
  directory: DirectoryState,
): { ok: true; identity: OidcIdentity } | { ok: false; error: OidcSignInError } {
  const iss = Text.safeParse(claims.iss);
  const sub = Text.safeParse(claims.sub);
  const actor = Text.safeParse(claims[names.actorClaim]);
  const functions = FunctionList.safeParse(claims[names.functionsClaim]);
  if (!iss.success || !sub.success || !actor.success || !functions.success) {
    return { ok: false, error: 'missing_claims' };
  }
  const externalId = `${iss.data}#${sub.data}`;
  if (!DirectoryAccount.shape.externalId.safeParse(externalId).success) {
    return { ok: false, error: 'missing_claims' };
  }
  const actorIds = new Set([...region.actors.map((a) => a.id), ...Object.keys(directory.actors)]);
  if (!actorIds.has(actor.data)) return { ok: false, error: 'unknown_actor' };
  const functionIds = new Set(region.functions.map((f) => f.id));
  const wanted = [...new Set(functions.data.filter(Boolean))];
  if (wanted.length === 0) return { ok: false, error: 'missing_claims' };
  if (!wanted.every((f) => functionIds.has(f))) return { ok: false, error: 'unknown_function' };

  const username = Text.max(100).safeParse(claims.preferred_username ?? claims.email);
  const name = Text.max(200).safeParse(claims.name);
  return {
    ok: true,
    identity: {
      externalId,
      actorId: actor.data,
      functionIds: wanted,
      preferredUsername: username.success ? username.data : null,
      name: name.success ? name.data : username.success ? username.data : sub.data.slice(0, 200),
    },
  };
}

/** The account id for an external identity: derived, so every hub picks the same one. */
export const oidcAccountId = (externalId: string) =>
  `oidc.${createHash('sha256').update(externalId).digest('base64url').slice(0, 24)}`;

/**
 * The account for a sign-in: the one linked to this external identity, with actor,
 * functions and name updated from the provider on every sign-in (the provider decides who
 * is on shift), or a new one. Returns the events that make it so (none if unchanged).
 */
export function accountForIdentity(
  directory: DirectoryState,
  identity: OidcIdentity,
): { ok: true; account: DirectoryAccount; events: EventDraft[] } | { ok: false; error: OidcSignInError } {
  const linked = Object.values(directory.accounts).find((a) => a.externalId === identity.externalId);
  if (linked?.disabled) return { ok: false, error: 'account_disabled' };
  const id = linked?.id ?? oidcAccountId(identity.externalId);
  const account: DirectoryAccount = {
    id,
    username: linked?.username ?? freeUsername(directory, identity.preferredUsername, id),
    name: identity.name,
    actorId: identity.actorId,
    functionIds: identity.functionIds,
    disabled: false,
    externalId: identity.externalId,
    // The provider says nothing about phones: keep the number an administrator set.
    ...(linked?.phone === undefined ? {} : { phone: linked.phone }),
  };
  const unchanged =
    linked !== undefined &&
    linked.name === account.name &&
    linked.actorId === account.actorId &&
    linked.functionIds.join() === account.functionIds.join();
  return { ok: true, account, events: unchanged ? [] : [{ type: 'account.saved', payload: { account } }] };
}

/**
 * The provider's username unless another account has it already, or one that looks like it
 * (look-alike.ts); then the account id.
 */
function freeUsername(directory: DirectoryState, preferred: string | null, id: string): string {
  if (!preferred) return id;
  const others = Object.values(directory.accounts).filter((a) => a.id !== id);
  return lookAlikeOf(
    preferred,
    others.map((a) => a.username),
  ) === undefined
    ? preferred
    : id;
}
