import { CommandAck, type Command } from '@lagesbild/shared';
import { FoldingClient } from '../support/socket-client.js';

/**
 * The client's outbox rules (client/src/outbox): a command keeps its id through every retry,
 * only one is on the wire at a time, nothing is sent while the socket is down, and only a
 * final answer from the hub (an ack, or a refusal that is not about load or the log) ends it.
 */
const RETRYABLE = new Set(['timeout', 'log_unavailable', 'rate_limited']);

/** What happened to one command, as the sender saw it. */
export type SentCommand = {
  id: string;
  type: string;
  attempts: number;
  /** Attempts that got no ack within the timeout: the hub may or may not have it. */
  timeouts: number;
  /** The longest any attempt took to resolve or fail, in ms. */
  slowestAttemptMs: number;
  outcome: 'pending' | 'acked' | 'refused';
  /** Why the hub refused it, for refused commands. */
  refusal?: string;
  /** When the ack arrived, for counting acks during a fault. */
  ackedAt?: number;
};

export type DutyOfficerOptions = {
  url: string;
  cookie: string;
  localAddress?: string;
  /** The client's command ack timeout (the app uses 10 s). */
  ackTimeoutMs: number;
  reconnectionDelay?: number;
  reconnectionDelayMax?: number;
};

/**
 * A headless duty officer for the fault battery: it folds the hub's events like the app does
 * (FoldingClient) and sends its commands the way the app's outbox does, keeping the record
 * the battery counts (sent, acked, lost, duplicated).
 */
export class DutyOfficer {
  readonly client: FoldingClient;
  readonly sent = new Map<string, SentCommand>();
  private readonly queue: Command[] = [];
  private draining: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: DutyOfficerOptions) {
    this.client = new FoldingClient(options.url, options.cookie, {
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      reconnectionDelay: options.reconnectionDelay ?? 250,
      reconnectionDelayMax: options.reconnectionDelayMax ?? 2000,
    });
  }

  /** Commands not yet answered finally (acked or refused). */
  get pending(): number {
    return this.queue.length;
  }

  /** Queues a command and starts sending if idle; resolves when the queue is empty. */
  enqueue(command: Command): Promise<void> {
    this.sent.set(command.id, {
      id: command.id,
      type: command.type,
      attempts: 0,
      timeouts: 0,
      slowestAttemptMs: 0,
      outcome: 'pending',
    });
    this.queue.push(command);
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  /** Resolves once every queued command has a final answer, or rejects after `timeoutMs`. */
  async settled(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length > 0 || this.draining) {
      if (Date.now() > deadline) throw new Error(`${this.queue.length} command(s) still unanswered`);
      await sleep(50);
    }
  }

  close(): void {
    this.stopped = true;
    this.client.close();
  }

  private async drain(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      const command = this.queue[0];
      if (!command) return;
      const record = this.sent.get(command.id);
      if (!record) throw new Error(`no record for ${command.id}`);
      if (!this.client.socket.connected) {
        // The app's sendCommand answers `offline` and waits for the link; so does this.
        await sleep(50);
        continue;
      }
      const answer = await this.attempt(command, record);
      if (answer === 'retry') {
        failures++;
        await sleep(Math.min(1000, 50 * 2 ** Math.min(failures, 5)));
        continue;
      }
      failures = 0;
      this.queue.shift();
    }
  }

  private async attempt(command: Command, record: SentCommand): Promise<'retry' | 'final'> {
    record.attempts++;
    const started = Date.now();
    const ack = await this.client
      .send(command, this.options.ackTimeoutMs)
      .then((raw) => CommandAck.parse(raw))
      .catch(() => null);
    record.slowestAttemptMs = Math.max(record.slowestAttemptMs, Date.now() - started);
    if (!ack) {
      record.timeouts++;
      return 'retry';
    }
    if (ack.ok) {
      record.outcome = 'acked';
      record.ackedAt = Date.now();
      return 'final';
    }
    if (RETRYABLE.has(ack.error.code)) return 'retry';
    record.outcome = 'refused';
    record.refusal = `${ack.error.code}: ${ack.error.message}`;
    return 'final';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
