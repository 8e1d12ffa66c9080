import { randomBytes, randomInt } from 'node:crypto';
import {
  PAIRING_ALPHABET,
  PAIRING_CODE_LENGTH,
  PAIRING_CODE_TTL_MS,
  ownEntry,
  type DirectoryDevice,
  type DirectoryState,
} from '@lagesbild/shared';
import { hashPassword } from '../auth/accounts.js';

/**
 * A device's credential as the log stores it (`device.credentialSet.secretHash`): either a
 * pending pairing code, which expires, or the secret of the display that paired. Both are
 * argon2id hashes; the code and the secret themselves are never stored.
 */
export type DeviceCredential =
  { kind: 'pairing'; expiresAt: string; hash: string } | { kind: 'secret'; hash: string };

/** Encodes a credential for `device.credentialSet`. */
export function encodeCredential(credential: DeviceCredential): string {
  return credential.kind === 'pairing'
    ? `pairing:${credential.expiresAt}:${credential.hash}`
    : `secret:${credential.hash}`;
}

/** Reads a stored credential; null for anything else (which then matches nothing). */
export function decodeCredential(stored: string | undefined): DeviceCredential | null {
  if (stored === undefined) return null;
  const pairing = /^pairing:([^$]+?):(\$argon2.+)$/.exec(stored);
  if (pairing?.[1] && pairing[2] && !Number.isNaN(Date.parse(pairing[1]))) {
    return { kind: 'pairing', expiresAt: pairing[1], hash: pairing[2] };
  }
  const secret = /^secret:(\$argon2.+)$/.exec(stored);
  if (secret?.[1]) return { kind: 'secret', hash: secret[1] };
  return null;
}

/** A pairing code: uniformly drawn from letters and digits that are not misread. */
export function newPairingCode(): string {
  let code = '';
  for (let i = 0; i < PAIRING_CODE_LENGTH; i++) code += PAIRING_ALPHABET[randomInt(PAIRING_ALPHABET.length)];
  return code;
}

/** The long-lived secret a paired display keeps in its device cookie. */
export const newDeviceSecret = (): string => randomBytes(32).toString('base64url');

/** A new pairing code, and the credential that stores its hash until it expires. */
export async function newPairingCredential(
  nowMs: number,
): Promise<{ code: string; credential: string; expiresAt: string }> {
  const code = newPairingCode();
  const expiresAt = new Date(nowMs + PAIRING_CODE_TTL_MS).toISOString();
  const credential = encodeCredential({ kind: 'pairing', expiresAt, hash: await hashPassword(code) });
  return { code, credential, expiresAt };
}

/** A device waiting to be paired: its stored credential and the hash a typed code must match. */
export type PendingPairing = { device: DirectoryDevice; stored: string; hash: string };

/** The devices not revoked whose pairing code has not expired at `nowMs`. */
export function pendingPairings(directory: DirectoryState, nowMs: number): PendingPairing[] {
  return Object.values(directory.devices).flatMap((device) => {
    const stored = ownEntry(directory.deviceSecretHashes, device.id);
    const credential = decodeCredential(stored);
    return device.revokedAt === null &&
      stored !== undefined &&
      credential?.kind === 'pairing' &&
      Date.parse(credential.expiresAt) > nowMs
      ? [{ device, stored, hash: credential.hash }]
      : [];
  });
}
