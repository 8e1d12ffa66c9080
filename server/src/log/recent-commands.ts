/**
 * A command id the embedded log remembers: the seq of its last event, when it was appended,
 * and who sent it with which payload hash (null when unknown: remembered from a snapshot
 * written before they were stored, or a system change without a payload hash).
 */
export type RememberedCommand = { seq: number; t: number; sender: string | null; payloadHash: string | null };

/**
 * Commands as a snapshot stores them: by column, oldest first. Snapshots written before
 * senders and payload hashes were stored have only the first three columns.
 */
export type CommandColumns = {
  ids: string[];
  seqs: number[];
  ts: number[];
  senders?: (string | null)[];
  payloadHashes?: (string | null)[];
};

/** One remembered command as a snapshot row: id, seq, t, sender, payload hash. */
export type CommandRow = [string, number, number, string | null, string | null];

/** Commands moved from the backlog into the map per turn of the event loop. */
const RESTORE_SLICE = 50_000;

/**
 * The command ids appended within the idempotency window, oldest first. A Map keeps
 * insertion order, and commands are inserted in append order, so expiry only ever has to
 * look at the front.
 */
export class RecentCommands {
  readonly #map = new Map<string, RememberedCommand>();
  /** Commands not yet in the map, oldest first, from `restore` (`next` is the first left). */
  #backlog: { columns: Required<CommandColumns>; next: number } | null = null;

  constructor(private readonly windowMs: number) {}

  /**
   * Takes the commands a snapshot stored, oldest first, without mapping them yet: with a
   * long window that can be a million entries, most of a second of start-up. Commands
   * remembered afterwards queue behind them, so the map keeps its order. They are mapped
   * all at once by the first lookup, or in slices after `mapLater`.
   */
  restore(commands: CommandColumns): void {
    const unknown = () => commands.ids.map(() => null);
    this.#backlog = {
      columns: {
        ids: commands.ids,
        seqs: commands.seqs,
        ts: commands.ts,
        senders: commands.senders ?? unknown(),
        payloadHashes: commands.payloadHashes ?? unknown(),
      },
      next: 0,
    };
  }

  /** Maps what `restore` took in slices, one per turn of the event loop. */
  mapLater(): void {
    const slice = () => {
      this.#drain(RESTORE_SLICE);
      if (this.#backlog) setImmediate(slice);
    };
    if (this.#backlog) setImmediate(slice);
  }

  /** The command if it was appended less than the window ago. */
  get(commandId: string, now: number): RememberedCommand | undefined {
    this.#drain(Infinity);
    this.prune(now);
    const found = this.#map.get(commandId);
    // Checked again: a clock that stepped back can leave expired entries behind the front.
    return found && now - found.t < this.windowMs ? found : undefined;
  }

  remember(commandId: string, command: RememberedCommand): void {
    const backlog = this.#backlog;
    if (backlog) {
      const { columns } = backlog;
      columns.ids.push(commandId);
      columns.seqs.push(command.seq);
      columns.ts.push(command.t);
      columns.senders.push(command.sender);
      columns.payloadHashes.push(command.payloadHash);
      return;
    }
    this.#map.delete(commandId);
    this.#map.set(commandId, command);
  }

  /**
   * Forgets a command remembered with last seq `seq`, whose append failed: a retry must be
   * appended anew, not answered with a seq that never reached the log.
   */
  forget(commandId: string, seq: number): void {
    this.#drain(Infinity);
    if (this.#map.get(commandId)?.seq === seq) this.#map.delete(commandId);
  }

  /**
   * Entries still inside the window whose events are all at or below `maxSeq`, for a
   * snapshot. Lazy, as a snapshot is written in chunks: the map may change between them,
   * and commands remembered meanwhile are past `maxSeq`, so they are left out.
   */
  *entriesUpTo(now: number, maxSeq: number): Generator<CommandRow> {
    this.#drain(Infinity);
    this.prune(now);
    for (const [id, c] of this.#map) if (c.seq <= maxSeq) yield [id, c.seq, c.t, c.sender, c.payloadHash];
  }

  get size(): number {
    this.#drain(Infinity);
    return this.#map.size;
  }

  #drain(limit: number): void {
    const backlog = this.#backlog;
    if (!backlog) return;
    const { ids, seqs, ts, senders, payloadHashes } = backlog.columns;
    const end = Math.min(ids.length, backlog.next + limit);
    for (let i = backlog.next; i < end; i++) {
      const id = ids[i] ?? '';
      // A later entry for the same id replaces the earlier one and moves to the back.
      this.#map.delete(id);
      this.#map.set(id, {
        seq: seqs[i] ?? 0,
        t: ts[i] ?? 0,
        sender: senders[i] ?? null,
        payloadHash: payloadHashes[i] ?? null,
      });
    }
    backlog.next = end;
    if (end >= ids.length) this.#backlog = null;
  }

  private prune(now: number): void {
    for (const [id, c] of this.#map) {
      if (now - c.t < this.windowMs) return;
      this.#map.delete(id);
    }
  }
}
