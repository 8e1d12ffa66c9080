import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SESSION_COOKIE,
  initialDirectory,
  type DirectoryAccount,
  type DirectoryState,
} from '@lagesbild/shared';
import { createLogger } from '../base/logger.js';
import { AuthService } from './auth-service.js';
import { FileSessionStore } from './file-session-store.js';

const HOUR = 3600_000;
const life = { ttlMs: 12 * HOUR, idleMs: HOUR };
const logger = createLogger('silent', 'test');
const T0 = Date.parse('2026-12-07T08:00:00Z');

const anna: DirectoryAccount = {
  id: 'anna',
  username: 'anna',
  name: 'Anna',
  actorId: 'nacka',
  functionIds: ['dutyOfficer'],
  disabled: false,
  externalId: null,
};

const directoryWith = (account: DirectoryAccount): DirectoryState => ({
  ...initialDirectory(),
  accounts: { [account.id]: account },
});

let dir: string;
const stores: FileSessionStore[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lagesbild-auth-'));
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  await rm(dir, { recursive: true, force: true });
});

/** An embedded hub's sign-in check, started over the sessions file in `dir`. */
async function startHub(directory: DirectoryState) {
  const sessions = await FileSessionStore.open(dir, life, logger, T0);
  stores.push(sessions);
  return { auth: new AuthService(directory, sessions, () => T0), sessions };
}

const cookie = (token: string) => `${SESSION_COOKIE}=${token}`;

/** Anna signs in on a running hub, which then stops; the admin tool changes her account. */
async function signedInThenStopped() {
  const first = await startHub(directoryWith(anna));
  const { token } = await first.auth.openSession(anna);
  expect(await first.auth.identify(cookie(token))).toMatchObject({ kind: 'user' });
  await first.sessions.close();
  return token;
}

describe('sessions after account changes made while the hub was stopped', () => {
  it('refuses, for good, a session whose account moved to another actor', async () => {
    const token = await signedInThenStopped();
    const restarted = await startHub(directoryWith({ ...anna, actorId: 'solna' }));
    expect(await restarted.auth.identify(cookie(token))).toBeNull();
    await restarted.sessions.close();
    // Moved back: the session is gone, not merely refused while she was elsewhere.
    const again = await startHub(directoryWith(anna));
    expect(await again.auth.identify(cookie(token))).toBeNull();
  });

  it('refuses a session whose account lost a function', async () => {
    const token = await signedInThenStopped();
    const restarted = await startHub(directoryWith({ ...anna, functionIds: ['viewer'] }));
    expect(await restarted.auth.identify(cookie(token))).toBeNull();
  });

  it('keeps a session whose account only gained a function, with the new rights', async () => {
    const token = await signedInThenStopped();
    const restarted = await startHub(directoryWith({ ...anna, functionIds: ['dutyOfficer', 'viewer'] }));
    expect(await restarted.auth.identify(cookie(token))).toMatchObject({
      kind: 'user',
      account: { functionIds: ['dutyOfficer', 'viewer'] },
    });
  });
});
