// The outbox keeps its items in IndexedDB; in Node, fake-indexeddb stands in for the
// browser's (in memory, with IndexedDB's transactions and structured cloning).
import 'fake-indexeddb/auto';
import { CommandAck, ConnectErrorData, type Command, type HubStatus } from '@lagesbild/shared';
import { hubFailure, localFailure, type ClientResult } from '../../client/src/api/client-result';
import { createOutbox, type CommandSender, type Outbox } from '../../client/src/outbox/outbox-engine';
import { isPending, type OutboxItem } from '../../client/src/outbox/outbox-item';
import { indexedDbStorage } from '../../client/src/outbox/outbox-storage';
import { useOutbox } from '../../client/src/stores/outbox';
import { FoldingClient } from '../support/socket-client.js';
import { describeCommand } from './ledger.js';

/** What happened to one command, as the sender saw it. */
export type SentCommand = {
  id: string;
  type: string;
  /** Attempts that went on the wire (the outbox does not send while the socket is down). */
  attempts: number;
  /** Attempts that got no ack within the timeout: the hub may or may not have it. */
  timeouts: number;
  /** The longest any attempt took to resolve or fail, in ms. */
  slowestAttemptMs: number;
  /** The outbox's verdict: `acked` once it marked the item sent, `refused` once failed. */
  outcome: 'pending' | 'acked' | 'refused';
  /** Why the hub refused it, for refused commands (`code: message`). */
  refusal?: string;
  /** The error code of the last attempt that did not end in an ack (`timeout`, `log_unavailable`…). */
  lastError?: string;
  /** When the ack arrived, for counting acks during a fault. */
  ackedAt?: number;
};

export type DutyOfficerOptions = {
  url: string;
  cookie: string;
  /** Whose commands these are: the outbox sends only the signed-in user's items. */
  userId: string;
  localAddress?: string;
  /** The client's command ack timeout (the app uses 10 s). */
  ackTimeoutMs: number;
  reconnectionDelay?: number;
  reconnectionDelayMax?: number;
  /**
   * Signs the person in again when the hub no longer knows the session (Redis lost its
   * data): resolves with the new session cookie. Without it a refused session ends the
   * officer's link for good, as the app then waits on its sign-in page.
   */
  signInAgain?: () => Promise<string>;
};

/** A `hub.status` as the officer heard it, with when. */
export type HeardStatus = { at: number; status: HubStatus };

/** How the app waits before it tries a refused handshake again (client/src/realtime/realtime.ts). */
const REFUSED_RETRY_BASE_MS = 2_000;
const REFUSED_RETRY_MAX_MS = 60_000;
const refusedRetryDelay = (attempt: number): number =>
  Math.min(REFUSED_RETRY_MAX_MS, REFUSED_RETRY_BASE_MS * 2 ** attempt) * (0.5 + Math.random());

/** Officers started and not yet closed, for a scenario's cleanup (closeOpenOfficers). */
const openOfficers = new Set<DutyOfficer>();

/**
 * Closes every officer still open: a scenario that fails before its own count closes them
 * from its `finally`, so their sockets and retry timers do not keep the test worker alive
 * and bury the first error.
 */
export async function closeOpenOfficers(): Promise<void> {
  await Promise.all([...openOfficers].map((officer) => officer.close()));
}

/**
 * A headless duty officer for the fault battery: it folds the hub's events like the app does
 * (FoldingClient) and sends its commands through the app's own outbox (client/src/outbox:
 * the engine over IndexedDB storage, its retry rules and backoff), woken by the same signals
 * as in the app. The battery's record of each command (attempts, timeouts, the slowest
 * attempt) is taken on the wire, its outcome from the outbox's state.
 */
