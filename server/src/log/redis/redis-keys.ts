/**
 * The keys of one region's log in Redis, all under its key prefix: the one place that
 * names them, for the log, its backup and its restore.
 *
 * `events` is a stream (entry id `<seq>-0`, one field holding the event JSON), `head` the
 * last seq, `cmd:<commandId>` the last seq of that command with its payload hash and
 * sender (expiring after the idempotency window), `meta` a hash with the log id, the epoch
 * and the log's clock, `snapshot` a hash with seq and state (redis-snapshot.ts), `turn`
 * for a few ms after a conflict the hub that may append next (APPEND_BATCH_SCRIPT),
 * `heartbeat` the hubs' beats (heartbeat.ts), and `audit` the audit trail's stream, which
 * the audit store writes under the same prefix and a backup carries along, with
 * `audit:bounds`, how far a record's stream id may be from its own time (a restore derives
 * it from the records), and `audit:writer:<id>` per hub, which a backup leaves out.
 */
export type RedisLogKeys = {
  events: string;
  head: string;
  meta: string;
  snapshot: string;
  turn: string;
  heartbeat: string;
  audit: string;
  auditBounds: string;
  auditWriter: (writerId: string) => string;
  /** What every idempotency key starts with. */
  cmdPrefix: string;
  cmd: (commandId: string) => string;
};

/** The keys of the log under `prefix`. */
export function redisLogKeys(prefix: string): RedisLogKeys {
  return {
    events: `${prefix}events`,
    head: `${prefix}head`,
    meta: `${prefix}meta`,
    snapshot: `${prefix}snapshot`,
    turn: `${prefix}turn`,
    heartbeat: `${prefix}heartbeat`,
    audit: `${prefix}audit`,
    auditBounds: `${prefix}audit:bounds`,
    auditWriter: (writerId) => `${prefix}audit:writer:${writerId}`,
    cmdPrefix: `${prefix}cmd:`,
    cmd: (commandId) => `${prefix}cmd:${commandId}`,
  };
}
