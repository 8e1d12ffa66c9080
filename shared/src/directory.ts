import { z } from 'zod';
import { IsoTime, Slug } from './ids.js';
import type { StoredEvent } from './events.js';
import { setEntry } from './records.js';
import { Actor } from './region.js';

/**
 * The directory — accounts, devices and actors added after start — lives in the same log
 * as the domain, so every hub sees an administrator's change in order, at once, without a
 * restart, and the change is itself recorded. Directory events are folded only by the
 * hubs: they are never sent to a client (their audience is `none`).
 */

/**
 * A phone number as stored: E.164, a plus and 8–15 digits, the first not 0
 * (`+46701740605`). Every input form is normalised to this by `PhoneNumberInput`.
 */
export const PhoneNumber = z.string().regex(/^\+[1-9]\d{7,14}$/, 'must be in E.164 form, e.g. +46701740605');
export type PhoneNumber = z.infer<typeof PhoneNumber>;

/** Why a typed phone number was refused; one text for the API, the CLI and the hub. */
export const PHONE_NUMBER_HINT =
  'must be a phone number in E.164 form (+46 70 174 06 05) or Swedish form (070-174 06 05)';

/**
 * Normalises a phone number as people type it — `070-174 06 05`, `08-123 456 78`,
 * `+46 70 174 06 05`, `0046 70…` — to E.164, assuming Sweden (+46) for a number with a
 * leading 0. Spaces, dashes, dots and parentheses are dropped. Null when it is not one.
 */
export function normalisePhoneNumber(typed: string): PhoneNumber | null {
  const trimmed = typed.trim();
  if (trimmed.length > 40 || !/^\+?[\d\s\-.()]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/[^\d]/g, '');
  let e164: string;
  if (trimmed.startsWith('+')) e164 = `+${digits}`;
  else if (digits.startsWith('00')) e164 = `+${digits.slice(2)}`;
  // A Swedish number has 7–9 digits after the trunk 0 (08-123 456 up to 070-123 45 67).
  else if (/^0[1-9]\d{6,8}$/.test(digits)) e164 = `+46${digits.slice(1)}`;
  else return null;
  // "+46 070…" keeps the trunk 0 that must go; refuse rather than guess which was meant.
  if (e164.startsWith('+460')) return null;
  return PhoneNumber.safeParse(e164).success ? e164 : null;
}

/**
 * A stored number as Swedes write it: `070-174 06 05`, `08-465 004 10`; other Swedish
 * numbers as 0 and digits (their area codes vary in length), foreign ones in E.164.
 */
export function formatPhoneNumber(phone: PhoneNumber): string {
  const mobile = /^\+467(\d)(\d{3})(\d{2})(\d{2})$/.exec(phone);
  if (mobile) return `07${mobile[1]}-${mobile[2]} ${mobile[3]} ${mobile[4]}`;
  const stockholm = /^\+468(\d{3})(\d{2,3})(\d{2})$/.exec(phone);
  if (stockholm) return `08-${stockholm[1]} ${stockholm[2]} ${stockholm[3]}`;
  return phone.startsWith('+46') ? `0${phone.slice(3)}` : phone;
}

/** A phone number as typed at a boundary (API body, CLI option), normalised to E.164. */
export const PhoneNumberInput = z
  .string()
  .max(40, PHONE_NUMBER_HINT)
  .transform((typed, ctx) => {
    const normalised = normalisePhoneNumber(typed);
    if (normalised === null) {
      ctx.addIssue({ code: 'custom', message: PHONE_NUMBER_HINT });
      return z.NEVER;
    }
    return normalised;
  });

/**
 * The function whose holders answer for their actor around the clock: their phone numbers
 * are what the summoned actors of an activation see of each other.
 */
export const DUTY_OFFICER_FUNCTION = 'dutyOfficer';

/** The function whose holders administer the hub: accounts, devices, the audit trail. */
export const ADMIN_FUNCTION = 'admin';

