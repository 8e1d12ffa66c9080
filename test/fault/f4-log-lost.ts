import { createClient } from 'redis';
import { parseStoredEvent, type Command, type StoredEvent } from '@lagesbild/shared';
import { signIn } from '../support/api-client.js';
import { logEntry } from '../support/commands.js';
import { startHub, type HubProcess } from '../support/hub-process.js';
import { freePort } from '../support/ports.js';
import { startRedis, type RedisServer } from '../support/redis-server.js';
import {
  keepSending,
  retrying,
  settleAndCount,
  signInOfficers,
  sleep,
  waitUntil,
  type FaultReport,
  type SignedInOfficer,
} from './cluster.js';
import { closeOpenOfficers, type SentCommand } from './duty-officer.js';
import { ackedByHub, exitOf, firstHeard, readiness, seconds, slowest } from './hub-watch.js';
import { countFaults, describeCommand } from './ledger.js';
import { naming } from './seed.js';

export type F4Options = {
  /** Load before each flush (once both hubs are ready), and after the last one. */
  loadMs: number;
  /** How often Redis is flushed. */
  cycles: number;
  officers: number;
  /** Each officer's pause between commands (default 20 ms: as fast as the hub answers). */
  pauseMs?: number;
  /** The supervisor's pause before it starts an exited hub again (systemd's `RestartSec`). */
  restartDelayMs?: number;
  log?: (line: string) => void;
};

/** The bound: each hub not ready, and its clients told, within this of the loss. */
export const DETECT_WITHIN_MS = 3000;
/** The exit code of a hub whose log is lost (server/src/hub/log-lost.ts). */
export const LOG_LOST_EXIT_CODE = 75;
const EVENTS_KEY = 'lagesbild:stockholm:events';
const META_KEY = 'lagesbild:stockholm:meta';
/** How long a hub may take to exit, restart and be ready again, on a loaded machine. */
const BACK_WITHIN_MS = 60_000;

/**
 * F4: Redis loses its data (FLUSHALL) under two running hubs, every cycle, while duty
 * officers send log entries through both. Each hub must see the loss within seconds (not
 * ready, `hub.status` lost to its clients), exit with 75 for its supervisor (here a loop
 * that starts an exited hub again, as systemd or a container runtime would), never append
 * into the log that a restarted hub begins, and its clients must get the new log's picture
 * whole (a snapshot of the new epoch, never a merge). Commands acked before a flush are
 * gone with Redis's data: they are counted, not "lost" (the hub kept its word; the store
 * under it did not). Every command acked after a flush must be in the log that followed.
 */
export async function runF4(options: F4Options): Promise<FaultReport> {
  // F4 draws nothing at random: Redis is flushed at fixed times.
  return naming('F4', () => f4(options));
}

/** One hub process the supervisor started, and the log it opened (the flushes before it). */
type Instance = { hub: HubProcess; log: number };

/** What one flush did, as seen from outside. */
type Flush = {
  at: number;
  /** The epoch of the log that was flushed, and its events: read in the same transaction. */
  epoch: string;
  events: StoredEvent[];
  /** Per hub: ms from the flush to `/readyz` no longer 200; null if it stayed ready. */
  notReadyMs: (number | null)[];
  /** Per hub: whether `/readyz` then said the log was lost. */
  saidLost: boolean[];
  /** Per hub: ms until the last of its clients heard `hub.status` lost; null if one never did. */
  toldMs: (number | null)[];
  /** Per hub: how its process ended. */
  exits: { code: number | null; signal: string | null }[];
  /** ms from the flush until both hubs were ready again, and until every client held the new log. */
  backMs: number;
  resetMs: number;
};

