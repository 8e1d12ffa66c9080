import { z } from 'zod';
import { Slug } from './ids.js';
import { State } from './model.js';
import { RegionConfig } from './region.js';
import { StoredEventSchema } from './events.js';
import { PhoneNumber } from './directory.js';

/** `POST /api/session`: sign in with a local account. */
export const SignInRequest = z.strictObject({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

/** The header that must carry the session's CSRF token on every cookie-authenticated write. */
export const CSRF_HEADER = 'x-csrf-token';

/** The session cookie's name. */
export const SESSION_COOKIE = 'lagesbild_session';

/** Who is signed in, and what the client needs to draw the region. */
export const SessionInfo = z.strictObject({
  user: z.strictObject({ id: z.string(), username: z.string(), name: z.string() }),
  actorId: Slug,
  functionIds: z.array(Slug),
  csrfToken: z.string(),
  region: RegionConfig,
  tiles: z.strictObject({ url: z.string(), attribution: z.string() }),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

/** `GET /api/session` without a person's session: an ordinary answer, not an error. */
export const SignedOut = z.strictObject({ signedIn: z.literal(false) });
export type SignedOut = z.infer<typeof SignedOut>;

/**
 * `GET /api/session`: the person signed in with this cookie, or `{ signedIn: false }`. Not
 * a 401, because every first visit asks, and a browser logs each 401 as an error.
 */
export const SessionProbe = z.union([SessionInfo, SignedOut]);
export type SessionProbe = z.infer<typeof SessionProbe>;

/** `GET /api/state`: the caller's projection and the sequence number it reflects. */
export const StateResponse = z.strictObject({ epoch: z.string(), seq: z.number().int(), state: State });
export type StateResponse = z.infer<typeof StateResponse>;

/** `GET /api/events?after=N`: events the caller may see, and the hub's position after them. */
export const EventsResponse = z.strictObject({
  epoch: z.string(),
  events: z.array(StoredEventSchema),
  headSeq: z.number().int(),
});

/** Someone to call: the person, the actor and function they answer for, and the number. */
export const Contact = z.strictObject({
  accountId: z.string(),
  name: z.string(),
  actorId: Slug,
  functionId: Slug,
  phone: PhoneNumber,
});
export type Contact = z.infer<typeof Contact>;

/**
 * `GET /api/contacts`: the phone numbers the caller may see, and only those — walls and
 * actors outside an activation get none of them (docs/security.md).
 */
export const ContactsResponse = z.strictObject({
  /**
   * Keyed by the id of an active incident that summons the caller's actor: the duty
   * officers of its summoned actors who have a phone number.
   */
  incidents: z.record(z.string(), z.array(Contact)),
  /** Keyed by the id of a pending request the caller may decide on: the person who asked. */
  requests: z.record(z.string(), Contact),
});
export type ContactsResponse = z.infer<typeof ContactsResponse>;

/** Wraps a data schema into the `{ ok, data } | { ok, error }` envelope every answer uses. */
export const envelope = <T extends z.ZodType>(data: T) =>
  z.union([
    z.strictObject({ ok: z.literal(true), data }),
    z.strictObject({
      ok: z.literal(false),
      error: z.strictObject({ code: z.string(), message: z.string() }),
    }),
  ]);

/** `GET /api/auth/methods` (public): how the sign-in page may offer to sign in. */
export const AuthMethods = z.strictObject({ password: z.literal(true), oidc: z.boolean() });
export type AuthMethods = z.infer<typeof AuthMethods>;

/**
 * Why a sign-in through the identity provider was refused; the hub redirects to
 * `/?signin_error=<code>` and the sign-in page explains it.
 */
export const OIDC_SIGNIN_ERRORS = [
  /** OpenID Connect is not configured, or the provider cannot be reached. */
  'oidc_unavailable',
  /** The sign-in took too long, or was started in another browser. */
  'expired',
  /** The answer does not belong to the sign-in this browser started. */
  'state_mismatch',
  /** The person (or the provider) cancelled. */
  'denied',
  /** The provider answered with an error or a token that does not validate. */
  'provider_error',
  /** The provider did not say which actor or functions the person has. */
  'missing_claims',
  /** The actor named by the provider is not part of the region. */
  'unknown_actor',
  /** A function named by the provider is not defined in the region. */
  'unknown_function',
  /** An administrator has disabled the account. */
  'account_disabled',
  /** Too many sign-ins from this address; wait a minute. */
  'rate_limited',
  /** The hub could not save the account or open a session; try again. */
  'unavailable',
] as const;
export const OidcSignInError = z.enum(OIDC_SIGNIN_ERRORS);
export type OidcSignInError = z.infer<typeof OidcSignInError>;
