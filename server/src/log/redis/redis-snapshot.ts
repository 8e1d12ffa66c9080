import { z } from 'zod';
import { DirectoryState } from '@lagesbild/shared';
import { LogLostError, type Snapshot } from '../event-log.js';
import type { LogSink } from '../log-sink.js';
import { safeJson } from '../safe-json.js';
import {
  SnapshotDataError,
  SnapshotV1State,
  captureSnapshot,
  decodeSnapshotBuffer,
  encodeSnapshot,
  isSnapshotV2,
} from '../snapshot-codec.js';
import type { RedisCalls } from './redis-calls.js';
import { SNAPSHOT_SCRIPT } from './redis-scripts.js';
import { StreamDataError, entryId } from './redis-stream.js';

/** The snapshot hash's fields seq, state and directory, read as bytes. */
const SnapshotHash = z.tuple([
  z.instanceof(Buffer).nullable(),
  z.instanceof(Buffer).nullable(),
  z.instanceof(Buffer).nullable(),
]);
/** Snapshot format 1: state and directory as JSON, validated whole with the schemas. Still read. */
const SnapshotBody = z.strictObject({ state: SnapshotV1State, directory: DirectoryState });
/** Format 2 keeps state and directory in the `state` field; `directory` holds this marker. */
const V2_DIRECTORY_MARKER = 'in state (format 2)';
/** The header of a format-2 snapshot in Redis. */
const SnapshotHeader = z.strictObject({ version: z.literal(2), seq: z.number().int().min(0) });
const SeqText = z
  .string()
  .regex(/^\d+$/)
  .transform((v) => Number(v));

/**
 * The keys a snapshot touches: its hash, the stream and head it is checked and trimmed
 * against, and the meta hash whose epoch must be the one the hub opened.
 */
export type SnapshotKeys = { snapshot: string; events: string; head: string; meta: string };

/**
 * The Redis log's snapshot: a hash with the seq, and the state and directory in snapshot
 * format 2 (format 1, JSON, is still read). Storing one trims the stream to the retained
 * history before it.
 */
export class RedisSnapshots {
  /** Why the stored snapshot was not used, when it was not; named if replaying fails too. */
  problem: string | null = null;
  /** The size of the last snapshot stored or read, to size the next one's buffer. */
  #lastBytes = 0;

  constructor(
    private readonly calls: RedisCalls,
    private readonly keys: SnapshotKeys,
    private readonly retainEvents: number,
    private readonly logger: LogSink,
  ) {}

  /**
   * The stored snapshot, or null when there is none or it is unusable (then the caller
   * replays the stream, which works as long as it was not trimmed). Format 2 is checked by
   * its checksum and structure (see snapshot-codec.ts); format 1 by the schemas.
   */
  async load(): Promise<Snapshot | null> {
    const reply = await this.calls.callForBytes(
      ['HMGET', this.keys.snapshot, 'seq', 'state', 'directory'],
      'HMGET snapshot',
    );
    const [seqBytes, stateBytes, directoryBytes] = SnapshotHash.parse(reply);
    if (seqBytes === null || stateBytes === null || directoryBytes === null) return null;
    const seq = SeqText.parse(seqBytes.toString('latin1'));
    this.#lastBytes = stateBytes.length;
    if (isSnapshotV2(stateBytes)) {
      try {
        const decoded = decodeSnapshotBuffer(stateBytes);
        const header = SnapshotHeader.safeParse(decoded.header);
        if (!header.success || header.data.seq !== seq || decoded.tables.size > 0) {
          throw new SnapshotDataError(`the header does not match the snapshot at seq ${seq}`);
        }
        return { seq, state: decoded.state, directory: decoded.directory };
      } catch (error) {
        if (!(error instanceof SnapshotDataError)) throw error;
        this.problem = error.message;
        this.logger.warn(
          { key: this.keys.snapshot, problem: error.message },
          'redis.snapshotIgnored: replaying the stream instead',
        );
        return null;
      }
    }
    const body = SnapshotBody.safeParse({
      state: safeJson(stateBytes.toString('utf8')),
      directory: safeJson(directoryBytes.toString('utf8')),
    });
    if (!body.success) {
      throw new StreamDataError(
        `snapshot in ${this.keys.snapshot} is invalid: ${body.error.message.slice(0, 500)}`,
      );
    }
    return { seq, ...body.data };
  }

  /**
   * Stores a snapshot unless one at the same or a later seq is stored already, and only
   * into the log of `epoch` (else LogLostError).
   */
  async save(snapshot: Snapshot, epoch: string): Promise<void> {
    // Captured now, before the first await: the caller goes on folding events into the
    // same state object, and a later event must not leak into a snapshot labelled `seq`.
    const captured = captureSnapshot(snapshot.state, snapshot.directory);
    // Every hub folds the same log and saves at the same seqs; the first to get there
    // saves for all. Asking is one small read, serialising and storing a large state is
    // seconds of work for this hub and a long write for Redis, which holds up every append.
    const stored = await this.calls.call(['HGET', this.keys.snapshot, 'seq'], 'HGET snapshot seq');
    if (typeof stored === 'string' && Number(stored) >= snapshot.seq) return;
    // Serialised a chunk at a time, yielding in between, so a large state does not hold up
    // the hub for the whole serialisation. Copied into one buffer piece by piece as they
    // are made, sized from the last snapshot, rather than concatenated at the end: one copy
    // of the whole state at once would hold up the hub again.
    let body = Buffer.allocUnsafe(Math.max(1 << 20, Math.ceil(this.#lastBytes * 1.1)));
    let length = 0;
    for (const piece of encodeSnapshot({ seq: snapshot.seq }, captured)) {
      if (length + piece.length > body.length) {
        const grown = Buffer.allocUnsafe(Math.max(body.length * 2, length + piece.length));
        body.copy(grown, 0, 0, length);
        body = grown;
      }
      piece.copy(body, length);
      length += piece.length;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.#lastBytes = length;
    const minSeq = snapshot.seq - this.retainEvents + 1;
    const reply = await this.calls.runScript(
      SNAPSHOT_SCRIPT,
      [this.keys.snapshot, this.keys.events, this.keys.head, this.keys.meta],
      [
        String(snapshot.seq),
        body.subarray(0, length),
        V2_DIRECTORY_MARKER,
        minSeq > 1 ? entryId(minSeq) : '',
        epoch,
      ],
      'saveSnapshot',
    );
    if (reply === -2)
      throw new LogLostError(`the Redis log's epoch is no longer ${epoch}: snapshot not stored`);
    if (reply === -1) throw new Error(`cannot snapshot seq ${snapshot.seq}: it is beyond the log's head`);
  }
}