export class DutyOfficer {
  readonly client: FoldingClient;
  readonly sent = new Map<string, SentCommand>();
  /** Every `hub.status` the hubs sent this officer, in order. */
  readonly statuses: HeardStatus[] = [];
  /** Handshakes a hub refused (`code` → count), and how often the person signed in again. */
  readonly refusedHandshakes = new Map<string, number>();
  signInsAgain = 0;
  private readonly outbox: Outbox;
  private refusedAttempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  /** Commands whose final answer someone awaits, by id. */
  private readonly waiting = new Map<string, () => void>();
  private readonly unsubscribe: () => void;

  private constructor(private readonly options: DutyOfficerOptions) {
    this.client = new FoldingClient(options.url, options.cookie, {
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      reconnectionDelay: options.reconnectionDelay ?? 250,
      reconnectionDelayMax: options.reconnectionDelayMax ?? 2000,
    });
    this.outbox = createOutbox({
      storage: indexedDbStorage(),
      send: this.sender(),
      // The officers stand for separate devices: they never take turns, as tabs of one
      // browser would (the app's default runner uses Web Locks where they exist).
      exclusive: (task) => task(),
    });
    // The outbox store and the IndexedDB database are one per process, so the officers
    // share them as users of one browser would: each engine sends only its own user's
    // items, and each officer listens for its own items reaching a verdict.
    this.unsubscribe = useOutbox.subscribe((state) => this.noteVerdicts(state.items));
    this.wakeLikeTheApp();
    this.retryRefusedHandshakes();
  }

  /** Connects and loads the outbox as the app does on start; nothing is sent before `enqueue`. */
  static async start(options: DutyOfficerOptions): Promise<DutyOfficer> {
    const officer = new DutyOfficer(options);
    openOfficers.add(officer);
    await officer.outbox.load();
    officer.outbox.setUser(options.userId);
    return officer;
  }

  /** The user whose outbox this is. */
  get userId(): string {
    return this.options.userId;
  }

  /** Commands not yet answered finally (acked or refused). */
  get pending(): number {
    return [...this.sent.values()].filter((record) => record.outcome === 'pending').length;
  }

  /**
   * Submits a command through the outbox (saved, then sent) and resolves once the outbox has
   * its verdict: sent, or refused for good. Retries happen inside, on the outbox's schedule.
   */
  async enqueue(command: Command): Promise<void> {
    this.sent.set(command.id, {
      id: command.id,
      type: command.type,
      attempts: 0,
      timeouts: 0,
      slowestAttemptMs: 0,
      outcome: 'pending',
    });
    const verdict = new Promise<void>((resolve) => this.waiting.set(command.id, resolve));
    await this.outbox.enqueue(this.options.userId, command);
    await verdict;
    // The battery sends thousands of commands per officer; the app keeps sent items for a
    // day, which here would only make every save copy a growing store. Counted, so forgotten.
    await this.outbox.clearSent(this.options.userId);
  }

