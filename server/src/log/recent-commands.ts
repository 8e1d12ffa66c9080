/** A command id the embedded log remembers: the seq of its last event and when it was appended. */
export type RememberedCommand = { seq: number; t: number };

/** Commands as a snapshot stores them: by column, oldest first. */
export type CommandColumns = { ids: string[]; seqs: number[]; ts: number[] };

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
  #backlog: (CommandColumns & { next: number }) | null = null;

  constructor(private readonly windowMs: number) {}

  /**
   * Takes the commands a snapshot stored, oldest first, without mapping them yet: with a
   * long window that can be a million entries, most of a second of start-up. Commands
   * remembered afterwards queue behind them, so the map keeps its order. They are mapped
   * all at once by the first lookup, or in slices after `mapLater`.
   */
  restore(commands: CommandColumns): void {
    this.#backlog = { ...commands, next: 0 };
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

  remember(commandId: string, seq: number, t: number): void {
    const backlog = this.#backlog;
    if (backlog) {
      backlog.ids.push(commandId);
      backlog.seqs.push(seq);
      backlog.ts.push(t);
      return;
    }
    this.#map.delete(commandId);
    this.#map.set(commandId, { seq, t });
  }

  /**
   * Entries still inside the window whose events are all at or below `maxSeq`, for a
   * snapshot. Lazy, as a snapshot is written in chunks: the map may change between them,
   * and commands remembered meanwhile are past `maxSeq`, so they are left out.
   */
  *entriesUpTo(now: number, maxSeq: number): Generator<[string, number, number]> {
    this.#drain(Infinity);
    this.prune(now);
    for (const [id, c] of this.#map) if (c.seq <= maxSeq) yield [id, c.seq, c.t];
  }

  get size(): number {
    this.#drain(Infinity);
    return this.#map.size;
  }

  #drain(limit: number): void {
    const backlog = this.#backlog;
    if (!backlog) return;
    const { ids, seqs, ts } = backlog;
    const end = Math.min(ids.length, backlog.next + limit);
    for (let i = backlog.next; i < end; i++) {
      const id = ids[i] ?? '';
      // A later entry for the same id replaces the earlier one and moves to the back.
      this.#map.delete(id);
      this.#map.set(id, { seq: seqs[i] ?? 0, t: ts[i] ?? 0 });
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
