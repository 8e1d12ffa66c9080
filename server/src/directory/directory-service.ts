import { randomUUID } from 'node:crypto';
import {
  fail,
  ownEntry,
  succeed,
  type Actor,
  type AdminAccount,
  type AdminActor,
  type AdminDevice,
  type Attribution,
  type CreateAccountRequest,
  type Decision,
  type DevicePairing,
  type DirectoryAccount,
  type DirectoryDevice,
  type DirectoryState,
  type HandoverResponse,
  type IssueDeviceRequest,
  type RegionConfig,
  type Result,
  type UpdateAccountRequest,
  type UpdateActorRequest,
} from '@lagesbild/shared';
import { hashPassword, verifyHash } from '../auth/accounts.js';
import { commandPayloadHash } from '../log/payload-hash.js';
import { checkPasswordPolicy } from '../auth/password-policy.js';
import { attribution } from '../auth/attribution.js';
import type { WritePath } from '../hub/write-path.js';
import type { HubState } from '../hub/hub-state.js';
import {
  decideBootstrapAdmin,
  decideCreateAccount,
  decideCreateActor,
  decideDeviceCredential,
  decideGrant,
  decideHandover,
  decideIssueDevice,
  decidePairDevice,
  decideRevokeDevice,
  decideRevokeSession,
  decideUpdateAccount,
  decideUpdateActor,
} from './decide-directory.js';
import { adminAccount, adminDevice, handoverAccount } from './admin-views.js';
import {
  decodeCredential,
  encodeCredential,
  newDeviceSecret,
  newPairingCredential,
  pendingPairings,
} from './device-credentials.js';

export type DirectoryServiceOptions = {
  writes: WritePath;
  hub: HubState;
  /** The region file as loaded, before the directory's actors. */
  baseRegion: RegionConfig;
  /** The region with the directory's actors (see region-view.ts). */
  region: () => RegionConfig;
  /** The hub's public URL, for pairing links. */
  publicUrl: string;
  now?: () => Date;
};

/** How long to wait for this hub to fold a change another hub appended first. */
const CATCH_UP_WAIT_MS = 3000;

/**
 * Directory changes for the admin API, the hand-over and the command-line tool: hashes
 * secrets, decides with the pure functions of decide-directory.ts, and appends through the
 * write path's serialised, idempotent queue (write-path.ts). `key` makes a retried request change
 * nothing twice; without one every call is a new change.
 */
export class DirectoryService {
  private readonly now: () => Date;

