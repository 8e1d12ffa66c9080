import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '@lagesbild/shared';
import { Manifest } from '../server/src/log/backup/backup-manifest.js';
import { decodeRecord } from '../server/src/log/journal/journal-format.js';
import { parseXRange } from '../server/src/log/redis/redis-stream.js';
import { signIn, type ApiClient } from './support/api-client.js';
import { runAdminCli } from './support/admin.js';
import { logEntry } from './support/commands.js';
import { startHub, type HubProcess } from './support/hub-process.js';
import { startRedis, type RedisServer } from './support/redis-server.js';
import { FoldingClient } from './support/socket-client.js';

/** One acknowledged command: what it added, where it landed, and when the sender heard so. */
type Ack = {
  username: string;
  command: unknown;
  entryId: string;
  commandId: string;
  seq: number;
  ackedAt: number;
};

/**
 * Ten writers, five on sockets and five over HTTP, each sending log entries one after
 * another until stopped, recording every acknowledgement with the time it arrived.
 */
async function startLoad(hubUrls: string[]) {
  const acks: Ack[] = [];
  const failures: string[] = [];
  let stopping = false;
  const sockets: FoldingClient[] = [];
  const writers: Promise<void>[] = [];
  for (let i = 0; i < 10; i++) {
    const url = hubUrls[i % hubUrls.length] ?? '';
    const username = i % 2 === 0 ? 'tib.nacka' : 'tib.lansstyrelsen';
    const person = await signIn(url, username);
    let send: (command: unknown) => Promise<{ ok: boolean; seq?: number; error?: string }>;
    if (i < 5) {
      const socket = new FoldingClient(url, person.cookie);
      sockets.push(socket);
      await socket.connected();
      send = async (command) => {
        const ack = await socket.send(command);
        return ack.ok ? { ok: true, seq: ack.data.seq } : { ok: false, error: ack.error.message };
      };
    } else {
      send = async (command) => {
        const { body } = await person.command(command);
        return body.ok ? { ok: true, seq: body.data.seq } : { ok: false, error: body.error.message };
      };
    }
    writers.push(
      (async () => {
        for (let n = 0; !stopping; n++) {
          const command = logEntry(`Skrivare ${i}, rad ${n}`);
          const answer = await send(command).catch((error: unknown) => ({
            ok: false,
            seq: undefined,
            error: (error as Error).message,
          }));
          if (answer.ok && answer.seq !== undefined) {
            acks.push({
              username,
              command,
              entryId: command.payload.entryId,
              commandId: command.id,
              seq: answer.seq,
              ackedAt: Date.now(),
            });
          } else {
            failures.push(answer.error ?? 'no answer');
          }
        }
      })(),
    );
  }
  return {
    acks,
    failures,
    /** Resolves once `count` more commands than now have been acknowledged. */
    async waitForMore(count: number): Promise<void> {
      const target = acks.length + count;
      const deadline = Date.now() + 30_000;
      while (acks.length < target) {
        if (Date.now() > deadline) throw new Error(`only ${acks.length} of ${target} acks`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop(): Promise<void> {
      stopping = true;
      await Promise.all(writers);
      for (const socket of sockets) socket.close();
    },
  };
}

/** The events of a journal file, every line's checksum checked. */
async function journalEvents(file: string): Promise<StoredEvent[]> {
  const text = await readFile(file);
  const events: StoredEvent[] = [];
  let start = 0;
  for (let end = text.indexOf(10); end !== -1; end = text.indexOf(10, start)) {
    events.push(...decodeRecord(text.subarray(start, end)).events);
    start = end + 1;
  }
  return events;
}

/** One Redis command's reply, on a connection of its own. */
async function redisReply(url: string, args: string[]): Promise<unknown> {
  const client = createClient({ url });
  await client.connect();
  try {
    return await client.sendCommand(args);
  } finally {
    await client.close();
  }
}

/** Every event in a Redis stream, validated as the hub reads them. */
async function streamEvents(url: string, key: string): Promise<StoredEvent[]> {
  const client = createClient({ url });
  await client.connect();
  try {
    return parseXRange(await client.sendCommand(['XRANGE', key, '-', '+']));
  } finally {
    await client.close();
  }
}

/**
 * What a user of the restored hub must find: every command acknowledged before the backup
 * began is in the picture at the seq its sender was told, and nothing after the log's head;
 * a command acknowledged after it, sent again, is saved anew rather than said to be saved.
 */
async function expectRestoredPicture(hubUrl: string, acks: Ack[], backupBegan: number, headSeq: number) {
  const before = acks.filter((a) => a.ackedAt < backupBegan);
  expect(before.length).toBeGreaterThan(20);
  const person: ApiClient = await signIn(hubUrl, 'tib.nacka');
  const { seq, state } = await person.state();
  expect(seq).toBe(headSeq);
  for (const ack of before) expect(state.logEntries[ack.entryId]?.seq, ack.entryId).toBe(ack.seq);
  // A sender that never heard its answer sends again: the restored log knows the command id.
  const mine = before.filter((a) => a.username === 'tib.nacka').at(-1);
  const resent = await person.command(mine?.command);
  expect(resent.body).toEqual({ ok: true, data: { seq: mine?.seq } });
  // Whatever the restored log holds was acknowledged with that very seq (or not yet answered).
  for (const ack of acks) {
    const entry = state.logEntries[ack.entryId];
    if (entry) expect(entry.seq).toBe(ack.seq);
    else expect(ack.seq).toBeGreaterThan(headSeq);
  }
  // Acknowledged after the backup's head, its answer lost: the restored log does not hold
  // it, so sent again it is appended, and is in the picture at the seq it is answered with.
  const later = acks.find((a) => a.username === 'tib.nacka' && a.seq > headSeq);
  if (!later) throw new Error('no command of tib.nacka was acknowledged after the backup');
  const again = await person.command(later.command);
  expect(again.body.ok, JSON.stringify(again.body)).toBe(true);
  const savedAt = again.body.ok ? again.body.data.seq : 0;
  expect(savedAt).toBeGreaterThan(headSeq);
  expect((await person.state()).state.logEntries[later.entryId]?.seq).toBe(savedAt);
}

/** The manifest's head at start: every command acknowledged before the backup began is within it. */
function expectHeadAtStart(manifest: Manifest, acks: Ack[], backupBegan: number) {
  expect(manifest.headAtStart).toBeLessThanOrEqual(manifest.log.headSeq);
  for (const ack of acks.filter((a) => a.ackedAt < backupBegan)) {
    expect(ack.seq).toBeLessThanOrEqual(manifest.headAtStart);
  }
}

const expectGapFree = (events: StoredEvent[], first: number, head: number) =>
  expect(events.map((e) => e.seq)).toEqual(Array.from({ length: head - first + 1 }, (_, i) => first + i));

/**
 * The epoch the restore names: new (clients of the old one get the restored picture whole),
 * of the same log id, at the backup's head.
 */
function restoredEpoch(stdout: string, manifest: Manifest): string {
  const said = new RegExp(
    `log id ${manifest.log.logId}, epoch ([0-9a-f-]{36}), head seq ${manifest.log.headSeq}\\b`,
  ).exec(stdout);
  const epoch = said?.[1];
  if (!epoch) throw new Error(`the restore did not say what it restored:\n${stdout}`);
  expect(epoch).not.toBe(manifest.log.epoch);
  return epoch;
}

const readManifest = async (dir: string) =>
  Manifest.parse(JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')));

describe('backup and restore of the embedded log', () => {
  const dirs: string[] = [];
  const hubs: HubProcess[] = [];
  const tempDir = (name: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), `lagesbild-${name}-`));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    await Promise.all(hubs.map((hub) => hub.kill()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('backs up while ten clients write; the restored hub holds every command acknowledged before', async () => {
    const dataDir = tempDir('data');
    const hub = await startHub({ dataDir, env: { SNAPSHOT_EVERY: '60' } });
    hubs.push(hub);
    const load = await startLoad([hub.url]);
    await load.waitForMore(100);

    const backupDir = path.join(tempDir('backups'), 'nightly');
    const backupBegan = Date.now();
    const backup = await runAdminCli(['backup', backupDir], { DATA_DIR: dataDir });
    await load.waitForMore(30);
    await load.stop();
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(
      /Backed up log [0-9a-f-]{36} \(epoch [0-9a-f-]{36}\) from .* into .*nightly:/,
    );
    expect(backup.stdout).toContain('sessions: everyone signs in again');
    expect(load.failures).toEqual([]);

    const manifest = await readManifest(backupDir);
    expect(manifest.mode).toBe('embedded');
    expectHeadAtStart(manifest, load.acks, backupBegan);
    expect((await readdir(backupDir)).sort()).toEqual(
      ['audit.jsonl', 'events.jsonl', 'manifest.json', 'meta.json', 'snapshot.json'].filter(
        (name) => name !== 'snapshot.json' || manifest.log.snapshotSeq !== null,
      ),
    );
    expect(manifest.log.snapshotSeq).not.toBeNull();

    const restoredDir = path.join(tempDir('restored'), 'data');
    const restored = await runAdminCli(['restore', backupDir], { DATA_DIR: restoredDir });
    expect(restored.code, restored.stderr).toBe(0);
    const epoch = restoredEpoch(restored.stdout, manifest);
    expect(restored.stdout).toContain(`into DATA_DIR ${restoredDir}`);
    expect((await readdir(restoredDir)).sort()).toEqual(['audit.jsonl', 'events.jsonl', 'meta.json']);

    // A prefix of the original log, gap-free, event for event.
    const original = await journalEvents(path.join(dataDir, 'events.jsonl'));
    const copy = await journalEvents(path.join(restoredDir, 'events.jsonl'));
    expectGapFree(copy, 1, manifest.log.headSeq);
    expect(copy).toEqual(original.slice(0, copy.length));

    // The restored directory starts as a hub's without hand-editing, in the same epoch.
    const restoredHub = await startHub({ dataDir: restoredDir });
    hubs.push(restoredHub);
    await expectRestoredPicture(restoredHub.url, load.acks, backupBegan, manifest.log.headSeq);
    const reader = await signIn(restoredHub.url, 'tib.lansstyrelsen');
    const socket = new FoldingClient(restoredHub.url, reader.cookie);
    await socket.connected();
    expect(socket.epoch).toBe(epoch);
    expect((await socket.send(logEntry('Efter återställningen'))).ok).toBe(true);
    socket.close();
  }, 120_000);

  describe('refuses what it must not do, and changes nothing', () => {
    let dataDir = '';
    let backupDir = '';
    beforeAll(async () => {
      dataDir = tempDir('data');
      const hub = await startHub({ dataDir });
      hubs.push(hub);
      const person = await signIn(hub.url, 'tib.nacka');
      expect((await person.command(logEntry('Något att säkerhetskopiera'))).body.ok).toBe(true);
      backupDir = path.join(tempDir('backup'), 'b');
      const taken = await runAdminCli(['backup', backupDir], { DATA_DIR: dataDir });
      expect(taken.code, taken.stderr).toBe(0);
    });

    it('starts a hub on a plain copy of a running hub’s DATA_DIR, lock file and all', async () => {
      const copied = path.join(tempDir('copied'), 'data');
      cpSync(dataDir, copied, { recursive: true });
      expect(existsSync(path.join(copied, 'hub.lock'))).toBe(true);
      const hub = await startHub({ dataDir: copied });
      hubs.push(hub);
      const person = await signIn(hub.url, 'tib.nacka');
      const { state } = await person.state();
      expect(Object.values(state.logEntries).map((e) => e.text)).toContain('Något att säkerhetskopiera');
    });

    it('refuses to back up into a directory that is not empty', async () => {
      const occupied = tempDir('backup-occupied');
      await writeFile(path.join(occupied, 'old-notes.txt'), 'förra veckan');
      const refused = await runAdminCli(['backup', occupied], { DATA_DIR: dataDir });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        `Refused: the backup directory ${occupied} is not empty (it holds old-notes.txt)`,
      );
      expect(await readdir(occupied)).toEqual(['old-notes.txt']);
      // An earlier backup is not overwritten either.
      const again = await runAdminCli(['backup', backupDir], { DATA_DIR: dataDir });
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('a backup never overwrites another');
    });

    it('refuses to restore into a DATA_DIR that is not empty, leaving it as it was', async () => {
      const occupied = tempDir('occupied');
      await writeFile(path.join(occupied, 'events.jsonl'), 'someone else’s journal\n');
      const refused = await runAdminCli(['restore', backupDir], { DATA_DIR: occupied });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`Refused: DATA_DIR ${occupied} is not empty (it holds events.jsonl)`);
      expect(await readdir(occupied)).toEqual(['events.jsonl']);
      expect(await readFile(path.join(occupied, 'events.jsonl'), 'utf8')).toBe('someone else’s journal\n');
    });

    it('removes a restore whose check fails, leaving DATA_DIR as empty as it was', async () => {
      const wrong = tempDir('wrong-head');
      for (const name of await readdir(backupDir)) {
        await writeFile(path.join(wrong, name), await readFile(path.join(backupDir, name)));
      }
      // A manifest that names a head the journal does not reach (the files' checksums hold).
      const manifest = await readManifest(wrong);
      const claimed = { ...manifest, log: { ...manifest.log, headSeq: manifest.log.headSeq + 5 } };
      await writeFile(path.join(wrong, 'manifest.json'), JSON.stringify(claimed));
      const target = path.join(tempDir('target'), 'data');
      const refused = await runAdminCli(['restore', wrong], { DATA_DIR: target });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /did not open as the backup describes, so it was removed again: .* at seq \d+/,
      );
      // No journal left behind, and no lock either: a hub starts there on an empty log.
      expect(await readdir(target)).toEqual([]);
    });

    it('refuses a damaged backup before restoring anything', async () => {
      const damaged = tempDir('damaged');
      for (const name of await readdir(backupDir)) {
        await writeFile(path.join(damaged, name), await readFile(path.join(backupDir, name)));
      }
      const journal = await readFile(path.join(damaged, 'events.jsonl'));
      const at = journal.length - 20;
      journal[at] = (journal[at] ?? 0) ^ 1;
      await writeFile(path.join(damaged, 'events.jsonl'), journal);
      const target = path.join(tempDir('target'), 'data');
      const refused = await runAdminCli(['restore', damaged], { DATA_DIR: target });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/The backup in .* is damaged: events\.jsonl has \d+ bytes with SHA-256/);
      expect(await readdir(path.dirname(target))).toEqual([]);

      const notABackup = await runAdminCli(['restore', tempDir('empty')], { DATA_DIR: target });
      expect(notABackup.stderr).toMatch(/holds no complete backup: there is no manifest\.json/);
    });
  });
});