async function f4(options: F4Options): Promise<FaultReport> {
  const log = options.log ?? (() => {});
  const redis = await startRedis({ appendfsync: 'always' });
  const flushes: Flush[] = [];
  const supervisor = await Supervisor.start(redis, 2, options.restartDelayMs ?? 500);
  const notes: string[] = [];
  try {
    const hubUrl = (i: number) => supervisor.url(i);
    const officers = await signInOfficers(hubUrl(0), (i) => hubUrl(i % 2), options.officers, {
      ackTimeoutMs: 10_000,
    });
    const watched = officers.map(watchEpochs);
    const entryOf = new Map<string, string>();
    const next = (): Command => {
      const command = logEntry(`Lägesanteckning ${entryOf.size + 1}`);
      entryOf.set(command.id, command.payload.entryId);
      return command;
    };

    const started = Date.now();
    let running = true;
    const sending = keepSending(officers, next, () => running, options.pauseMs);
    for (let cycle = 1; cycle <= options.cycles; cycle++) {
      await sleep(options.loadMs);
      const flush = await flushUnderHubs(redis, supervisor, officers, watched);
      flushes.push(flush);
      log(
        `flush ${cycle}: not ready after ${flush.notReadyMs.map(seconds).join(' / ')}, clients told after ` +
          `${flush.toldMs.map(seconds).join(' / ')}, exits ${flush.exits.map((e) => e.code ?? e.signal).join(' / ')}, ` +
          `both back after ${seconds(flush.backMs)}, every client on the new log after ${seconds(flush.resetMs)}`,
      );
    }
    await sleep(options.loadMs);
    running = false;
    await sending;
    const durationMs = Date.now() - started;

    const lead = await retrying(() => signIn(hubUrl(0), 'tib.lansstyrelsen'), 30_000, 'sign in the lead');
    const settled = await settleAndCount({ hubs: supervisor.current() }, lead, officers);
    const final = await readLog(redis);
    const logs = [...flushes.map((f) => f.events), final.events];
    const records = officers.flatMap(({ officer }) => [...officer.sent.values()]);
    const ledger = countLogLoss(
      records,
      logs,
      officers,
      watched,
      entryOf,
      flushes.map((f) => f.at),
    );

    // Appends into a log other than the one the hub opened: every command a hub process
    // acked must be in its own log (the one current when it started, captured at the next flush).
    const intoAnotherLog: string[] = [];
    for (const instance of supervisor.instances()) {
      const own = new Set((logs[instance.log] ?? []).map((e) => e.commandId));
      for (const id of ackedByHub(instance.hub.output())) {
        if (own.has(id)) continue;
        const where = logs.flatMap((events, i) => (events.some((e) => e.commandId === id) ? [i] : []));
        if (where.length > 0)
          intoAnotherLog.push(
            `${id} acked by a hub of log ${instance.log + 1}, in log ${where.map((i) => i + 1).join(', ')}`,
          );
      }
    }

    const exitCodes = flushes.flatMap((f) => f.exits);
    const exitsWith75 = exitCodes.filter((e) => e.code === LOG_LOST_EXIT_CODE).length;
    const expectedExits = flushes.length * 2;
    const unexpectedExits = supervisor.exits() - exitsWith75;
    const detection = flushes.flatMap((f) => f.notReadyMs);
    const told = flushes.flatMap((f) => f.toldMs);
    const slowestNotReady = slowest(detection);
    const slowestTold = slowest(told);
    const resets = watched.map((w) => w.resets);
    const oldGreetings = watched.reduce((n, w) => n + w.oldGreetings, 0);
    const finalEpochs = officers.filter(({ officer }) => officer.client.epoch === final.epoch).length;

    const broken: string[] = [];
    if (intoAnotherLog.length > 0)
      broken.push(
        `${intoAnotherLog.length} append(s) into a log the hub did not open: ${intoAnotherLog.slice(0, 5).join('; ')}`,
      );
    if (slowestNotReady === null || slowestNotReady > DETECT_WITHIN_MS)
      broken.push(
        `a hub was not unready within ${DETECT_WITHIN_MS} ms of a flush (${detection.map(seconds).join(', ')})`,
      );
    if (flushes.some((f) => f.saidLost.some((said) => !said)))
      broken.push('a hub went unready without saying its log was lost');
    if (slowestTold === null || slowestTold > DETECT_WITHIN_MS)
      broken.push(
        `a hub's clients were not told within ${DETECT_WITHIN_MS} ms (${told.map(seconds).join(', ')})`,
      );
    if (exitsWith75 !== expectedExits)
      broken.push(
        `${exitsWith75} of ${expectedExits} hub exits after a flush had code ${LOG_LOST_EXIT_CODE}`,
      );
    if (resets.some((n) => n < flushes.length))
      broken.push(`a client was not reset to each new log (resets per client: ${resets.join(', ')})`);
    if (finalEpochs !== officers.length)
      broken.push(`${officers.length - finalEpochs} client(s) ended on another epoch than the log's`);
    if (ledger.merged.length > 0)
      broken.push(
        `${ledger.merged.length} entries of a flushed log still shown by a client: ${ledger.merged.slice(0, 5).join('; ')}`,
      );

    notes.push(
      `hub detection (ms from FLUSHALL to /readyz 503, per flush and hub): ${flushes.map((f) => f.notReadyMs.map(ms).join('/')).join(', ')}; ` +
        `every client of the hub told "lost" after: ${flushes.map((f) => f.toldMs.map(ms).join('/')).join(', ')}`,
      `hub exits: ${exitsWith75} with ${LOG_LOST_EXIT_CODE} (of ${expectedExits} hubs flushed under), ` +
        `${unexpectedExits} otherwise; the supervisor restarted ${supervisor.restarts()}; both hubs ready again ` +
        `${flushes.map((f) => seconds(f.backMs)).join(', ')} after each flush`,
      `appends into a log the hub did not open: ${intoAnotherLog.length}`,
      `clients reset to the new log by a snapshot of its epoch: ${resets.reduce((a, b) => a + b, 0)} ` +
        `(${flushes.length} per client expected), every client on the new log ${flushes.map((f) => seconds(f.resetMs)).join(', ')} ` +
        `after each flush; signed in again (their sessions were in Redis too) ${officers.reduce((n, { officer }) => n + officer.signInsAgain, 0)} times; ` +
        `entries of a flushed log still on a client at the end: ${ledger.merged.length}; greetings with a ` +
        `flushed log's epoch after its flush (a hub whose log was lost still taking a socket): ${oldGreetings}`,
      `acked commands: ${ledger.keptInFinal} in the surviving log, ${ledger.goneWithData} gone with a flush ` +
        `(acked before it; Redis lost them with the rest of its data, which is no loss by the hub: restoring ` +
        `a backup is the remedy), ` +
        `${ledger.inTwoLogs} in two logs (outcome unknown at the flush, sent again)`,
      `acked after a flush: ${ledger.ackedAfter}, of which ${ledger.ackedAfterInNewLog} in the log that followed it and ` +
        `${ledger.ackedAfterInFlight} acked just after it for an append made before it (gone with the data)`,
    );
    await Promise.all(officers.map(({ officer }) => officer.close()));
    return {
      scenario: 'F4',
      faults: `${flushes.length} Redis FLUSHALL(s) under two hubs, one every ${(options.loadMs / 1000).toFixed(0)} s of load`,
      durationMs,
      clients: officers.length,
      counts: ledger.counts,
      culprits: ledger.culprits,
      hashesEqual: settled.hashesEqual,
      stateMismatches: settled.stateMismatches,
      seed: null,
      hubExits: unexpectedExits,
      notes,
      broken,
      checks: {
        flushes: flushes.length,
        slowestNotReadyMs: slowestNotReady ?? -1,
        slowestToldMs: slowestTold ?? -1,
        saidLost: flushes.every((f) => f.saidLost.every(Boolean)),
        exitsWith75,
        restarts: supervisor.restarts(),
        appendsIntoAnotherLog: intoAnotherLog.length,
        clientResets: resets.reduce((a, b) => a + b, 0),
        fewestResetsPerClient: Math.min(...resets),
        clientsOnFinalEpoch: finalEpochs,
        mergedEntriesOnClients: ledger.merged.length,
        oldGreetings,
        keptInFinalLog: ledger.keptInFinal,
        goneWithFlush: ledger.goneWithData,
        ackedAfterFlush: ledger.ackedAfter,
        ackedAfterFlushInNewLog: ledger.ackedAfterInNewLog,
        ackedAfterFlushInFlight: ledger.ackedAfterInFlight,
      },
    };
  } finally {
    await closeOpenOfficers();
    await supervisor.stop();
    await redis.stop();
  }
}

