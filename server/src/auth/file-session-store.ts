import { mkdir, open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { fsyncDir, writeAll } from '../log/journal-io.js';
import {
  Session,
  TOUCH_EVERY_MS,
  isLive,
  newSession,
  parseJson,
  sessionIdOf,
  type Lifetimes,
  type SessionStore,
} from './sessions.js';

/** The sessions file in DATA_DIR. */
export const SESSIONS_FILE = 'sessions.jsonl';

/**
 * The file is rewritten with only the live sessions once it holds this many records more
 * than twice the live ones: touches and sign-outs append, so it would otherwise only grow.
 */
const COMPACT_AFTER_RECORDS = 1000;

type StoredSession = z.infer<typeof Session>;

/** One line of the sessions file. Later lines win: a touch or a deletion names an earlier `put`. */
const SessionRecord = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('put'), id: z.string().min(1), session: Session }),
  z.strictObject({ op: z.literal('touch'), id: z.string().min(1), lastSeenAt: z.number() }),
  z.strictObject({ op: z.literal('delete'), id: z.string().min(1) }),
]);
type SessionRecord = z.infer<typeof SessionRecord>;

const line = (record: SessionRecord) => `${JSON.stringify(record)}\n`;

/**
 * Sessions of an embedded hub (no Redis): in memory for lookups, and in an append-only
 * file under DATA_DIR so that a restarted hub — even one killed with SIGKILL — still knows
 * everyone who was signed in. Like the Redis store it keeps only a hash of each token.
 *
 * Sign-ins and sign-outs are fsynced before they are answered. Touches (the idle clock)
 * are appended without fsync: the operating system writes them out soon, and one lost in
 * a power cut only makes that session idle out a little earlier than it should.
 * The data directory's lock (hub.lock) makes this hub the file's only writer.
 */
export class FileSessionStore implements SessionStore {
  private readonly sessions = new Map<string, StoredSession>();
  /** The ids of each account's sessions, so disabling an account finds them. */
  private readonly byAccount = new Map<string, Set<string>>();
  private file: FileHandle | null = null;
  /** Writes happen one after another, so a compaction never loses an append made meanwhile. */
  private writing: Promise<void> = Promise.resolve();
  private recordsInFile = 0;

  private constructor(
    private readonly filePath: string,
    private readonly life: Lifetimes,
    private readonly logger: Logger,
  ) {}

  /**
   * Reads the sessions file (skipping a last line torn by a crash), drops expired and
   * signed-out sessions, and rewrites the file with the live ones before appending to it.
   */
  static async open(
    dir: string,
    life: Lifetimes,
    logger: Logger,
    now = Date.now(),
  ): Promise<FileSessionStore> {
    await mkdir(dir, { recursive: true });
    const store = new FileSessionStore(path.join(dir, SESSIONS_FILE), life, logger);
    await store.load(now);
    await store.compact(now);
    return store;
  }

  async create(userId: string, now: number, deviceId?: string) {
    const { token, data } = newSession(userId, now, deviceId);
    const id = sessionIdOf(token);
    this.remember(id, data);
    await this.append(line({ op: 'put', id, session: data }), true);
    return { token, session: { ...data, id } };
  }

  createForDevice(deviceId: string, now: number) {
    return this.create('', now, deviceId);
  }

  async get(token: string, now: number) {
    const id = sessionIdOf(token);
    const data = this.sessions.get(id);
    if (!data) return null;
    if (!isLive(data, now, this.life)) {
      // Expired sessions are left out of the next compaction; no need to write now.
      this.forget(id);
      return null;
    }
    if (now - data.lastSeenAt > TOUCH_EVERY_MS) {
      data.lastSeenAt = now;
      // Not awaited and not fsynced: a request must not wait on the disk to be let in.
      void this.append(line({ op: 'touch', id, lastSeenAt: now }), false).catch((error: unknown) =>
        this.logger.warn({ err: (error as Error).message }, 'session touch not written'),
      );
    }
    return { ...data, id };
  }

  async delete(sessionId: string) {
    if (!this.sessions.has(sessionId)) return;
    this.forget(sessionId);
    await this.append(line({ op: 'delete', id: sessionId }), true);
  }

