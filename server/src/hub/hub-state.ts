import {
  applyDirectory,
  applyInPlace,
  initialDirectory,
  initialState,
  type DirectoryState,
  type State,
  type StoredEvent,
} from '@lagesbild/shared';

type Listener = (events: readonly StoredEvent[]) => void;

/**
 * The hub's fold of the log: the full domain state, the directory (accounts, devices), the
 * position in the log, and a window of recent events for catch-up. Events enter only through `ingest`, in order, whoever
 * appended them, so every hub holds the same state at the same sequence number.
 */
export class HubState {
  state: State;
  readonly directory: DirectoryState;
  headSeq: number;
  /**
   * The log's time of the newest event folded (`at`), null before the first: the write
   * path never stamps an event earlier (see WritePath).
   */
  lastAt: string | null = null;
  readonly epoch: string;
  private readonly recent: StoredEvent[] = [];
  /** The last event of each recent command: its seq, and its sender (`by.userId`). */
  private readonly recentCommands = new Map<string, StoredEvent>();
  private readonly listeners = new Set<Listener>();

  constructor(
    epoch: string,
    private readonly retain: number,
    start: { seq: number; state: State; directory?: DirectoryState | undefined } | null,
  ) {
    this.epoch = epoch;
    this.state = start ? start.state : initialState();
    this.directory = start?.directory ?? initialDirectory();
    this.headSeq = start ? start.seq : 0;
  }

  /** The oldest sequence number catch-up can start after; older clients get a snapshot. */
  get oldestCatchUpSeq(): number {
    return this.recent.length > 0 ? (this.recent[0]?.seq ?? 1) - 1 : this.headSeq;
  }

  /**
   * Folds events that follow the head; ones already folded are skipped, so the same
   * events may arrive from an own append and from the tail. A gap is a broken promise of
   * the log and throws, so the caller re-reads instead of folding a wrong state.
   */
  ingest(events: readonly StoredEvent[]): void {
    const fresh: StoredEvent[] = [];
    // Events before this index would be trimmed from the catch-up window again by the end
    // of this batch (a replay at start-up folds up to a million at once), so they are not
    // remembered at all.
    const rememberFrom = events.length - this.retain;
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      if (!event || event.seq <= this.headSeq) continue;
      if (event.seq !== this.headSeq + 1) {
        throw new Error(`Gap in the log: expected seq ${this.headSeq + 1}, got ${event.seq}`);
      }
      applyInPlace(this.state, [event]);
      applyDirectory(this.directory, event);
      this.headSeq = event.seq;
      this.lastAt = event.at;
      if (i >= rememberFrom) this.remember(event);
      else if (this.recent.length > 0) this.forgetAll(); // the window must stay contiguous
      fresh.push(event);
    }
    if (fresh.length === 0) return;
    for (const listener of this.listeners) listener(fresh);
  }

  /** Calls `listener` with every batch of newly folded events. */
  onEvents(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves once the hub has folded up to `seq` (at once if it has), or after `timeoutMs`,
   * with whether it got there. `waitFor(hub.headSeq + 1, ms)` waits for the next events.
   */
  waitFor(seq: number, timeoutMs: number): Promise<boolean> {
    if (this.headSeq >= seq) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (reached: boolean) => {
        clearTimeout(timer);
        stop();
        resolve(reached);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      const stop = this.onEvents(() => {
        if (this.headSeq >= seq) done(true);
      });
    });
  }

  /** Events after `seq` from the retained window, or null when the window does not reach back. */
  eventsAfter(seq: number): StoredEvent[] | null {
    if (seq < this.oldestCatchUpSeq) return null;
    const first = this.recent[0]?.seq;
    if (first === undefined || seq >= this.headSeq) return [];
    return this.recent.slice(seq + 1 - first);
  }

  /** The last seq and the sender of a recently appended command, if this hub has seen it. */
  recentCommand(commandId: string): { seq: number; sender: string } | undefined {
    const last = this.recentCommands.get(commandId);
    return last && { seq: last.seq, sender: last.by.userId };
  }

  private forgetAll(): void {
    this.recent.length = 0;
    this.recentCommands.clear();
  }

  private remember(event: StoredEvent): void {
    this.recent.push(event);
    this.recentCommands.set(event.commandId, event);
    if (this.recent.length > this.retain + Math.max(100, this.retain / 10)) {
      // Trim in batches so trimming stays cheap per event on average.
      for (const old of this.recent.splice(0, this.recent.length - this.retain)) {
        if (this.recentCommands.get(old.commandId) === old) this.recentCommands.delete(old.commandId);
      }
    }
  }
}
