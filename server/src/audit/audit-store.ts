import type { AuditRecord } from '@lagesbild/shared';
import type { AuditHealth } from './audit-backlog.js';

/** Which records a query wants; times in ms since the epoch, both ends inclusive. */
export type AuditFilter = {
  from?: number | undefined;
  to?: number | undefined;
  userId?: string | undefined;
  actorId?: string | undefined;
  outcome?: string | undefined;
  type?: string | undefined;
  limit: number;
};

/**
 * Where the audit trail is kept: a JSON-lines file next to the embedded journal, or a
 * capped Redis stream shared by every hub. `append` never throws and never waits for the
 * disk: an audit write must not slow down or fail the action it records. Records that
 * cannot be written yet wait in memory, up to a bound (see AuditBacklog).
 */
export interface AuditStore {
  append(record: AuditRecord): void;
  /** The newest `limit` matching records, oldest first, including those not yet written. */
  query(filter: AuditFilter): Promise<AuditRecord[]>;
  /** How many records wait to be written, and how many were lost to a full backlog. */
  health(): AuditHealth;
  /** Writes what is buffered and releases the store. */
  close(): Promise<void>;
}

/** Whether a record passes the filter's fields (the time range is the store's to apply). */
export function matchesFilter(record: AuditRecord, filter: AuditFilter): boolean {
  if (filter.userId !== undefined && record.userId !== filter.userId && record.deviceId !== filter.userId) {
    return false;
  }
  if (filter.actorId !== undefined && record.actorId !== filter.actorId) return false;
  if (filter.outcome !== undefined && record.outcome !== filter.outcome) return false;
  if (filter.type !== undefined && record.type !== filter.type) return false;
  if (filter.from !== undefined || filter.to !== undefined) {
    const at = Date.parse(record.at);
    if (filter.from !== undefined && at < filter.from) return false;
    if (filter.to !== undefined && at > filter.to) return false;
  }
  return true;
}

/** Keeps the last `limit` items pushed: the newest matches of a scan in time order. */
export class NewestWindow<T> {
  private readonly items: T[] = [];
  constructor(private readonly limit: number) {}

  push(item: T): void {
    this.items.push(item);
    // Trim in batches so a long scan stays linear.
    if (this.items.length >= this.limit * 2) this.items.splice(0, this.items.length - this.limit);
  }

  values(): T[] {
    return this.items.slice(Math.max(0, this.items.length - this.limit));
  }
}
