import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from './data-dir-lock.js';

describe('the data directory lock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lagesbild-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const lockWith = (owner: object) => writeFile(path.join(dir, LOCK_FILE), JSON.stringify(owner));

  it('refuses a second opener while the first holds it, and frees it on release', async () => {
    const release = await lockDataDir(dir);
    await expect(lockDataDir(dir)).rejects.toThrow(/in use by process \d+/);
    await release();
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    await (
      await lockDataDir(dir)
    )();
  });

  it('refuses a lock held by another live process', async () => {
    await lockWith({ pid: process.ppid, host: hostname(), since: new Date().toISOString() });
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DataDirLockedError);
  });

  it('takes over a lock left by a process that died', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    await lockWith({ pid: dead, host: hostname(), since: new Date().toISOString() });
    const release = await lockDataDir(dir);
    expect(JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    await release();
  });

  it('refuses a lock from another host, whose process it cannot check', async () => {
    await lockWith({ pid: 1, host: 'some-other-container', since: new Date().toISOString() });
    await expect(lockDataDir(dir)).rejects.toThrow(/on some-other-container.*delete/);
  });

  it('takes over a lock copied along with the directory, even one naming a live process', async () => {
    const original = await mkdtemp(path.join(tmpdir(), 'lagesbild-lock-original-'));
    try {
      const release = await lockDataDir(original);
      // A copy of DATA_DIR (a backup taken with cp) while its hub runs: the lock names a live pid.
      await writeFile(path.join(dir, LOCK_FILE), await readFile(path.join(original, LOCK_FILE)));
      const releaseCopy = await lockDataDir(dir);
      await releaseCopy();
      await release();
    } finally {
      await rm(original, { recursive: true, force: true });
    }
  });

  it('refuses a lock from another host naming another inode, as a shared volume may show it', async () => {
    await lockWith({ pid: 1, host: 'some-other-container', since: new Date().toISOString(), dir: 1 });
    await expect(lockDataDir(dir)).rejects.toThrow(/in use by process 1 on some-other-container/);
  });

  it('takes over a torn lock file', async () => {
    await writeFile(path.join(dir, LOCK_FILE), '{"pid":');
    const old = new Date(Date.now() - 60_000);
    await utimes(path.join(dir, LOCK_FILE), old, old);
    await (
      await lockDataDir(dir)
    )();
  });
});