const ms = (value: number | null) => (value === null ? 'never' : String(value));

/**
 * Flushes Redis under the running hubs and watches what follows: each hub unready and its
 * clients told, each hub's exit, both restarted and ready, every client on the new log.
 */
async function flushUnderHubs(
  redis: RedisServer,
  supervisor: Supervisor,
  officers: readonly SignedInOfficer[],
  watched: readonly EpochWatch[],
): Promise<Flush> {
  const running = supervisor.current();
  const exits = running.map(exitOf);
  const client = await createClient({ url: redis.url }).connect();
  let at: number;
  let epoch: string;
  let events: StoredEvent[];
  try {
    // One transaction: every append Redis made before the flush is in `events`.
    const [entries, stored] = (await client
      .multi()
      .xRange(EVENTS_KEY, '-', '+')
      .hGet(META_KEY, 'epoch')
      .flushAll()
      .exec()) as unknown as [{ message: Record<string, string> }[], string | null, string];
    at = Date.now();
    supervisor.noteFlush();
    epoch = stored ?? '';
    for (const w of watched) w.flushedEpochs.add(epoch);
    events = entries.map((entry) => parseStoredEvent(JSON.parse(entry.message.e ?? 'null')));
  } finally {
    client.destroy();
  }
  const notReady = await Promise.all(running.map((hub) => untilNotReady(hub.url, at)));
  const final = await Promise.all(exits);
  await waitUntil(
    async () => supervisor.current().every((hub) => !running.includes(hub)),
    BACK_WITHIN_MS,
    'both hubs restarted by the supervisor',
  );
  await waitUntil(
    async () =>
      (await Promise.all(supervisor.current().map((hub) => readiness(hub.url)))).every(
        (r) => r.status === 200,
      ),
    BACK_WITHIN_MS,
    'both restarted hubs ready',
  );
  const backMs = Date.now() - at;
  const newEpoch = (await readLog(redis)).epoch;
  await waitUntil(
    () =>
      officers.every(({ officer }) => officer.client.socket.connected && officer.client.epoch === newEpoch),
    BACK_WITHIN_MS,
    'every client on the new log',
  );
  const resetMs = Date.now() - at;
  const toldMs = running.map((_, h) =>
    slowest(
      officers
        .filter((_, i) => i % running.length === h)
        .map(({ officer }) => {
          const heard = firstHeard(officer.statuses, at, 'lost');
          return heard ? heard.at - at : null;
        }),
    ),
  );
  return {
    at,
    epoch,
    events,
    notReadyMs: notReady.map((r) => r.ms),
    saidLost: notReady.map((r) => r.saidLost),
    toldMs,
    exits: final,
    backMs,
    resetMs,
  };
}

