/** A command id the embedded log remembers: the seq of its last event and when it was appended. */
export type RememberedCommand = { seq: number; t: number };

/**
 * The command ids appended within the idempotency window, oldest first. A Map keeps
 * insertion order, and commands are inserted in append order, so expiry only ever has to
 * look at the front.
 */
export class RecentCommands {
  readonly #map = new Map<string, RememberedCommand>();

  constructor(private readonly windowMs: number) {}

  /** The command if it was appended less than the window ago. */
  get(commandId: string, now: number): RememberedCommand | undefined {
    this.prune(now);
    const found = this.#map.get(commandId);
    // Checked again: a clock that stepped back can leave expired entries behind the front.
    return found && now - found.t < this.windowMs ? found : undefined;
  }

  remember(commandId: string, seq: number, t: number): void {
    this.#map.delete(commandId);
    this.#map.set(commandId, { seq, t });
  }

  /** Entries still inside the window whose events are all at or below `maxSeq` (for snapshots). */
  entries(now: number, maxSeq: number): [string, number, number][] {
    this.prune(now);
    const out: [string, number, number][] = [];
    for (const [id, c] of this.#map) if (c.seq <= maxSeq) out.push([id, c.seq, c.t]);
    return out;
  }

  get size(): number {
    return this.#map.size;
  }

  private prune(now: number): void {
    for (const [id, c] of this.#map) {
      if (now - c.t < this.windowMs) return;
      this.#map.delete(id);
    }
  }
}
