import type { StoredEvent } from '@lagesbild/shared';
import type { LogSink } from './log-sink.js';

/** What a tail needs from the embedded log. */
export type TailSource = {
  /** The last durable seq. */
  head(): number;
  /** Events after `after` from memory, or null when memory does not reach back that far. */
  readRecent(after: number): StoredEvent[] | null;
  /** Events after `after` from the file. */
  read(after: number): Promise<StoredEvent[]>;
  closed(): boolean;
  logger: LogSink;
};

/**
 * One `tail` of the embedded log. It owns a cursor (the last seq delivered) and one pump
 * that runs at a time, so deliveries stay in order however often it is woken: by the
 * flush loop after each group commit, or once at start for the catch-up.
 */
export class TailSubscriber {
  #last: number;
  #running = false;
  #again = false;

  constructor(
    afterSeq: number,
    private readonly onEvents: (events: StoredEvent[]) => void,
    private readonly source: TailSource,
  ) {
    this.#last = afterSeq;
  }

  wake(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    void this.#pump().finally(() => {
      this.#running = false;
    });
  }

  async #pump(): Promise<void> {
    do {
      this.#again = false;
      while (!this.source.closed() && this.#last < this.source.head()) {
        let events = this.source.readRecent(this.#last);
        if (events === null) {
          try {
            events = await this.source.read(this.#last);
          } catch (error) {
            if (this.source.closed()) return;
            this.source.logger.error(
              { err: (error as Error).message, afterSeq: this.#last },
              'journal.tailReadFailed',
            );
            return;
          }
        }
        const fresh = events.filter((e) => e.seq > this.#last);
        if (fresh.length === 0) return;
        const first = fresh[0];
        if (first && first.seq !== this.#last + 1) {
          this.source.logger.error(
            { afterSeq: this.#last, firstSeq: first.seq },
            'journal.tailBeyondRetainedHistory',
          );
        }
        this.#last = fresh[fresh.length - 1]?.seq ?? this.#last;
        this.#deliver(fresh);
      }
    } while (this.#again && !this.source.closed());
  }

  #deliver(events: StoredEvent[]): void {
    try {
      this.onEvents(events);
    } catch (error) {
      // A failing consumer must not stop the log nor the other tails.
      this.source.logger.error({ err: (error as Error).message }, 'journal.tailConsumerThrew');
    }
  }
}