/** Polls a hub's `/readyz` until it is no longer 200: how long that took, and what it said. */
async function untilNotReady(url: string, since: number): Promise<{ ms: number | null; saidLost: boolean }> {
  while (Date.now() - since < 15_000) {
    const ready = await readiness(url);
    if (ready.status !== 200) {
      // Nothing answered: the hub had already exited, which it does only after seeing the loss.
      return { ms: Date.now() - since, saidLost: ready.status === 0 || ready.text.includes('is lost') };
    }
    await sleep(50);
  }
  return { ms: null, saidLost: false };
}

async function readLog(redis: RedisServer): Promise<{ epoch: string; events: StoredEvent[] }> {
  const client = await createClient({ url: redis.url }).connect();
  try {
    const entries = (await client.xRange(EVENTS_KEY, '-', '+')) ?? [];
    return {
      epoch: (await client.hGet(META_KEY, 'epoch')) ?? '',
      events: entries.map((entry) => parseStoredEvent(JSON.parse(entry.message.e ?? 'null'))),
    };
  } finally {
    client.destroy();
  }
}

/** What a client did across the flushes: the snapshots that reset it, and folds within each log. */
type EpochWatch = {
  resets: number;
  /** (command, types) folded twice within one log: a duplicate on the client. */
  duplicated: string[];
  /** Greetings with a flushed log's epoch after its flush (a hub whose log was lost still serving). */
  oldGreetings: number;
  flushedEpochs: Set<string>;
};

