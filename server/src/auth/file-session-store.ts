import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../base/logger.js';
import { writeAll, writeFileAtomic } from '../log/journal/journal-io.js';
import {
  Session,
  TOUCH_EVERY_MS,
  isLive,
  newSession,
  parseJson,
  sessionIdOf,
  stillHoldsRights,
  type Lifetimes,
  type SessionOwner,
  type SessionRights,
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

/**
 * Appends a buffer to the open sessions file. Tests pass one that fails, as a full disk
 * would, to show that a failed sign-out can be tried again.
 */
export type AppendWriter = (file: FileHandle, buffer: Buffer) => Promise<void>;

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
  /**
   * The latest time a caller passed in. A compaction that follows an append runs on it,
   * not on the wall clock: callers own the clock (tests pass their own), and a session
   * must never be dropped as idle by a clock the caller did not use.
   */
  private latestNow = 0;
  /**
   * Sessions signed out or revoked whose deletion is not yet on disk: refused at once, but
   * remembered until it is, so that a failed write can be tried again and a compaction in
   * between does not write them back.
   */
  private readonly ending = new Set<string>();
  private file: FileHandle | null = null;
  /** Writes happen one after another, so a compaction never loses an append made meanwhile. */
  private writing: Promise<void> = Promise.resolve();
  private recordsInFile = 0;

  private constructor(
    private readonly filePath: string,
    private readonly life: Lifetimes,
    private readonly logger: Logger,
    private readonly writeToFile: AppendWriter,
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
    writeToFile: AppendWriter = writeAll,
  ): Promise<FileSessionStore> {
    await mkdir(dir, { recursive: true });
    const store = new FileSessionStore(path.join(dir, SESSIONS_FILE), life, logger, writeToFile);
    await store.load(now);
    await store.compact(now);
    return store;
  }

  create(userId: string, now: number, openedWith: SessionRights) {
    return this.openSession({ userId, openedWith }, now);
  }

  createForDevice(deviceId: string, now: number) {
    return this.openSession({ deviceId }, now);
  }

  private async openSession(owner: SessionOwner, now: number) {
    this.seen(now);
    const { token, data } = newSession(owner, now);
    const id = sessionIdOf(token);
    this.remember(id, data);
    await this.append(line({ op: 'put', id, session: data }), true);
    return { token, session: { ...data, id } };
  }

  async get(token: string, now: number) {
    this.seen(now);
    const id = sessionIdOf(token);
    const data = this.sessions.get(id);
    if (!data || this.ending.has(id)) return null;
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

  // The session is forgotten only once its deletion is on disk: were it forgotten first,
  // a failed write would leave it in the file (back after a restart) while a retry found
  // nothing to delete.
  async delete(sessionId: string) {
    if (!this.sessions.has(sessionId)) return;
    this.ending.add(sessionId);
    await this.append(line({ op: 'delete', id: sessionId }), true, () => this.forget(sessionId));
  }

  async revokeAccount(userId: string, openedBefore: number) {
    const ids = [...(this.byAccount.get(userId) ?? [])].filter(
      (id) => (this.sessions.get(id)?.createdAt ?? Infinity) < openedBefore,
    );
    return this.deleteAll(ids);
  }

  async revokeWithoutRights(account: SessionRights & { id: string }) {
    const ids = [...(this.byAccount.get(account.id) ?? [])].filter((id) => {
      const data = this.sessions.get(id);
      return data !== undefined && !stillHoldsRights(data, account);
    });
    return this.deleteAll(ids);
  }

  /** Deletes sessions in one fsynced append; forgotten once written, as in `delete`. */
  private async deleteAll(ids: readonly string[]) {
    if (ids.length === 0) return 0;
    for (const id of ids) this.ending.add(id);
    await this.append(ids.map((id) => line({ op: 'delete', id })).join(''), true, () => {
      for (const id of ids) this.forget(id);
    });
    return ids.length;
  }

  async close() {
    await this.writing;
    await this.file?.close();
    this.file = null;
  }

  private seen(now: number) {
    if (now > this.latestNow) this.latestNow = now;
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
    this.ending.delete(id);
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

  /** Appends lines; `written` runs once they are on disk, before any compaction that follows. */
  private append(text: string, durable: boolean, written?: () => void): Promise<void> {
    const lines = text.split('\n').length - 1;
    const write = this.writing.then(async () => {
      const file = this.file;
      if (!file) throw new Error('sessions file is closed');
      await this.writeToFile(file, Buffer.from(text, 'utf8'));
      if (durable) await file.datasync();
      this.recordsInFile += lines;
      written?.();
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
    await this.compact(this.latestNow).catch((error: unknown) =>
      this.logger.warn({ err: (error as Error).message }, 'sessions file not compacted; appending still'),
    );
  }

  /**
   * Replaces the file with one `put` per live session: written to a temp file, fsynced and
   * renamed over, so a crash leaves the old file or the new one, never a mix.
   */
  private async compact(now: number) {
    this.seen(now);
    for (const [id, data] of this.sessions) if (!isLive(data, now, this.life)) this.forget(id);
    // A session being deleted is left out: the file then no longer holds it either way.
    const records = [...this.sessions]
      .filter(([id]) => !this.ending.has(id))
      .map(([id, session]) => line({ op: 'put', id, session }));
    // Only the owner may read it: the CSRF tokens are in it.
    await writeFileAtomic(this.filePath, records.join(''), { mode: 0o600 });
    await this.file?.close();
    this.file = await open(this.filePath, 'a', 0o600);
    this.recordsInFile = records.length;
  }
}
