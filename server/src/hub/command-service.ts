import {
  applyInPlace,
  authorize,
  decide,
  detachedCopy,
  fail,
  parseCommand,
  succeed,
  type AppError,
  type Attribution,
  type EventDraft,
  type CommandAck,
  type RegionConfig,
  type Sender,
  type State,
  type StoredEvent,
} from '@lagesbild/shared';
import type { Logger } from '../logger.js';
import { LogUnavailableError, type AppendOutcome, type EventLog } from '../log/event-log.js';
import type { HubState } from './hub-state.js';

/** How often a command is decided again after another hub appended first. */
const MAX_CONFLICT_RETRIES = 20;

/** Most commands decided together while earlier ones wait for their fsync. */
const MAX_BATCH = 64;

type Decision = ReturnType<typeof decide>;

/** A command waiting for its turn. */
type Job = {
  commandId: string;
  by: Attribution;
  decide: (state: State, now: string) => Decision;
  /** Decided on its own against the hub's state (system changes read the directory too). */
  alone: boolean;
  resolve: (ack: CommandAck) => void;
};

export type CommandServiceOptions = {
  log: EventLog;
  hub: HubState;
  region: () => RegionConfig;
  logger: Logger;
  timeoutMs: number;
  now?: () => Date;
};

/** What the audit trail and the logs need to know about a handled command. */
export type CommandOutcome = { commandId: string | null; type: string | null; ack: CommandAck };

/**
 * The write path (ARCHITECTURE.md): parse, authorise, check idempotency, decide, append
 * durably, and only then answer. Each hub decides in log order, so it never conflicts with
 * itself; conflicts with other hubs are resolved by catching up and deciding again.
 *
 * With a log that has a single writer (the embedded journal), commands that queue up while
 * an fsync runs are decided together, each on the state the earlier ones leave, and appended
 * back to back, so one fsync serves them all (group commit). Their events reach the hub's
 * state and other clients only once durable.
 */
export class CommandService {
  private readonly jobs: Job[] = [];
  private draining = false;
  private readonly now: () => Date;

