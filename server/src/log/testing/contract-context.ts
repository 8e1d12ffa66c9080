import type { EventLog, OpenedLog } from '../event-log.js';

/** What each part of the contract gets: logs over the current test's fresh storage. */
export type ContractContext = {
  /** Opens a new log over the test's storage; it is closed after the test. */
  openLog(options?: { idempotencyWindowMs?: number }): Promise<{ log: EventLog; opened: OpenedLog }>;
  passTime(ms: number): Promise<void>;
  replaceLog(): Promise<void>;
  /** What an append naming a head beyond the log's means to this log (ContractOptions). */
  aheadOfHead: 'conflict' | 'lost';
};