describe('backup and restore of the Redis log', () => {
  const redises: RedisServer[] = [];
  const hubs: HubProcess[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(hubs.map((hub) => hub.kill()));
    await Promise.all(redises.map((redis) => redis.stop()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('backs up through two hubs under load; restored into an empty Redis, a hub serves every acked command', async () => {
    const [source, empty] = await Promise.all([startRedis(), startRedis()]);
    redises.push(source, empty);
    // Small snapshot interval and retention, so the stream is trimmed behind snapshots.
    const tuning = { SNAPSHOT_EVERY: '50', LOG_RETAIN_EVENTS: '100', REDIS_KEY_PREFIX: 'backup-test:' };
    // One after the other: the first seeds the demo directory before the second opens the log.
    const hubA = await startHub({ env: { ...tuning, REDIS_URL: source.url, HUB_ID: 'hub-a' } });
    const hubB = await startHub({ env: { ...tuning, REDIS_URL: source.url, HUB_ID: 'hub-b' } });
    hubs.push(hubA, hubB);
    const load = await startLoad([hubA.url, hubB.url]);
    await load.waitForMore(250);

    const backupDir = path.join(mkdtempSync(path.join(tmpdir(), 'lagesbild-redis-backup-')), 'b');
    dirs.push(path.dirname(backupDir));
    const env = { REDIS_URL: source.url, REDIS_KEY_PREFIX: 'backup-test:' };
    const backupBegan = Date.now();
    const backup = await runAdminCli(['backup', backupDir], env);
    await load.waitForMore(30);
    await load.stop();
    expect(backup.code, backup.stderr).toBe(0);
    expect(load.failures).toEqual([]);
    const manifest = await readManifest(backupDir);
    expect(manifest.mode).toBe('redis');
    expectHeadAtStart(manifest, load.acks, backupBegan);
    expect(manifest.log.snapshotSeq).not.toBeNull();
    // The stream was trimmed behind a snapshot: the backup holds the snapshot and what follows.
    expect(manifest.log.firstSeq).toBeGreaterThan(1);
    expect(manifest.log.firstSeq).toBeLessThanOrEqual((manifest.log.snapshotSeq ?? 0) + 1);

    // Not into the Redis it came from: that one holds a log.
    const intoSource = await runAdminCli(['restore', backupDir], env);
    expect(intoSource.code).toBe(1);
    expect(intoSource.stderr).toContain('already holds keys under the prefix "backup-test:"');

    const restored = await runAdminCli(['restore', backupDir], { ...env, REDIS_URL: empty.url });
    expect(restored.code, restored.stderr).toBe(0);
    restoredEpoch(restored.stdout, manifest);

    const copy = await streamEvents(empty.url, 'backup-test:events');
    expectGapFree(copy, manifest.log.firstSeq, manifest.log.headSeq);
    // Each event is where its command's sender was told it is (the source's stream has since
    // been trimmed further by its own snapshots, so the acks are the record to compare with).
    const ackedSeq = new Map(load.acks.map((a) => [a.commandId, a.seq]));
    const ours = copy.filter((e) => ackedSeq.has(e.commandId));
    expect(ours.length).toBeGreaterThan(20);
    for (const event of ours) expect(event.seq).toBe(ackedSeq.get(event.commandId));
    // The audit trail came along, with the bounds its time queries widen their scan by; the
    // source hubs' writer numbers stayed behind (they belong to those processes).
    expect(Number(await redisReply(empty.url, ['XLEN', 'backup-test:audit']))).toBeGreaterThan(0);
    const bounds = await redisReply(empty.url, ['HMGET', 'backup-test:audit:bounds', 'heldMs', 'aheadMs']);
    expect(bounds).toEqual([expect.stringMatching(/^\d+$/), expect.stringMatching(/^\d+$/)]);
    expect(await redisReply(empty.url, ['KEYS', 'backup-test:audit:writer:*'])).toEqual([]);

    const restoredHub = await startHub({ env: { ...tuning, REDIS_URL: empty.url } });
    hubs.push(restoredHub);
    await expectRestoredPicture(restoredHub.url, load.acks, backupBegan, manifest.log.headSeq);
  }, 120_000);
});