  constructor(private readonly options: CommandServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Handles untrusted input from a signed-in sender; never throws. */
  async handle(input: unknown, sender: Sender): Promise<CommandOutcome> {
    const parsed = parseCommand(input);
    if (!parsed.ok) {
      return { commandId: null, type: null, ack: fail(parsed.code, parsed.message) };
    }
    const { command } = parsed;
    const base = { commandId: command.id, type: command.type };
    const right = authorize(this.options.region(), sender, command.type);
    if (!right.ok) return { ...base, ack: right };

    const by = {
      userId: sender.userId,
      userName: sender.userName,
      actorId: sender.actorId,
      functionId: right.functionId,
    };
    const ack = await this.submit({
      commandId: command.id,
      by,
      decide: (state, now) => decide(state, command, by, now, this.options.region()),
      alone: false,
    });
    return { ...base, ack };
  }

  /**
   * Appends events the hub itself decides (directory changes, seeding) through the same
   * serialised, idempotent path as commands. `decideNow` may return no events: nothing to do.
   */
  appendSystem(
    commandId: string,
    by: Attribution,
    decideNow: (hub: HubState) => EventDraft[] | AppError,
  ): Promise<CommandAck> {
    const { hub } = this.options;
    return this.submit({
      commandId,
      by,
      decide: () => {
        const drafts = decideNow(hub);
        return Array.isArray(drafts) ? { ok: true, data: drafts } : { ok: false, error: drafts };
      },
      alone: true,
    });
  }

  /** Queues a job and bounds the wait for its answer by the command timeout. */
  private submit(job: Omit<Job, 'resolve'>): Promise<CommandAck> {
    const answered = new Promise<CommandAck>((resolve) => this.jobs.push({ ...job, resolve }));
    void this.drain();
    return withTimeout(answered, this.options.timeoutMs);
  }

  /** Works through the queue, one job or one batch at a time, until it is empty. */
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let batch = this.takeBatch(); batch.length > 0; batch = this.takeBatch()) {
        const [first] = batch;
        if (batch.length === 1 && first)
          first.resolve(await this.decideAndAppend(first.commandId, first.by, first.decide));
        else await this.appendBatch(batch);
      }
    } finally {
      this.draining = false;
    }
  }

  private takeBatch(): Job[] {
    const first = this.jobs.shift();
    if (!first) return [];
    const batch = [first];
    if (first.alone || !this.options.log.singleWriter) return batch;
    while (batch.length < MAX_BATCH) {
      const next = this.jobs[0];
      if (!next || next.alone) break;
      this.jobs.shift();
      batch.push(next);
    }
    return batch;
  }

  /**
   * Decides a batch on a detached copy of the state, each command seeing the events of the
   * ones before it, and appends them back to back. A command whose append is refused (a
   * duplicate or refusal earlier in the batch shifted the numbering) is decided again on
   * its own.
   */
  private async appendBatch(batch: Job[]): Promise<void> {
    const { log, hub } = this.options;
    const now = this.now().toISOString();
    const working = detachedCopy(hub.state);
    let expected = hub.headSeq;
    const appends: { job: Job; outcome: Promise<AppendOutcome | Error> }[] = [];
    for (const job of batch) {
      const seen = hub.recentCommandSeq(job.commandId);
      if (seen !== undefined) {
        job.resolve(succeed({ seq: seen }));
        continue;
      }
      const decision = job.decide(working, now);
      if (!decision.ok) {
        void this.refuseUnlessAppended(job.commandId, decision).then(job.resolve);
        continue;
      }
      if (decision.data.length === 0) {
        job.resolve(succeed({ seq: hub.headSeq }));
        continue;
      }
      const outcome = log
        .append(expected, job.commandId, decision.data, now, job.by)
        .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
      appends.push({ job, outcome });
      // The same events the log is numbering now; it validates the stored form itself.
      const provisional = decision.data.map(
        (draft, i) =>
          ({ ...draft, seq: expected + 1 + i, at: now, by: job.by, commandId: job.commandId }) as StoredEvent,
      );
      applyInPlace(working, provisional);
      expected += provisional.length;
    }
    const again: Job[] = [];
    for (const { job, outcome } of appends) {
      const result = await outcome;
      if (result instanceof Error) job.resolve(this.failure(result, job.commandId));
      else if (result.status === 'appended') {
        hub.ingest(result.events);
        job.resolve(succeed({ seq: result.events[result.events.length - 1]?.seq ?? hub.headSeq }));
      } else if (result.status === 'duplicate') job.resolve(succeed({ seq: result.seq }));
      else again.push({ ...job, alone: true });
    }
    this.jobs.unshift(...again);
  }

  /**
   * A retry of a command that was appended long ago (or by another hub just now) may be
   * refused by the state it created; the original answer wins. Asking the log only here
   * keeps the common path at one round trip: the append checks ids atomically.
   */
  private async refuseUnlessAppended(commandId: string, refusal: CommandAck): Promise<CommandAck> {
    try {
      const appended = await this.options.log.findCommand(commandId);
      return appended === null ? refusal : succeed({ seq: appended });
    } catch (error) {
      return this.failure(error, commandId);
    }
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

  private async decideAndAppend(
    commandId: string,
    by: Attribution,
    decideNow: (state: State, now: string) => Decision,
  ): Promise<CommandAck> {
    const { log, hub } = this.options;
    try {
      const seen = hub.recentCommandSeq(commandId);
      if (seen !== undefined) return succeed({ seq: seen });

      for (let attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
        const now = this.now().toISOString();
        const decision = decideNow(hub.state, now);
        if (!decision.ok) return await this.refuseUnlessAppended(commandId, decision);
        if (decision.data.length === 0) return succeed({ seq: hub.headSeq });
        const outcome = await log.append(hub.headSeq, commandId, decision.data, now, by);
        switch (outcome.status) {
          case 'appended': {
            hub.ingest(outcome.events);
            const last = outcome.events[outcome.events.length - 1];
            return succeed({ seq: last ? last.seq : hub.headSeq });
          }
          case 'duplicate':
            return succeed({ seq: outcome.seq });
          case 'conflict':
            await this.catchUp(outcome.headSeq);
        }
      }
      return fail('conflict', 'The log is too busy right now; send the command again');
    } catch (error) {
      return this.failure(error, commandId);
    }
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

function withTimeout(promise: Promise<CommandAck>, ms: number): Promise<CommandAck> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CommandAck>((resolve) => {
    timer = setTimeout(
      () =>
        resolve(
          fail('timeout', 'The hub did not confirm the command in time; send it again with the same id'),
        ),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
