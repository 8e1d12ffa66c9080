import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PAIRING_ALPHABET, PairDeviceRequest, type Attribution } from '@lagesbild/shared';
import { stockholmRegion } from '@lagesbild/shared/test-factories';
import { createLogger } from '../base/logger.js';
import { createJournalLog } from '../log/journal/journal-log.js';
import type { EventLog } from '../log/event-log.js';
import { WritePath } from '../hub/write-path.js';
import { HubState } from '../hub/hub-state.js';
import { DirectoryService } from './directory-service.js';
import { regionView } from './region-view.js';

const region = stockholmRegion();
const admin: Attribution = {
  userId: 'admin',
  userName: 'Admin',
  actorId: 'lansstyrelsen',
  functionId: 'admin',
};
const PASSWORD = 'a long enough passphrase';

describe('the directory service on a real journal', () => {
  let dir: string;
  let log: EventLog;
  let hub: HubState;
  let clock: number;
  let directory: DirectoryService;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lagesbild-directory-'));
    log = createJournalLog({ dir, idempotencyWindowMs: 3600_000 });
    const opened = await log.open();
    hub = new HubState(opened.epoch, 1000, opened.snapshot);
    hub.ingest(opened.events);
    clock = Date.parse('2026-03-01T08:00:00.000Z');
    const now = () => new Date(clock);
    const current = regionView(region, hub);
    const logger = createLogger('silent', 'test');
    const writes = new WritePath({ log, hub, logger, timeoutMs: 5000, now });
    directory = new DirectoryService({
      writes,
      hub,
      baseRegion: region,
      region: current,
      publicUrl: 'https://lagesbild.example',
      now,
    });
  });
  afterEach(async () => {
    await log.close();
    await rm(dir, { recursive: true, force: true });
  });

  const issue = async () => {
    const issued = await directory.issueDevice({ name: 'Wall, room 3', views: ['wall'] }, admin);
    if (!issued.ok) throw new Error(issued.error.message);
    return issued.data;
  };

  it('shows a pairing code of 8 unambiguous characters, and a one-time link', async () => {
    const pairing = await issue();
    expect(pairing.pairingCode).toMatch(new RegExp(`^[${PAIRING_ALPHABET}]{8}$`));
    expect(pairing.pairingCode).not.toMatch(/[01OIL]/);
    expect(pairing.pairingLink).toBe(`https://lagesbild.example/wall?pair=${pairing.pairingCode}`);
    expect(pairing.expiresAt).toBe('2026-03-01T08:15:00.000Z');
    expect(pairing.device).toMatchObject({
      paired: false,
      pairingExpiresAt: pairing.expiresAt,
      revokedAt: null,
    });
  });

  it('pairs a display once: the same code is refused the second time', async () => {
    const { pairingCode, device } = await issue();
    const typed = PairDeviceRequest.parse({ code: pairingCode.toLowerCase().replace(/(.{4})/, '$1-') }).code;
    const first = await directory.pairDevice(typed);
    expect(first.ok && first.data.device.id).toBe(device.id);
    expect((await directory.pairDevice(pairingCode)).ok).toBe(false);
    expect(directory.listDevices()[0]).toMatchObject({ paired: true, pairingExpiresAt: null });
    if (!first.ok) return;
    expect(await directory.verifyDeviceSecret(device.id, first.data.secret)).toMatchObject({ id: device.id });
    expect(await directory.verifyDeviceSecret(device.id, 'not-the-secret-at-all-000')).toBeNull();
  });

  it('refuses a code after 15 minutes', async () => {
    const { pairingCode } = await issue();
    clock += 15 * 60_000 + 1;
    const result = await directory.pairDevice(pairingCode);
    expect(!result.ok && result.error.code).toBe('unauthenticated');
  });

  it('stores only hashes of codes and secrets in the log', async () => {
    const { pairingCode, device } = await issue();
    const paired = await directory.pairDevice(pairingCode);
    const events = JSON.stringify(await log.read(0, 100));
    expect(events).not.toContain(pairingCode);
    if (paired.ok) expect(events).not.toContain(paired.data.secret);
    expect(events).toContain(`"deviceId":"${device.id}"`);
  });

  it('revoking a device ends its secret', async () => {
    const { pairingCode, device } = await issue();
    const paired = await directory.pairDevice(pairingCode);
    expect((await directory.revokeDevice(device.id, admin)).ok).toBe(true);
    if (paired.ok) expect(await directory.verifyDeviceSecret(device.id, paired.data.secret)).toBeNull();
    expect((await directory.newPairingCode(device.id, admin)).ok).toBe(false);
  });

  it('creates an account once per idempotency key', async () => {
    const key = randomUUID();
    const body = {
      username: 'erik',
      name: 'Erik',
      actorId: 'nacka',
      functionIds: ['dutyOfficer'],
      password: PASSWORD,
    };
    const first = await directory.createAccount(body, admin, key);
    const again = await directory.createAccount(body, admin, key);
    expect(first.ok && again.ok && again.data.id === first.data.id).toBe(true);
    expect(directory.listAccounts()).toHaveLength(1);
  });

  it('does not show a pairing code again for a retried issue', async () => {
    const key = randomUUID();
    expect((await directory.issueDevice({ name: 'Wall', views: ['wall'] }, admin, key)).ok).toBe(true);
    const retry = await directory.issueDevice({ name: 'Wall', views: ['wall'] }, admin, key);
    expect(!retry.ok && retry.error.code).toBe('conflict');
    expect(directory.listDevices()).toHaveLength(1);
  });

  it('refuses a weak password and changes nothing', async () => {
    const head = hub.headSeq;
    const result = await directory.createAccount(
      { username: 'erik', name: 'Erik', actorId: 'nacka', functionIds: [], password: 'password1234' },
      admin,
    );
    expect(!result.ok && result.error.code).toBe('bad_request');
    expect(hub.headSeq).toBe(head);
  });

  it('finds accounts by id or by username in any case', async () => {
    const created = await directory.createAccount(
      { username: 'Erik.L', name: 'Erik', actorId: 'nacka', functionIds: [], password: PASSWORD },
      admin,
    );
    if (!created.ok) throw new Error(created.error.message);
    expect(directory.findAccount('erik.l')?.id).toBe(created.data.id);
    // Stored in lower case, the only case a new username may have.
    expect(directory.findAccount(created.data.id)?.username).toBe('erik.l');
    expect(created.data.hasPassword).toBe(true);
  });
});