/** A person's account: one actor, one or more functions, whoever is on shift. */
export const DirectoryAccount = z.strictObject({
  id: z.string().min(1).max(100),
  username: z.string().min(1).max(100),
  name: z.string().min(1).max(200),
  actorId: Slug,
  functionIds: z.array(Slug).max(20),
  disabled: z.boolean(),
  /** The identity provider's subject, for accounts that sign in through OpenID Connect. */
  externalId: z.string().max(300).nullable(),
  /**
   * Where the person on this account can be called. Optional, so accounts saved before
   * phone numbers existed still read; absent means none.
   */
  phone: PhoneNumber.optional(),
});
export type DirectoryAccount = z.infer<typeof DirectoryAccount>;

/** The read-only views a paired device may show. */
export const DEVICE_VIEWS = ['wall'] as const;

/** A paired wall display: read-only, belongs to no actor, sees only region-wide items. */
export const DirectoryDevice = z.strictObject({
  id: z.string().min(1).max(100),
  name: z.string().min(1).max(200),
  views: z.array(z.enum(DEVICE_VIEWS)).min(1),
  createdAt: IsoTime,
  revokedAt: IsoTime.nullable(),
});
export type DirectoryDevice = z.infer<typeof DirectoryDevice>;

/** Payload schemas of the directory events, keyed by event type. */
export const directoryEventPayloads = {
  'actor.saved': z.strictObject({ actor: Actor }),
  'account.saved': z.strictObject({ account: DirectoryAccount }),
  /** An argon2id hash, never a password. */
  'account.passwordSet': z.strictObject({
    accountId: z.string().min(1).max(100),
    passwordHash: z.string().min(1).max(500),
  }),
  /** Sign-out: every hub disconnects the session's sockets. */
  'session.revoked': z.strictObject({ sessionId: z.string().min(1).max(100) }),
  'device.saved': z.strictObject({ device: DirectoryDevice }),
  /** A hash of the device's secret; the secret is shown once, when it is issued. */
  'device.credentialSet': z.strictObject({
    deviceId: z.string().min(1).max(100),
    secretHash: z.string().min(1).max(500),
  }),
} as const;

/** Whether an event type belongs to the directory (hub-only). */
export const isDirectoryEventType = (type: string): type is keyof typeof directoryEventPayloads =>
  Object.hasOwn(directoryEventPayloads, type);

/** The hubs' fold of the directory events. */
export const DirectoryState = z.strictObject({
  accounts: z.record(z.string(), DirectoryAccount),
  passwordHashes: z.record(z.string(), z.string()),
  devices: z.record(z.string(), DirectoryDevice),
  deviceSecretHashes: z.record(z.string(), z.string()),
  /** Actors added or changed after start, over the region file's. */
  actors: z.record(z.string(), Actor),
});
export type DirectoryState = z.infer<typeof DirectoryState>;

/** The directory before the first directory event. */
export const initialDirectory = (): DirectoryState => ({
  accounts: {},
  passwordHashes: {},
  devices: {},
  deviceSecretHashes: {},
  actors: {},
});

/**
 * Folds a directory event into a directory the caller owns (the hubs fold in place, like
 * the domain state). Other events leave it unchanged.
 */
export function applyDirectory(directory: DirectoryState, e: StoredEvent): void {
  switch (e.type) {
    case 'actor.saved':
      setEntry(directory.actors, e.payload.actor.id, e.payload.actor);
      return;
    case 'account.saved':
      setEntry(directory.accounts, e.payload.account.id, e.payload.account);
      return;
    case 'account.passwordSet':
      setEntry(directory.passwordHashes, e.payload.accountId, e.payload.passwordHash);
      return;
    case 'device.saved':
      setEntry(directory.devices, e.payload.device.id, e.payload.device);
      return;
    case 'device.credentialSet':
      setEntry(directory.deviceSecretHashes, e.payload.deviceId, e.payload.secretHash);
      return;
    default:
      // session.revoked is a signal to the hubs (disconnect its sockets): nothing to keep.
      return;
  }
}
