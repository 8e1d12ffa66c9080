import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../base/logger.js';
import { writeAll } from '../log/journal/journal-io.js';
import { FileSessionStore, SESSIONS_FILE, type AppendWriter } from './file-session-store.js';
import { TOUCH_EVERY_MS } from './sessions.js';

const HOUR = 3600_000;
const life = { ttlMs: 12 * HOUR, idleMs: HOUR };
const logger = createLogger('silent', 'test');
const T0 = Date.parse('2026-12-07T08:00:00Z');
/** What the sessions in these tests were opened with. */
const RIGHTS = { actorId: 'nacka', functionIds: ['dutyOfficer'] };

let dir: string;
const open: FileSessionStore[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lagesbild-sessions-'));
});
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  await rm(dir, { recursive: true, force: true });
});

/** Opens the store as a (re)started hub would, at time `now`. */
async function reopen(now = T0) {
  const store = await FileSessionStore.open(dir, life, logger, now);
  open.push(store);
  return store;
}

/** The store as found after the process died without closing it (as after SIGKILL). */
async function afterCrash(now = T0) {
  // The old handle is not closed first: everything written was handed to the OS, which is
  // all a killed process leaves behind.
  return reopen(now);
}

const sessionsFile = () => path.join(dir, SESSIONS_FILE);

