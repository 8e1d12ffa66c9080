import { afterEach, beforeEach, describe } from 'vitest';
import type { EventLog } from '../event-log.js';
import type { ContractContext } from './contract-context.js';
import { describeAppendContract } from './append-contract.js';
import { describeHistoryContract } from './history-contract.js';
import { describeLostContract } from './lost-contract.js';

export { CONTRACT_WINDOW_MS } from './log-helpers.js';

/** One storage (a directory, a key prefix) on which the contract tests open logs. */
export type LogHarness = {
  /** A new, unopened log over this harness's storage: the same storage on every call. */
  log(options?: { idempotencyWindowMs?: number }): EventLog;
  /** Lets `ms` of idempotency-window time pass (a fake clock, or real time for Redis). */
  passTime(ms: number): Promise<void>;
  /**
   * Replaces the storage's log with nothing, under logs that are open, as a Redis that lost
   * its data or a data directory swapped under a hub does; the next log opened starts anew.
   */
  replaceLog(): Promise<void>;
  dispose(): Promise<void>;
};

/** Where logs differ within the contract. */
export type ContractOptions = {
  /**
   * An append naming a head beyond the log's: a caller's mistake answered `conflict`, or,
   * on a log shared by hubs that only send heads they read from it (Redis), proof that the
   * log lost events it had acknowledged, and so lost.
   */
  aheadOfHead?: 'conflict' | 'lost';
};

/**
 * The behaviour every EventLog must have, run against each implementation. Each test
 * gets fresh storage from `makeHarness`.
 */
export function describeEventLogContract(
  name: string,
  makeHarness: () => Promise<LogHarness>,
  options: ContractOptions = {},
): void {
  describe(`${name}: EventLog contract`, () => {
    let harness: LogHarness;
    const opened: EventLog[] = [];

    const context: ContractContext = {
      openLog: async (options) => {
        const log = harness.log(options);
        opened.push(log);
        return { log, opened: await log.open() };
      },
      passTime: (ms) => harness.passTime(ms),
      replaceLog: () => harness.replaceLog(),
      aheadOfHead: options.aheadOfHead ?? 'conflict',
    };

    beforeEach(async () => {
      harness = await makeHarness();
    });
    afterEach(async () => {
      for (const log of opened.splice(0)) await log.close();
      await harness.dispose();
    });

    describeAppendContract(context);
    describeHistoryContract(context);
    describeLostContract(context);
  });
}