  constructor(private readonly options: DirectoryServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  private get directory(): DirectoryState {
    return this.options.hub.directory;
  }

  // --- accounts ---

  listAccounts(): AdminAccount[] {
    return Object.values(this.directory.accounts)
      .map((a) => adminAccount(this.directory, a))
      .sort((a, b) => a.username.localeCompare(b.username));
  }

  /** An account by id or by username (the command-line tool takes either). */
  findAccount(idOrUsername: string): DirectoryAccount | undefined {
    const byId = ownEntry(this.directory.accounts, idOrUsername);
    if (byId) return byId;
    const wanted = idOrUsername.trim().toLowerCase();
    return Object.values(this.directory.accounts).find((a) => a.username.toLowerCase() === wanted);
  }

  async createAccount(
    body: CreateAccountRequest,
    by: Attribution,
    key?: string,
  ): Promise<Result<AdminAccount>> {
    const id = key ?? randomUUID();
    const policy = checkPasswordPolicy(body.password, { username: body.username });
    if (!policy.ok) return { ok: false, error: policy.error };
    const passwordHash = await hashPassword(body.password);
    // The password is left out of the request's hash: the log must not hold an unsalted hash of it.
    const { password: _password, ...request } = body;
    const ack = await this.append(
      `account.create:${id}`,
      by,
      (d, region) => decideCreateAccount(d, region, { ...body, id, passwordHash }),
      { type: 'account.create', payload: request },
    );
    return this.accountAfter(ack, id);
  }

  async bootstrapAdmin(
    input: { username: string; name: string; actorId: string; password: string },
    by: Attribution,
  ): Promise<Result<AdminAccount>> {
    const id = randomUUID();
    const policy = checkPasswordPolicy(input.password, { username: input.username });
    if (!policy.ok) return { ok: false, error: policy.error };
    const passwordHash = await hashPassword(input.password);
    const ack = await this.append(`account.bootstrap:${id}`, by, (d, region) =>
      decideBootstrapAdmin(d, region, { ...input, id, passwordHash }),
    );
    return this.accountAfter(ack, id);
  }

  async updateAccount(
    accountId: string,
    body: UpdateAccountRequest,
    by: Attribution,
    key?: string,
  ): Promise<Result<AdminAccount>> {
    const { password, ...change } = body;
    if (password !== undefined) {
      const account = ownEntry(this.directory.accounts, accountId);
      if (!account) return fail('not_found', `No account ${accountId}`);
      const policy = checkPasswordPolicy(password, { username: account.username });
      if (!policy.ok) return { ok: false, error: policy.error };
    }
    const passwordHash = password === undefined ? undefined : await hashPassword(password);
    const ack = await this.append(
      `account.update:${key ?? randomUUID()}`,
      by,
      (d, region) => decideUpdateAccount(d, region, accountId, { ...change, passwordHash }),
      { type: 'account.update', payload: { accountId, change, newPassword: password !== undefined } },
    );
    return this.accountAfter(ack, accountId);
  }

  async grant(
    accountId: string,
    functionId: string,
    grant: boolean,
    by: Attribution,
    key?: string,
  ): Promise<Result<AdminAccount>> {
    const ack = await this.append(
      `account.${grant ? 'grant' : 'revoke'}:${key ?? randomUUID()}`,
      by,
      (d, region) => decideGrant(d, region, accountId, functionId, grant),
      { type: 'account.grant', payload: { accountId, functionId, grant } },
    );
    return this.accountAfter(ack, accountId);
  }

  /**
   * Moves a function between two accounts of one actor (a shift change). The answer goes to
   * a duty officer as well as an admin, so it shows the accounts without their numbers.
   */
  async handover(
    input: { functionId: string; fromAccountId: string; toAccountId: string; byAccountId: string },
    by: Attribution,
    key?: string,
  ): Promise<Result<HandoverResponse>> {
    const ack = await this.append(
      `account.handover:${key ?? randomUUID()}`,
      by,
      (d, region) => decideHandover(d, region, input),
      { type: 'account.handover', payload: input },
    );
    if (!ack.ok) return ack;
    const from = ownEntry(this.directory.accounts, input.fromAccountId);
    const to = ownEntry(this.directory.accounts, input.toAccountId);
    if (!from || !to) return fail('not_found', 'The accounts are gone');
    return succeed({ from: handoverAccount(from), to: handoverAccount(to) });
  }

  // --- actors ---

  listActors(): AdminActor[] {
    const fromDirectory = new Set(Object.keys(this.directory.actors));
    return this.options.region().actors.map((a) => ({
      ...a,
      source: fromDirectory.has(a.id) ? ('directory' as const) : ('region' as const),
    }));
  }

  async createActor(actor: Actor, by: Attribution, key?: string): Promise<Result<AdminActor>> {
    const ack = await this.append(
      `actor.create:${key ?? randomUUID()}`,
      by,
      (_d, region) => decideCreateActor(region, actor),
      { type: 'actor.create', payload: actor },
    );
    return this.actorAfter(ack, actor.id);
  }

  async updateActor(
    actorId: string,
    change: UpdateActorRequest,
    by: Attribution,
    key?: string,
  ): Promise<Result<AdminActor>> {
    const ack = await this.append(
      `actor.update:${key ?? randomUUID()}`,
      by,
      (_d, region) => decideUpdateActor(region, actorId, change),
      { type: 'actor.update', payload: { actorId, change } },
    );
    return this.actorAfter(ack, actorId);
  }

  // --- devices ---

  listDevices(): AdminDevice[] {
    return Object.values(this.directory.devices)
      .map((d) => this.adminDevice(d))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Issues a device and its first pairing code; the code is in the answer only. */
  async issueDevice(body: IssueDeviceRequest, by: Attribution, key?: string): Promise<Result<DevicePairing>> {
    const id = key ?? randomUUID();
    const pairing = await newPairingCredential(this.now().getTime());
    const ack = await this.append(
      `device.issue:${id}`,
      by,
      (d) =>
        decideIssueDevice(d, {
          id,
          ...body,
          createdAt: this.now().toISOString(),
          credential: pairing.credential,
        }),
      { type: 'device.issue', payload: body },
    );
    return this.pairingAfter(ack, id, pairing);
  }

  /**
   * A new pairing code for a device, e.g. when the first expired. The old code stops
   * working; a display paired before keeps its session until it has to renew it.
   */
  async newPairingCode(deviceId: string, by: Attribution, key?: string): Promise<Result<DevicePairing>> {
    const pairing = await newPairingCredential(this.now().getTime());
    const ack = await this.append(
      `device.code:${key ?? randomUUID()}`,
      by,
      (d) => decideDeviceCredential(d, deviceId, pairing.credential),
      { type: 'device.code', payload: { deviceId } },
    );
    return this.pairingAfter(ack, deviceId, pairing);
  }

  async revokeDevice(deviceId: string, by: Attribution, key?: string): Promise<Result<AdminDevice>> {
    const ack = await this.append(
      `device.revoke:${key ?? randomUUID()}`,
      by,
      (d) => decideRevokeDevice(d, deviceId, this.now().toISOString()),
      { type: 'device.revoke', payload: { deviceId } },
    );
    if (!ack.ok) return ack;
    const device = ownEntry(this.directory.devices, deviceId);
    return device ? succeed(this.adminDevice(device)) : fail('not_found', `No device ${deviceId}`);
  }

  /**
   * Pairs a display: finds the device whose pending, unexpired code matches, and replaces
   * the code with a new secret for the display's device cookie. A code works once.
   */
  async pairDevice(code: string): Promise<Result<{ device: DirectoryDevice; secret: string }>> {
    for (const candidate of pendingPairings(this.directory, this.now().getTime())) {
      if (!(await verifyHash(candidate.hash, code))) continue;
      const secret = newDeviceSecret();
      const secretCredential = encodeCredential({ kind: 'secret', hash: await hashPassword(secret) });
      const ack = await this.append(
        `device.pair:${randomUUID()}`,
        this.deviceAttribution(candidate.device),
        (d) => decidePairDevice(d, candidate.device.id, candidate.stored, secretCredential),
      );
      if (!ack.ok) return ack;
      return succeed({ device: candidate.device, secret });
    }
    return fail('unauthenticated', 'Unknown or expired pairing code');
  }

  /** The device a display's secret belongs to, if it is paired with it and not revoked. */
  async verifyDeviceSecret(deviceId: string, secret: string): Promise<DirectoryDevice | null> {
    const device = ownEntry(this.directory.devices, deviceId);
    const credential = decodeCredential(ownEntry(this.directory.deviceSecretHashes, deviceId));
    if (!device || device.revokedAt !== null || credential?.kind !== 'secret') return null;
    return (await verifyHash(credential.hash, secret)) ? device : null;
  }

  /** How changes made by a device itself (pairing) are attributed. */
  deviceAttribution(device: DirectoryDevice): Attribution {
    return attribution({ kind: 'device', device, region: this.options.baseRegion });
  }

  // --- sessions ---

  /** Signs a session out on every hub: each one disconnects the session's sockets. */
  async revokeSession(sessionId: string, by: Attribution): Promise<Result<{ seq: number }>> {
    return this.append(`session.revoke:${sessionId}`, by, () => decideRevokeSession(sessionId));
  }

  // --- plumbing ---

  /**
   * `request` is what was asked (never a secret): a retry with the same key and the same
   * request is answered as the original, the same key with another request `id_conflict`.
   */
  private async append(
    commandId: string,
    by: Attribution,
    decide: (directory: DirectoryState, region: RegionConfig) => Decision,
    request?: { type: string; payload: unknown },
  ): Promise<Result<{ seq: number }>> {
    const ack = await this.options.writes.appendSystem(
      commandId,
      by,
      (hub) => decide(hub.directory, this.options.region()),
      request ? commandPayloadHash(request) : null,
    );
    // A retried request may find its change appended by another hub that this hub has not
    // folded yet; answer only once it has, so the answer shows the change.
    if (ack.ok) await this.options.hub.waitFor(ack.data.seq, CATCH_UP_WAIT_MS);
    return ack;
  }

  private accountAfter(ack: Result<{ seq: number }>, id: string): Result<AdminAccount> {
    if (!ack.ok) return ack;
    const account = ownEntry(this.directory.accounts, id);
    return account ? succeed(adminAccount(this.directory, account)) : fail('not_found', `No account ${id}`);
  }

  private actorAfter(ack: Result<{ seq: number }>, id: string): Result<AdminActor> {
    if (!ack.ok) return ack;
    const actor = this.listActors().find((a) => a.id === id);
    return actor ? succeed(actor) : fail('not_found', `No actor ${id}`);
  }

  private pairingAfter(
    ack: Result<{ seq: number }>,
    deviceId: string,
    { code, credential, expiresAt }: { code: string; credential: string; expiresAt: string },
  ): Result<DevicePairing> {
    if (!ack.ok) return ack;
    const device = ownEntry(this.directory.devices, deviceId);
    if (!device) return fail('not_found', `No device ${deviceId}`);
    if (ownEntry(this.directory.deviceSecretHashes, deviceId) !== credential) {
      // A retry of a request that was carried out before: its code was shown then, and
      // only its hash was kept, so there is no code to show now.
      return fail('conflict', 'That request was carried out before; ask for a new pairing code');
    }
    return succeed({
      device: this.adminDevice(device),
      pairingCode: code,
      pairingLink: `${this.options.publicUrl}/wall?pair=${code}`,
      expiresAt,
    });
  }

  private adminDevice(device: DirectoryDevice): AdminDevice {
    return adminDevice(this.directory, device, this.now().getTime());
  }
}