/**
 * Counts a client's resets (a snapshot of an epoch other than the one it held) and checks
 * its folds per log: the client's record of folded commands starts afresh with each
 * snapshot, so a command applied once in each of two logs is not a duplicate.
 */
function watchEpochs({ officer }: SignedInOfficer): EpochWatch {
  const watch: EpochWatch = { resets: 0, duplicated: [], oldGreetings: 0, flushedEpochs: new Set() };
  const { client } = officer;
  let held = client.epoch;
  const noteDuplicates = () => {
    for (const [id, types] of client.foldedPerCommand) {
      if (new Set(types).size !== types.length) watch.duplicated.push(`${id} on ${officer.userId}`);
    }
    client.foldedPerCommand.clear();
  };
  client.socket.on('sync.hello', (hello) => {
    if (watch.flushedEpochs.has(hello.epoch)) watch.oldGreetings++;
  });
  // Registered after the client's own handler, so the client has taken the snapshot.
  client.socket.on('sync.snapshot', (snapshot) => {
    if (snapshot.epoch === held) return;
    held = snapshot.epoch;
    watch.resets++;
    noteDuplicates();
  });
  return watch;
}

/**
 * The run's figures over every log it had: a command acked is kept when it is in some log
 * (the one that survived, or one captured at its flush), lost when in none.
 */
function countLogLoss(
  records: readonly SentCommand[],
  logs: readonly StoredEvent[][],
  officers: readonly SignedInOfficer[],
  watched: readonly EpochWatch[],
  entryOf: ReadonlyMap<string, string>,
  flushAts: readonly number[],
) {
  const final = logs.length - 1;
  const logsOf = new Map<string, number[]>();
  for (const [i, events] of logs.entries()) {
    for (const id of new Set(events.map((e) => e.commandId))) logsOf.set(id, [...(logsOf.get(id) ?? []), i]);
  }
  const base = countFaults({ sent: records, log: logs[final] ?? [], clients: [] });
  const acked = records.filter((r) => r.outcome === 'acked');
  const lost = acked.filter((r) => !logsOf.has(r.id));
  // The officers' commands only: the demo accounts a hub creates in a new log are one
  // command of many events of each type.
  const sentIds = new Set(records.map((r) => r.id));
  const duplicatedInLog = logs.flatMap((events, i) =>
    countFaults({
      sent: [],
      log: events.filter((e) => sentIds.has(e.commandId)),
      clients: [],
    }).culprits.duplicatedInLog.map((c) => `${c} in log ${i + 1}`),
  );
  const inFinal = new Set((logs[final] ?? []).map((e) => e.commandId));
  const finalEntries = new Set([...inFinal].flatMap((id) => entryOf.get(id) ?? []));
  const missingOnClients: string[] = [];
  const merged: string[] = [];
  for (const { officer } of officers) {
    const shown = officer.client.state.logEntries;
    for (const record of acked) {
      const entry = entryOf.get(record.id);
      if (entry && inFinal.has(record.id) && !shown[entry])
        missingOnClients.push(`${describeCommand(record)} on ${officer.userId}`);
    }
    for (const entry of Object.keys(shown))
      if (!finalEntries.has(entry)) merged.push(`${entry} on ${officer.userId}`);
  }
  const duplicatedOnClients = watched.flatMap((w, i) => {
    const officer = officers[i]?.officer;
    if (!officer) return w.duplicated;
    // The folds since the last reset, which no snapshot has checked yet.
    const open = [...officer.client.foldedPerCommand].filter(
      ([, types]) => new Set(types).size !== types.length,
    );
    return [...w.duplicated, ...open.map(([id]) => `${id} on ${officer.userId}`)];
  });

  // A command acked after a flush is in the log that followed it; or, when Redis appended
  // it before the flush and only the ack came after, in the flushed log (gone with it).
  let ackedAfter = 0;
  let ackedAfterInNewLog = 0;
  let ackedAfterInFlight = 0;
  for (const record of acked) {
    const current = flushAts.filter((at) => at < (record.ackedAt ?? 0)).length;
    if (current === 0) continue;
    ackedAfter++;
    const where = logsOf.get(record.id) ?? [];
    if (where.includes(current)) ackedAfterInNewLog++;
    else if (where.includes(current - 1)) ackedAfterInFlight++;
  }

  return {
    counts: {
      ...base.counts,
      lost: lost.length,
      duplicatedInLog: duplicatedInLog.length,
      duplicatedOnClients: duplicatedOnClients.length,
      missingOnClients: missingOnClients.length,
    },
    culprits: {
      ...base.culprits,
      lost: lost.map(describeCommand),
      duplicatedInLog,
      duplicatedOnClients,
      missingOnClients,
    },
    merged,
    keptInFinal: acked.filter((r) => inFinal.has(r.id)).length,
    goneWithData: acked.filter((r) => logsOf.has(r.id) && !inFinal.has(r.id)).length,
    inTwoLogs: acked.filter((r) => (logsOf.get(r.id)?.length ?? 0) > 1).length,
    ackedAfter,
    ackedAfterInNewLog,
    ackedAfterInFlight,
  };
}