  async revokeAccount(userId: string, openedBefore: number) {
    const ids = [...(this.byAccount.get(userId) ?? [])].filter(
      (id) => (this.sessions.get(id)?.createdAt ?? Infinity) < openedBefore,
    );
    if (ids.length === 0) return 0;
    for (const id of ids) this.forget(id);
    await this.append(ids.map((id) => line({ op: 'delete', id })).join(''), true);
    return ids.length;
  }

  async close() {
    await this.writing;
    await this.file?.close();
    this.file = null;
  }

  private remember(id: string, data: StoredSession) {
    this.sessions.set(id, data);
    if (data.userId === '') return;
    const ids = this.byAccount.get(data.userId) ?? new Set<string>();
    ids.add(id);
    this.byAccount.set(data.userId, ids);
  }

  private forget(id: string) {
    const data = this.sessions.get(id);
    this.sessions.delete(id);
    if (!data) return;
    const ids = this.byAccount.get(data.userId);
    ids?.delete(id);
    if (ids?.size === 0) this.byAccount.delete(data.userId);
  }

  private async load(now: number) {
    const text = await readFile(this.filePath, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    const lines = text.split('\n');
    // The text after the last newline is a line a crash cut short (or nothing at all).
    const torn = lines.pop() ?? '';
    let unreadable = 0;
    for (const raw of lines) {
      if (raw === '') continue;
      const record = SessionRecord.safeParse(parseJson(raw));
      if (!record.success) {
        unreadable++;
        continue;
      }
      this.fold(record.data);
    }
    if (unreadable > 0) {
      // A damaged line in the middle could have been a sign-out; skipping it would let that
      // session back in. Everyone signs in again instead.
      this.logger.error({ file: this.filePath, unreadable }, 'sessions file damaged; all sessions dropped');
      this.sessions.clear();
      this.byAccount.clear();
    } else if (torn !== '') {
      this.logger.warn({ file: this.filePath }, 'sessions file ended in a torn line; skipped it');
    }
    for (const [id, data] of this.sessions) if (!isLive(data, now, this.life)) this.forget(id);
  }

  private fold(record: SessionRecord) {
    switch (record.op) {
      case 'put':
        this.remember(record.id, record.session);
        break;
      case 'touch': {
        const data = this.sessions.get(record.id);
        if (data) data.lastSeenAt = Math.max(data.lastSeenAt, record.lastSeenAt);
        break;
      }
      case 'delete':
        this.forget(record.id);
        break;
    }
  }

  private append(text: string, durable: boolean): Promise<void> {
    const lines = text.split('\n').length - 1;
    const write = this.writing.then(async () => {
      const file = this.file;
      if (!file) throw new Error('sessions file is closed');
      await writeAll(file, Buffer.from(text, 'utf8'));
      if (durable) await file.datasync();
      this.recordsInFile += lines;
    });
    // The queue goes on after a failed write; the caller of that write sees the error.
    this.writing = write.then(
      () => this.compactIfLarge(),
      () => undefined,
    );
    return write;
  }

  private async compactIfLarge() {
    if (this.recordsInFile <= COMPACT_AFTER_RECORDS + 2 * this.sessions.size) return;
    await this.compact(Date.now()).catch((error: unknown) =>
      this.logger.warn({ err: (error as Error).message }, 'sessions file not compacted; appending still'),
    );
  }

  /**
   * Replaces the file with one `put` per live session: written to a temp file, fsynced and
   * renamed over, so a crash leaves the old file or the new one, never a mix.
   */
  private async compact(now: number) {
    for (const [id, data] of this.sessions) if (!isLive(data, now, this.life)) this.forget(id);
    const temp = `${this.filePath}.tmp`;
    const records = [...this.sessions].map(([id, session]) => line({ op: 'put', id, session }));
    // Only the owner may read it: the CSRF tokens are in it.
    const handle = await open(temp, 'w', 0o600);
    try {
      await writeAll(handle, Buffer.from(records.join(''), 'utf8'));
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    await rename(temp, this.filePath);
    await fsyncDir(path.dirname(this.filePath));
    await this.file?.close();
    this.file = await open(this.filePath, 'a', 0o600);
    this.recordsInFile = records.length;
  }
}
