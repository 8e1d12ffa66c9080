import {
  ownEntry,
  type AdminAccount,
  type AdminDevice,
  type DirectoryAccount,
  type DirectoryDevice,
  type DirectoryState,
  type HandoverAccount,
} from '@lagesbild/shared';
import { decodeCredential } from './device-credentials.js';

/**
 * How the directory's entries are shown to whoever manages them: the admin API, the
 * command-line tool and the hand-over. Never a hash, a code or a secret.
 */

/** An account as the admin API shows it. */
export const adminAccount = (directory: DirectoryState, account: DirectoryAccount): AdminAccount => ({
  ...account,
  hasPassword: ownEntry(directory.passwordHashes, account.id) !== undefined,
});

/** An account as the hand-over shows it to whoever made it: without its numbers. */
export const handoverAccount = (account: DirectoryAccount): HandoverAccount => ({
  id: account.id,
  name: account.name,
  actorId: account.actorId,
  functionIds: [...account.functionIds],
});

/** A device as the admin API shows it: paired or not, and until when its code works (`nowMs`). */
export function adminDevice(directory: DirectoryState, device: DirectoryDevice, nowMs: number): AdminDevice {
  const credential = decodeCredential(ownEntry(directory.deviceSecretHashes, device.id));
  const pending =
    credential?.kind === 'pairing' && device.revokedAt === null && Date.parse(credential.expiresAt) > nowMs;
  return {
    ...device,
    paired: credential?.kind === 'secret',
    pairingExpiresAt: pending ? credential.expiresAt : null,
  };
}
