import {
  applyInPlace,
  fail,
  succeed,
  type Attribution,
  type CommandAck,
  type Decision,
  type EventDraft,
  type State,
  type StoredEvent,
} from '@lagesbild/shared';
import type { Logger } from '../base/logger.js';
import {
  LogLostError,
  LogUnavailableError,
  type BatchOutcome,
  type CommandFingerprint,
  type EventLog,
} from '../log/event-log.js';
import { withTimeout } from '../log/with-timeout.js';
import type { HubState } from './hub-state.js';
import { provisionalState } from './provisional-state.js';

/** How often a batch is decided again after another hub appended first. */
const MAX_CONFLICT_RETRIES = 20;

/** Most commands decided and appended together while an earlier batch is being written. */
const MAX_BATCH = 64;

/** How often a batch waits for another hub's turn (see the Redis log's append script). */
const MAX_TURN_WAITS = 50;

/** A change to append: who makes it, and how to decide it on the state of its turn. */
export type Change = {
  commandId: string;
  by: Attribution;
  /** What the idempotency check compares with an earlier command of the same id. */
  fingerprint: CommandFingerprint;
  decide: (state: State, now: string) => Decision;
  /** Decided on its own against the hub's state (system changes read the directory too). */
  alone: boolean;
};

/** A change waiting for its turn. */
type Job = Change & { resolve: (ack: CommandAck) => void };

/** What deciding one job of a batch came to. */
type Decided =
  | { job: Job; kind: 'append'; drafts: EventDraft[] }
  | { job: Job; kind: 'refused'; refusal: CommandAck }
  /** Nothing to append; answered with the seq it was decided at. */
  | { job: Job; kind: 'nothing'; seq: number }
  /** This hub has seen the id appended by the same sender: the log says if it is the same command. */
  | { job: Job; kind: 'seen'; seq: number };

export type WritePathOptions = {
  log: EventLog;
  hub: HubState;
  logger: Logger;
  timeoutMs: number;
  now?: () => Date;
};

/**
 * The write path (docs/architecture.md): check idempotency, decide, append durably, and
 * only then answer. Each hub decides in log order, so it never conflicts with itself;
 * conflicts with other hubs are resolved by catching up and deciding again. Commands come
 * here from the command gateway (command-service.ts), once parsed and authorised; the
 * hub's own changes (directory, seeding) come through `appendSystem`.
 *
 * Changes that queue up while a batch is being written are decided together, each on the
 * state the earlier ones leave, and appended in one `appendBatch`: one fsync (embedded) or
 * one Redis round trip serves them all (group commit). If another hub appended first, or
 * some of the changes were appended before (by another hub), nothing of the batch was
 * written: the hub catches up (mostly from the events the log sends back with the
 * refusal), answers those with their original seq, and decides the rest again, together
 * with whatever queued meanwhile. On Redis the hub that lost such a race gets the next
 * turn, so two busy hubs take turns instead of one starving the other.
 *
 * Events reach the hub's state and other clients only once durable. The senders are
 * answered right when the batch is folded; the broadcast to sockets follows on the next
 * turn of the event loop (socket/publish-after-answers.ts), so it does not delay the acks.
 */
export class WritePath {
  private readonly jobs: Job[] = [];
  private draining = false;
  private readonly now: () => Date;

