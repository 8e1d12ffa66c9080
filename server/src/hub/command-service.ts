import {
  authorize,
  decide,
  fail,
  parseCommand,
  succeed,
  type AppError,
  type Attribution,
  type EventDraft,
  type CommandAck,
  type RegionConfig,
  type Sender,
} from '@lagesbild/shared';
import type { Logger } from '../logger.js';
import { LogUnavailableError, type EventLog } from '../log/event-log.js';
import type { HubState } from './hub-state.js';

/** How often a command is decided again after another hub appended first. */
const MAX_CONFLICT_RETRIES = 20;

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
 * durably, and only then answer. Commands of one hub are handled one at a time so the hub
 * never conflicts with itself; conflicts with other hubs are resolved by catching up and
 * deciding again.
 */
export class CommandService {
  private queue: Promise<unknown> = Promise.resolve();
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
    const run = () =>
      this.decideAndAppend(command.id, by, (state, now) =>
        decide(state, command, by, now, this.options.region()),
      );
    return { ...base, ack: await this.serialised(run) };
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
    return this.serialised(() =>
      this.decideAndAppend(commandId, by, () => {
        const drafts = decideNow(hub);
        if (!Array.isArray(drafts)) return { ok: false, error: drafts };
        return { ok: true, data: drafts };
      }),
    );
  }

  private async decideAndAppend(
    commandId: string,
    by: Attribution,
    decideNow: (state: HubState['state'], now: string) => ReturnType<typeof decide>,
  ): Promise<CommandAck> {
    const { log, hub } = this.options;
    try {
      const seen = hub.recentCommandSeq(commandId);
      if (seen !== undefined) return succeed({ seq: seen });

      for (let attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
        const now = this.now().toISOString();
        const decision = decideNow(hub.state, now);
        if (!decision.ok) {
          // A retry of a command that was appended long ago (or by another hub just now) may
          // be refused by the state it created; the original answer wins. Asking the log only
          // here keeps the common path at one round trip: the append checks ids atomically.
          const appended = await log.findCommand(commandId);
          return appended === null ? decision : succeed({ seq: appended });
        }
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

  /** Runs commands one at a time and bounds each by the command timeout. */
  private serialised(run: () => Promise<CommandAck>): Promise<CommandAck> {
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return withTimeout(result, this.options.timeoutMs);
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
