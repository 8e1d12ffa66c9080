import { z } from 'zod';
import { IsoTime, Slug } from './ids.js';
import type { StoredEvent } from './events.js';
import { Actor } from './region.js';

/**
 * The directory — accounts, devices and actors added after start — lives in the same log
 * as the domain, so every hub sees an administrator's change in order, at once, without a
 * restart, and the change is itself recorded. Directory events are folded only by the
 * hubs: they are never sent to a client (their audience is `none`).
 */

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
      directory.actors[e.payload.actor.id] = e.payload.actor;
      return;
    case 'account.saved':
      directory.accounts[e.payload.account.id] = e.payload.account;
      return;
    case 'account.passwordSet':
      directory.passwordHashes[e.payload.accountId] = e.payload.passwordHash;
      return;
    case 'device.saved':
      directory.devices[e.payload.device.id] = e.payload.device;
      return;
    case 'device.credentialSet':
      directory.deviceSecretHashes[e.payload.deviceId] = e.payload.secretHash;
      return;
    default:
      // session.revoked is a signal to the hubs (disconnect its sockets): nothing to keep.
      return;
  }
}