describe('the embedded session store', () => {
  it('keeps a session across a restart, with the same CSRF token', async () => {
    const first = await reopen();
    const { token, session } = await first.create('anna', T0, RIGHTS);
    const after = await afterCrash(T0 + 1000);
    expect(await after.get(token, T0 + 1000)).toMatchObject({
      id: session.id,
      userId: 'anna',
      csrfToken: session.csrfToken,
    });
  });

  it('keeps the actor and functions a session was opened with across a restart', async () => {
    const first = await reopen();
    const { token } = await first.create('anna', T0, RIGHTS);
    expect(await (await afterCrash()).get(token, T0)).toMatchObject({ openedWith: RIGHTS });
  });

  it('keeps a wall display session across a restart', async () => {
    const first = await reopen();
    const { token } = await first.createForDevice('wall-1', T0);
    expect(await (await afterCrash()).get(token, T0)).toMatchObject({ userId: '', deviceId: 'wall-1' });
  });

  it('keeps a signed-out session signed out after a restart', async () => {
    const first = await reopen();
    const { token, session } = await first.create('anna', T0, RIGHTS);
    await first.delete(session.id);
    expect(await first.get(token, T0)).toBeNull();
    expect(await (await afterCrash()).get(token, T0)).toBeNull();
  });

  it('lets a sign-out that failed to be written be tried again, and keeps it out after a restart', async () => {
    let failNext = false;
    // The disk refuses one write, as a full disk would; every other write goes through.
    const writer: AppendWriter = async (file, buffer) => {
      if (failNext) {
        failNext = false;
        throw new Error('ENOSPC: no space left on device');
      }
      await writeAll(file, buffer);
    };
    const first = await FileSessionStore.open(dir, life, logger, T0, writer);
    open.push(first);
    const { token, session } = await first.create('anna', T0, RIGHTS);
    failNext = true;
    await expect(first.delete(session.id)).rejects.toThrow(/ENOSPC/);
    await first.delete(session.id);
    expect(await first.get(token, T0)).toBeNull();
    expect(await (await afterCrash()).get(token, T0)).toBeNull();
  });

  it('lets a revocation that failed to be written be tried again, and keeps it after a restart', async () => {
    let failNext = false;
    const writer: AppendWriter = async (file, buffer) => {
      if (failNext) {
        failNext = false;
        throw new Error('EIO: i/o error');
      }
      await writeAll(file, buffer);
    };
    const first = await FileSessionStore.open(dir, life, logger, T0, writer);
    open.push(first);
    const { token } = await first.create('anna', T0, RIGHTS);
    failNext = true;
    await expect(first.revokeAccount('anna', T0 + 1)).rejects.toThrow(/EIO/);
    expect(await first.revokeAccount('anna', T0 + 1)).toBe(1);
    expect(await (await afterCrash()).get(token, T0)).toBeNull();
  });

  it('keeps an expired session expired after a restart, by lifetime and by idling', async () => {
    const first = await reopen();
    const busy = await first.create('anna', T0, RIGHTS);
    const idle = await first.create('bo', T0, RIGHTS);
    // Busy is used every half hour, so only its absolute lifetime ends it.
    for (let t = T0; t < T0 + 12 * HOUR; t += HOUR / 2) expect(await first.get(busy.token, t)).not.toBeNull();
    const later = await afterCrash(T0 + 12 * HOUR);
    expect(await later.get(busy.token, T0 + 12 * HOUR)).toBeNull();
    expect(await later.get(idle.token, T0 + 12 * HOUR)).toBeNull();
  });

  it('remembers the idle clock across a restart, so a session in use does not idle out', async () => {
    const first = await reopen();
    const { token } = await first.create('anna', T0, RIGHTS);
    expect(await first.get(token, T0 + 50 * 60_000)).not.toBeNull();
    await first.close();
    // 50 minutes after the last use, 100 after sign-in: alive only if the touch was kept.
    expect(await (await reopen()).get(token, T0 + 100 * 60_000)).not.toBeNull();
  });

  it('stores only a hash of the token, readable by the hub alone', async () => {
    const first = await reopen();
    const { token } = await first.create('anna', T0, RIGHTS);
    await first.close();
    await reopen();
    const text = await readFile(sessionsFile(), 'utf8');
    expect(text).toContain('"anna"');
    expect(text).not.toContain(token);
    expect((await stat(sessionsFile())).mode & 0o077).toBe(0);
  });

  it('starts despite a last line torn by a crash, and keeps the sessions before it', async () => {
    const first = await reopen();
    const { token } = await first.create('anna', T0, RIGHTS);
    await appendFile(sessionsFile(), '{"op":"delete","id":"abc');
    const after = await afterCrash();
    expect(await after.get(token, T0)).not.toBeNull();
    // The torn line is gone: what is appended next is whole and read back.
    const bo = await after.create('bo', T0, RIGHTS);
    expect(await (await afterCrash()).get(bo.token, T0)).not.toBeNull();
  });

  it('drops every session when a line in the middle is damaged, rather than miss a sign-out', async () => {
    const first = await reopen();
    const { token } = await first.create('anna', T0, RIGHTS);
    await first.close();
    await appendFile(sessionsFile(), 'not json\n{"op":"touch","id":"x","lastSeenAt":1}\n');
    expect(await (await reopen()).get(token, T0)).toBeNull();
  });

  it('starts with no sessions when there is no file, and refuses unknown tokens', async () => {
    const store = await reopen();
    expect(await store.get('no-such-token', T0)).toBeNull();
    await writeFile(sessionsFile(), '');
    expect(await (await afterCrash()).get('no-such-token', T0)).toBeNull();
  });

  it('revokes all of an account’s sessions for good, and no other account’s', async () => {
    const first = await reopen();
    const phone = await first.create('anna', T0, RIGHTS);
    const laptop = await first.create('anna', T0 + 1000, RIGHTS);
    const other = await first.create('bo', T0, RIGHTS);
    expect(await first.revokeAccount('anna', T0 + 1001)).toBe(2);
    expect(await first.revokeAccount('anna', T0 + 1001)).toBe(0);
    const after = await afterCrash();
    expect(await after.get(phone.token, T0 + 2000)).toBeNull();
    expect(await after.get(laptop.token, T0 + 2000)).toBeNull();
    expect(await after.get(other.token, T0 + 2000)).not.toBeNull();
  });

  it('keeps a session opened at or after the revocation time', async () => {
    const first = await reopen();
    const early = await first.create('anna', T0, RIGHTS);
    const late = await first.create('anna', T0 + 10_000, RIGHTS);
    expect(await first.revokeAccount('anna', T0 + 10_000)).toBe(1);
    expect(await first.get(early.token, T0 + 10_000)).toBeNull();
    expect(await first.get(late.token, T0 + 10_000)).not.toBeNull();
  });

  it('keeps the file small: touches and sign-outs are compacted away', async () => {
    const longLife = { ttlMs: 48 * HOUR, idleMs: HOUR };
    const store = await FileSessionStore.open(dir, longLife, logger, T0);
    open.push(store);
    const kept = await Promise.all(['anna', 'bo', 'cilla'].map((userId) => store.create(userId, T0, RIGHTS)));
    let now = T0;
    for (let minute = 0; minute < 1200; minute++) {
      now += TOUCH_EVERY_MS + 1;
      for (const { token } of kept) await store.get(token, now);
      if (minute % 100 === 0) {
        const { session } = await store.create('dora', now, RIGHTS);
        await store.delete(session.id);
      }
    }
    await store.close();
    const lines = (await readFile(sessionsFile(), 'utf8')).split('\n').length;
    // 3,600 touches and 24 sign-ins and outs were written; a compaction left far fewer.
    expect(lines).toBeLessThan(1100);
    const after = await FileSessionStore.open(dir, longLife, logger, now);
    open.push(after);
    for (const { token } of kept) expect(await after.get(token, now)).not.toBeNull();
  });
});