  constructor(private readonly options: WritePathOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Appends events the hub itself decides (directory changes, seeding) through the same
   * serialised, idempotent path as commands. `decideNow` may decide on no events: nothing to
   * do. `payloadHash` (commandPayloadHash of the request) makes the same id with another
   * request an `id_conflict`; without it the same id from the same `by.userId` is the same change.
   */
  appendSystem(
    commandId: string,
    by: Attribution,
    decideNow: (hub: HubState) => Decision,
    payloadHash: string | null = null,
  ): Promise<CommandAck> {
    const { hub } = this.options;
    return this.append({
      commandId,
      by,
      fingerprint: { sender: by.userId, payloadHash },
      decide: () => decideNow(hub),
      alone: true,
    });
  }

  /** Queues a change and bounds the wait for its answer by the command timeout. */
  append(change: Change): Promise<CommandAck> {
    const answered = new Promise<CommandAck>((resolve) => this.jobs.push({ ...change, resolve }));
    void this.drain();
    // The queue answers every job; only the timeout rejects.
    return withTimeout(answered, this.options.timeoutMs, 'the command').catch(() =>
      fail('timeout', 'The hub did not confirm the command in time; send it again with the same id'),
    );
  }

  /** Works through the queue, one batch at a time, until it is empty. */
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let batch = this.takeBatch(); batch.length > 0; batch = this.takeBatch()) {
        await this.appendBatch(batch);
      }
    } finally {
      this.draining = false;
    }
  }

  /** The next batch: a job that must be decided alone, or up to MAX_BATCH others in order. */
  private takeBatch(): Job[] {
    const first = this.jobs.shift();
    if (!first) return [];
    return first.alone ? [first] : this.topUp([first]);
  }

  /**
   * Adds queued jobs to a batch, in order, up to MAX_BATCH. A command sent again while the
   * first is in the batch joins the first and gets its answer. The same id from another
   * sender or with another payload ends the batch: it waits for the next one, where the
   * first is known and the id check answers it.
   */
  private topUp(batch: Job[]): Job[] {
    const byId = new Map(batch.map((job) => [job.commandId, job]));
    while (batch.length < MAX_BATCH) {
      const next = this.jobs[0];
      if (!next || next.alone) break;
      const earlier = byId.get(next.commandId);
      if (earlier && !sameFingerprint(earlier.fingerprint, next.fingerprint)) break;
      this.jobs.shift();
      if (earlier) {
        const answerEarlier = earlier.resolve;
        earlier.resolve = (ack) => {
          answerEarlier(ack);
          next.resolve(ack);
        };
        continue;
      }
      byId.set(next.commandId, next);
      batch.push(next);
    }
    return batch;
  }

  /**
   * Decides a batch, each command on the state the ones before it leave, and appends it
   * as one unit. Every job is answered exactly once: with its seq once durable, its
   * refusal, its original seq when it was appended before, or why the log failed.
   */
  private async appendBatch(batch: Job[]): Promise<void> {
    const { log, hub } = this.options;
    let open = batch;
    let conflicts = 0;
    let waits = 0;
    try {
      while (open.length > 0) {
        // A hub whose log is lost decides nothing more, not even a change that appends nothing.
        const lost = log.lostReason();
        if (lost !== null) throw new LogLostError(lost);
        if (conflicts > MAX_CONFLICT_RETRIES) {
          for (const job of open)
            job.resolve(fail('conflict', 'The log is too busy right now; send the command again'));
          return;
        }
        const now = this.stamp();
        const expected = hub.headSeq;
        const decided = this.decideBatch(open, now);
        const appends = decided.flatMap((d) => (d.kind === 'append' ? [d] : []));
        const outcome: BatchOutcome =
          appends.length === 0
            ? { status: 'appended', events: [] }
            : await log.appendBatch(
                expected,
                appends.map((d) => ({
                  commandId: d.job.commandId,
                  drafts: d.drafts,
                  by: d.job.by,
                  payloadHash: d.job.fingerprint.payloadHash,
                })),
                now,
              );
        if (outcome.status === 'appended') {
          this.answerAppended(decided, outcome.events);
          return;
        }
        if (outcome.status === 'duplicate') {
          // Appended before (by another hub, or before this hub's window): the original
          // answer, unless the id was used by another sender or for another payload.
          for (const { job } of decided) {
            const seq = outcome.seqs.get(job.commandId);
            if (seq !== undefined) job.resolve(succeed({ seq }));
            else if (outcome.idConflicts.has(job.commandId)) job.resolve(idConflict());
          }
        }
        const answered = (commandId: string) =>
          outcome.status === 'duplicate' &&
          (outcome.seqs.has(commandId) || outcome.idConflicts.has(commandId));
        open = decided.flatMap(({ job }) => (answered(job.commandId) ? [] : [job]));
        // What the log sent along first; a read only for whatever it could not send.
        hub.ingest(outcome.events);
        await this.catchUp(outcome.headSeq);
        if (outcome.status === 'conflict' && outcome.retryAfterMs > 0 && waits < MAX_TURN_WAITS) {
          // Another hub lost a race and appends next: wait for its events, or its turn to end.
          waits++;
          await hub.waitFor(hub.headSeq + 1, outcome.retryAfterMs);
        } else {
          conflicts++;
        }
        // Commands that arrived meanwhile go with the retry: one round trip for all of them.
        if (open.length > 0 && !open[0]?.alone) open = this.topUp(open);
      }
    } catch (error) {
      // Answered jobs ignore a second answer; the others learn the log failed.
      for (const job of open) job.resolve(this.failure(error, job.commandId));
    }
  }

  /**
   * Decides each job on the hub's state plus the events of the jobs before it in the
   * batch (a provisional state: nothing of it is durable yet). Jobs the hub has already
   * seen appended are answered at once and left out.
   */
  private decideBatch(jobs: Job[], now: string): Decided[] {
    const { hub } = this.options;
    // A lone job is decided on the hub's state itself: there is nothing before it to fold.
    const working = jobs.length > 1 ? provisionalState(hub.state) : hub.state;
    let seq = hub.headSeq;
    const decided: Decided[] = [];
    for (const job of jobs) {
      const seen = hub.recentCommand(job.commandId);
      if (seen !== undefined) {
        if (seen.sender === job.fingerprint.sender) decided.push({ job, kind: 'seen', seq: seen.seq });
        else job.resolve(idConflict());
        continue;
      }
      let decision: Decision;
      try {
        decision = job.decide(working, now);
      } catch (error) {
        // A bug in one decision must not fail the others of the batch.
        job.resolve(this.failure(error, job.commandId));
        continue;
      }
      if (!decision.ok) {
        decided.push({ job, kind: 'refused', refusal: decision });
      } else if (decision.data.length === 0) {
        decided.push({ job, kind: 'nothing', seq });
      } else {
        decided.push({ job, kind: 'append', drafts: decision.data });
        if (working !== hub.state) {
          // The same events the log will number; it validates the stored form itself.
          const provisional = decision.data.map(
            (draft, i) =>
              ({ ...draft, seq: seq + 1 + i, at: now, by: job.by, commandId: job.commandId }) as StoredEvent,
          );
          applyInPlace(working, provisional);
        }
        seq += decision.data.length;
      }
    }
    return decided;
  }

  /**
   * Folds a durable batch and answers it. The hub's listeners (the broadcaster) may send
   * the events to sockets only after these answers are on their way (see start-hub.ts).
   */
  private answerAppended(decided: Decided[], events: StoredEvent[][]): void {
    const { hub } = this.options;
    hub.ingest(events.flat());
    let i = 0;
    for (const d of decided) {
      if (d.kind === 'append') {
        const own = events[i++] ?? [];
        d.job.resolve(succeed({ seq: own[own.length - 1]?.seq ?? hub.headSeq }));
      } else if (d.kind === 'nothing') {
        d.job.resolve(succeed({ seq: d.seq }));
      } else if (d.kind === 'seen') {
        void this.answerSeen(d.job, d.seq).then(d.job.resolve);
      } else {
        void this.refuseUnlessAppended(d.job, d.refusal).then(d.job.resolve);
      }
    }
  }

  /**
   * The original answer to a command already appended under `commandId` by the same sender
   * with the same payload, or null when there is none (or the id is another command's).
   * For a resend the gateway would refuse before deciding it (the sender's rights changed
   * since the first attempt): the command is in the log, and its sender must hear so.
   */
  async originalAnswer(commandId: string, fingerprint: CommandFingerprint): Promise<CommandAck | null> {
    const seen = this.options.hub.recentCommand(commandId);
    if (seen !== undefined && seen.sender !== fingerprint.sender) return null;
    try {
      const appended = await this.options.log.findCommand(commandId, fingerprint);
      // Past the log's window the hub's memory of the sender is all there is (answerSeen).
      if (appended === null) return seen === undefined ? null : succeed({ seq: seen.seq });
      return appended.sameCommand ? succeed({ seq: appended.seq }) : null;
    } catch (error) {
      return this.failure(error, commandId);
    }
  }

  /**
   * A command id this hub has seen appended by the same sender: the original answer if the
   * payload is the same too, which only the log knows (it stores the payload hash). Past
   * the log's window the hub's memory of the sender is all there is, as before.
   */
  private async answerSeen(job: Job, seq: number): Promise<CommandAck> {
    try {
      const appended = await this.options.log.findCommand(job.commandId, job.fingerprint);
      if (appended === null) return succeed({ seq });
      return appended.sameCommand ? succeed({ seq: appended.seq }) : idConflict();
    } catch (error) {
      return this.failure(error, job.commandId);
    }
  }

  /**
   * A retry of a command that was appended long ago (or by another hub just now) may be
   * refused by the state it created; the original answer wins. Asking the log only here
   * keeps the common path at one round trip: the append checks ids atomically.
   */
  private async refuseUnlessAppended(job: Job, refusal: CommandAck): Promise<CommandAck> {
    try {
      const appended = await this.options.log.findCommand(job.commandId, job.fingerprint);
      if (appended === null) return refusal;
      return appended.sameCommand ? succeed({ seq: appended.seq }) : idConflict();
    } catch (error) {
      return this.failure(error, job.commandId);
    }
  }

  /**
   * The time a batch is decided and stamped at: the clock's, but never before the newest
   * event in the log. The embedded journal stamps what it is given, and this process's
   * clock can step back (NTP, a VM resumed); the log's times must only move forward, as
   * durations between them assume (shared/src/log-order.ts). Redis clamps its own stamps
   * the same way in the append script; clamping here too keeps decided times in step.
   */
  private stamp(): string {
    const now = this.now();
    const last = this.options.hub.lastAt;
    const lastMs = last === null ? Number.NaN : Date.parse(last);
    return Number.isFinite(lastMs) && lastMs > now.getTime()
      ? new Date(lastMs).toISOString()
      : now.toISOString();
  }

  private failure(error: unknown, commandId: string): CommandAck {
    if (error instanceof LogUnavailableError) {
      this.options.logger.warn({ err: error.message, commandId }, 'log unavailable');
      return fail(
        'log_unavailable',
        'The event log could not confirm the command. Nothing is lost by sending it again with the same id.',
      );
    }
    this.options.logger.error({ err: error, commandId }, 'command failed');
    return fail('internal', 'The hub could not handle the command');
  }

  /** Reads what other hubs appended and folds it, so the next decision sees it. */
  private async catchUp(untilSeq: number): Promise<void> {
    const { log, hub } = this.options;
    while (hub.headSeq < untilSeq) {
      const events = await log.read(hub.headSeq, 1000);
      if (events.length === 0) return;
      hub.ingest(events);
    }
  }
}

/** The answer to a command id used before by another sender or for another payload. */
function idConflict(): CommandAck {
  return fail(
    'id_conflict',
    'This command id was already used for another command; nothing was stored. Send it again as a new command.',
  );
}

const sameFingerprint = (a: CommandFingerprint, b: CommandFingerprint): boolean =>
  a.sender === b.sender && a.payloadHash === b.payloadHash;