  /**
   * Resolves once every command has a verdict, or rejects after `timeoutMs` naming the
   * commands still waiting and why their last attempt failed.
   */
  async settled(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending > 0) {
      if (Date.now() > deadline) {
        const open = [...this.sent.values()].filter((record) => record.outcome === 'pending');
        throw new Error(
          `${this.options.userId}: ${open.length} command(s) still unanswered after ${timeoutMs} ms: ` +
            open.map(describeCommand).join(', '),
        );
      }
      await sleep(50);
    }
  }

  /** Stops sending and forgets this officer's items, so a later run in this process starts clean. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    openOfficers.delete(this);
    clearTimeout(this.retryTimer);
    this.outbox.dispose();
    this.unsubscribe();
    this.client.close();
    for (const item of Object.values(useOutbox.getState().items)) {
      if (item.userId === this.options.userId) await this.outbox.discard(item.id);
    }
    await this.outbox.clearSent(this.options.userId);
  }

  /**
   * What the app's realtime module does with a command (client/src/realtime, sendCommand),
   * on this officer's socket: not sent at all while the socket is down (`offline`), `timeout`
   * without an ack in time, the hub's refusal kept whole. Each attempt on the wire is recorded.
   */
  private sender(): CommandSender {
    return (command) => {
      const socket = this.client.socket;
      if (!socket.connected)
        return Promise.resolve(localFailure('offline', `${command.type}: not connected`));
      const record = this.sent.get(command.id);
      if (record) record.attempts++;
      const started = Date.now();
      return new Promise<ClientResult<{ seq: number }>>((resolve) => {
        socket.timeout(this.options.ackTimeoutMs).emit('command.send', command, (error, ack) => {
          if (error) return resolve(localFailure('timeout', `${command.type}: no ack within the timeout`));
          const parsed = CommandAck.safeParse(ack);
          if (!parsed.success) return resolve(localFailure('internal', `${command.type}: unreadable ack`));
          resolve(parsed.data.ok ? parsed.data : hubFailure(parsed.data.error));
        });
      }).then((result) => {
        if (record) {
          record.slowestAttemptMs = Math.max(record.slowestAttemptMs, Date.now() - started);
          if (result.ok) record.ackedAt = Date.now();
          else {
            record.lastError = result.error.code;
            if (result.error.code === 'timeout') record.timeouts++;
          }
        }
        return result;
      });
    };
  }

  /**
   * The app drains the outbox when the link comes back (the hub's hello) and when the hub
   * says it can store again (client/src/outbox/index.ts, startOutbox); so does the officer.
   */
  private wakeLikeTheApp(): void {
    let canStore = true;
    this.client.socket.on('sync.hello', () => {
      canStore = true;
      void this.outbox.drain();
    });
    this.client.socket.on('hub.status', (status) => {
      this.statuses.push({ at: Date.now(), status });
      if (status.canStore && !canStore) void this.outbox.drain();
      canStore = status.canStore;
    });
  }

  /**
   * socket.io does not retry a handshake the hub refused, nor reconnect a socket the hub
   * closed; the app does (realtime.ts, session-flow.ts): after a growing pause, or, when the
   * session is gone, once the person has signed in again.
   */
  private retryRefusedHandshakes(): void {
    const { socket } = this.client;
    socket.on('connect', () => {
      this.refusedAttempts = 0;
    });
    // A hub that shuts down (or signs the user out) closes the socket itself, and socket.io
    // does not reconnect after that; the app checks the session and connects again
    // (client/src/session-flow.ts), and a refused session then ends up below.
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect' && !this.closed) socket.connect();
    });
    socket.on('connect_error', (error) => {
      // Still retrying by itself: a network error, not a refusal.
      if (socket.active || this.closed) return;
      const data = ConnectErrorData.safeParse('data' in error ? error.data : undefined);
      const code = data.success ? data.data.code : 'internal';
      this.refusedHandshakes.set(code, (this.refusedHandshakes.get(code) ?? 0) + 1);
      const { signInAgain } = this.options;
      if (code === 'unauthenticated' && signInAgain) {
        void signInAgain().then(
          (cookie) => {
            if (this.closed) return;
            this.signInsAgain++;
            socket.io.opts.extraHeaders = { cookie };
            socket.connect();
          },
          () => this.retryLater(),
        );
        return;
      }
      if (code === 'unauthenticated' || code === 'protocol_mismatch') return;
      this.retryLater();
    });
  }

  private retryLater(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (!this.closed) this.client.socket.connect();
    }, refusedRetryDelay(this.refusedAttempts++));
  }

  private noteVerdicts(items: Readonly<Record<string, OutboxItem>>): void {
    for (const [id, done] of this.waiting) {
      const item = items[id];
      const record = this.sent.get(id);
      if (!item || !record || isPending(item)) continue;
      if (item.status === 'sent') record.outcome = 'acked';
      else {
        record.outcome = 'refused';
        record.refusal = item.error ? `${item.error.code}: ${item.error.message}` : 'no reason given';
      }
      this.waiting.delete(id);
      done();
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