/**
 * Two hubs on one Redis under a supervisor: a hub that exits is started again on its port
 * and data directory after a pause, as systemd's `Restart=on-failure` or a container
 * restart policy would. Each process is kept, with the log it opened, for the count.
 */
class Supervisor {
  private readonly slots: { current: Instance; all: Instance[]; restarting: Promise<void> | null }[];
  private stopping = false;
  private exitCount = 0;
  private restartCount = 0;
  private flushes = 0;

  private constructor(
    hubs: HubProcess[],
    private readonly restartDelayMs: number,
  ) {
    this.slots = hubs.map((hub) => {
      const instance = { hub, log: 0 };
      return { current: instance, all: [instance], restarting: null };
    });
    for (const slot of this.slots) this.watch(slot);
  }

  static async start(redis: RedisServer, count: number, restartDelayMs: number): Promise<Supervisor> {
    const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
    const hubs = await Promise.all(
      ports.map((port, i) => startHub({ port, env: { REDIS_URL: redis.url, HUB_ID: `hub-${i + 1}` } })),
    );
    return new Supervisor(hubs, restartDelayMs);
  }

  /** Redis was flushed: a process started from now on opens the next log. */
  noteFlush(): void {
    this.flushes++;
  }

  /** Hub i's address; the same for every process of it. */
  url(index: number): string {
    const slot = this.slots[index];
    if (!slot) throw new Error(`no hub ${index + 1}`);
    return slot.current.hub.url;
  }

  /** The newest process of each hub (running, or exited and about to be restarted). */
  current(): HubProcess[] {
    return this.slots.map((slot) => slot.current.hub);
  }

  instances(): Instance[] {
    return this.slots.flatMap((slot) => slot.all);
  }

  /** Exits the supervisor saw (its own stop not counted). */
  exits(): number {
    return this.exitCount;
  }

  restarts(): number {
    return this.restartCount;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.slots.map((slot) => slot.restarting));
    await Promise.all(this.slots.map((slot) => slot.current.hub.stop()));
  }

  private watch(slot: (typeof this.slots)[number]): void {
    slot.current.hub.child.once('exit', () => {
      if (this.stopping) return;
      this.exitCount++;
      slot.restarting = this.restart(slot).finally(() => {
        slot.restarting = null;
      });
    });
  }

  private async restart(slot: (typeof this.slots)[number]): Promise<void> {
    for (;;) {
      await sleep(this.restartDelayMs);
      if (this.stopping) return;
      // The log a process opens is the one Redis holds when it starts: after the flushes so far.
      const log = this.flushes;
      const hub = await slot.current.hub.restart().catch(() => null);
      if (!hub) continue;
      if (this.stopping) {
        await hub.kill();
        return;
      }
      const instance = { hub, log };
      slot.all.push(instance);
      slot.current = instance;
      this.restartCount++;
      this.watch(slot);
      return;
    }
  }
}
