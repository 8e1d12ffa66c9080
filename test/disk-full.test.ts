import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditRecord } from '@lagesbild/shared';
import { allEvents, signIn } from './support/api-client.js';
import { signInStatus } from './support/admin.js';
import { logEntry } from './support/commands.js';
import { startHub, type HubProcess } from './support/hub-process.js';
import { FoldingClient } from './support/socket-client.js';

/** Mounting a tmpfs needs root (as the tests and CI run here); without it this file is skipped. */
const isRoot = process.getuid?.() === 0;

/** Mounts a tmpfs of `size` on a new directory; `umount` in cleanup. */
function mountTmpfs(size: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lagesbild-disk-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  return dir;
}

function unmount(dir: string): void {
  execFileSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
}

/** Fills the file system holding `file` until a write is refused for want of space. */
function fill(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(256 * 1024, 0x78);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

async function waitUntil(condition: () => Promise<boolean> | boolean, what: string, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const readyStatus = async (hub: HubProcess) => {
  const res = await fetch(`${hub.url}/readyz`);
  return { status: res.status, body: (await res.json()) as { ok: boolean; data?: { audit?: unknown } } };
};

/** The audit records on disk, read as the file holds them. */
function auditOnDisk(dataDir: string): AuditRecord[] {
  const file = path.join(dataDir, 'audit.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => AuditRecord.parse(JSON.parse(line)));
}

/**
 * Reads the journal file as replay would: every line whole (checksum, space, JSON, newline)
 * and the seqs contiguous from 1, so no half line and no gap.
 */
function expectWholeJournal(dataDir: string): void {
  const text = readFileSync(path.join(dataDir, 'events.jsonl'));
  expect(text.at(-1), 'the journal ends in a whole line').toBe(0x0a);
  let next = 1;
  for (const line of text.toString('utf8').split('\n').slice(0, -1)) {
    expect(line).toMatch(/^[0-9a-f]{8} \{/);
    const record = JSON.parse(line.slice(9)) as { seq: number; n: number };
    expect(record.seq).toBe(next);
    next += record.n;
  }
}

/** A long entry: its journal line spans pages, so a full disk tears it part-way. */
const longEntry = (label: string) => logEntry(`${label} ${'x'.repeat(3900)}`);

describe.skipIf(!isRoot)('a hub whose disk fills up (a tmpfs as DATA_DIR; needs root to mount)', () => {
  const mounts: string[] = [];
  const hubs: HubProcess[] = [];
  afterAll(async () => {
    for (const hub of hubs) await hub.kill();
    for (const dir of mounts) unmount(dir);
  });

  it('refuses commands cleanly while full, resumes by itself when space returns, and keeps audit and journal whole', async () => {
    const mount = mountTmpfs('16m');
    mounts.push(mount);
    const dataDir = path.join(mount, 'data');
    mkdirSync(dataDir);
    // Snapshots are tried often, so some are due while the disk is full.
    const hub = await startHub({ dataDir, env: { SNAPSHOT_EVERY: '3' } });
    hubs.push(hub);
    const tib = await signIn(hub.url, 'tib.lansstyrelsen');
    const socket = new FoldingClient(hub.url, tib.cookie);
    const statuses: boolean[] = [];
    socket.socket.on('hub.status', (status) => statuses.push(status.canStore));
    await socket.connected();

    const acked: string[] = [];
    for (let i = 0; i < 4; i++) {
      const command = longEntry(`before ${i}`);
      expect((await tib.command(command)).status).toBe(200);
      acked.push(command.id);
    }

    const filler = path.join(mount, 'filler');
    fill(filler);

    // What is left of the journal's last page may still take a command; then none is taken.
    // Twenty refusals: their audit records are more than the audit file's last page holds.
    const refused: string[] = [];
    const sentWhileFull = new Map<string, ReturnType<typeof longEntry>>();
    for (let i = 0; i < 60 && refused.length < 20; i++) {
      const command = longEntry(`while full ${i}`);
      sentWhileFull.set(command.id, command);
      const { status, body } = await tib.command(command);
      if (body.ok) {
        expect(status).toBe(200);
        expect(refused, 'a command acked after one was refused on the full disk').toEqual([]);
        acked.push(command.id);
      } else {
        expect({ status, code: body.error.code }).toEqual({ status: 503, code: 'log_unavailable' });
        refused.push(command.id);
      }
    }
    expect(refused).toHaveLength(20);
    const bySocket = longEntry('over the socket while full');
    const socketAck = await socket.send(bySocket);
    expect(socketAck.ok ? 'acked' : socketAck.error.code).toBe('log_unavailable');
    refused.push(bySocket.id);

    expect((await readyStatus(hub)).status).toBe(503);
    await waitUntil(() => statuses.includes(false), 'clients told the hub cannot store');
    // Sign-ins are taken while the sessions file's last page has room; then they are
    // refused, as they cannot be stored, and the hub goes on.
    const signIns: number[] = [];
    while (signIns.length < 40 && !signIns.some((status) => status >= 500)) {
      signIns.push(await signInStatus(hub.url, 'tib.nacka'));
    }
    expect(signIns.filter((status) => status !== 200)).toEqual([503]);
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);

    rmSync(filler);
    // No restart: the same process takes commands again within seconds.
    await waitUntil(async () => (await readyStatus(hub)).status === 200, 'the hub is ready again', 10_000);
    expect(hub.child.exitCode).toBeNull();
    await waitUntil(() => statuses.at(-1) === true, 'clients told the hub can store again');
    const after = longEntry('after the disk healed');
    expect((await tib.command(after)).status).toBe(200);
    acked.push(after.id);
    // The first refused command, sent again by its outbox with the same id, is stored now.
    const resent = refused.shift() ?? '';
    const again = await tib.command(sentWhileFull.get(resent));
    expect(again.status, JSON.stringify(again.body)).toBe(200);

    // The audit records of the full window reach the disk once it takes writes.
    await waitUntil(() => {
      const onDisk = auditOnDisk(dataDir);
      return [...refused, resent].every((id) =>
        onDisk.some((r) => r.id === id && r.outcome === 'log_unavailable'),
      );
    }, 'audit records of the full window on disk');
    expect(hub.output()).toContain('audit.writeFailed: holding audit records in memory');
    expect(hub.output()).toContain('audit.resumed');
    // Nothing was lost, and nothing waits longer than the next flush.
    await waitUntil(
      async () => JSON.stringify((await readyStatus(hub)).body.data?.audit) === '{"held":0,"dropped":0}',
      'no audit record held or dropped',
    );

    // Restarted: every acked command once, in order, nothing torn, nothing refused stored.
    socket.close();
    await hub.kill();
    expectWholeJournal(dataDir);
    const restarted = await hub.restart();
    hubs.push(restarted);
    expect(restarted.output()).not.toMatch(/tornTailTruncated|corrupt/);
    const reader = await signIn(restarted.url, 'tib.lansstyrelsen');
    const events = await allEvents(reader);
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y));
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.commandId, (counts.get(e.commandId) ?? 0) + 1);
    for (const id of [...acked, resent]) expect(counts.get(id), id).toBe(1);
    for (const id of refused) expect(counts.has(id), id).toBe(false);
    await restarted.kill();
  });

  it('says in one clear line that the disk is full when a hub starts on it, and exits non-zero', async () => {
    const mount = mountTmpfs('4m');
    mounts.push(mount);
    const dataDir = path.join(mount, 'data');
    mkdirSync(dataDir);
    fill(path.join(mount, 'filler'));
    const failure = await startHub({ dataDir }).then(
      (hub) => {
        hubs.push(hub);
        return null;
      },
      (error: Error) => error.message,
    );
    expect(failure, 'the hub started on a full disk').not.toBeNull();
    expect(failure).toMatch(/hub exited with 1 before it was ready/);
    expect(failure).toContain(
      `Lägesbild could not start: the disk holding DATA_DIR (${dataDir}) is full; free space on it, then start the hub again`,
    );
    expect(failure).not.toMatch(/ENOSPC|\n\s+at /);
  });
});
