import express, { type Response } from 'express';
import { z } from 'zod';
import { LIMITS, eventsForViewer, projectState, type HubStatus, type StoredEvent } from '@lagesbild/shared';
import { LogUnavailableError, type EventLog } from '../log/event-log.js';
import type { HubState } from '../hub/hub-state.js';
import { requireViewer, type CallerLocals } from './caller.js';
import { errorBody, refuse } from './errors.js';
import { isAllWell, logStatus, type ToLogTime } from '../hub/log-health.js';
import type { AuditHealth } from '../audit/audit-backlog.js';

type Res = Response<unknown, CallerLocals>;

/** A count in a query string: decimal digits only, so '', ' ', '0x10' and '1e3' are refused, not guessed. */
const QueryCount = z
  .string()
  .regex(/^\d{1,16}$/, 'must be a whole number in decimal digits')
  .transform(Number)
  .pipe(z.number().int().max(Number.MAX_SAFE_INTEGER));

const EventsQuery = z.strictObject({
  after: QueryCount.default(0),
  limit: QueryCount.pipe(z.number().min(1).max(LIMITS.maxEventsPerPage)).default(LIMITS.maxEventsPerPage),
});

/** `GET /healthz` (the process answers) and `GET /readyz` (it can store commands), for load balancers. */
export function healthRoutes(deps: {
  hubId: string;
  hub: HubState;
  log: EventLog;
  /** Whether the stores beside the log (sessions in Redis) can be reached. */
  storesReady: () => boolean;
  /** How far this hub's clock is from the log's (ms, see log-clock.ts); null until measured. */
  clockSkewMs?: () => number | null;
  /** Audit records waiting for the disk or Redis, and records lost to a full backlog. */
  audit?: () => AuditHealth;
  /** This process's time to the log's, for "stale since" (see log-health.ts). */
  toLogTime?: ToLogTime;
}): express.Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ ok: true, data: { hubId: deps.hubId, headSeq: deps.hub.headSeq } });
  });
  router.get('/readyz', (_req, res) => {
    // Not ready while cut off from the log too: a load balancer then sends new clients to a
    // hub whose picture is live.
    const status = logStatus(deps.log, deps.toLogTime);
    const ready = isAllWell(status) && deps.storesReady();
    res.status(ready ? 200 : 503).json(
      ready
        ? {
            ok: true,
            data: {
              log: deps.log.kind,
              clockSkewMs: deps.clockSkewMs?.() ?? null,
              audit: deps.audit?.() ?? null,
            },
          }
        : errorBody({ code: 'log_unavailable', message: notReadyMessage(status) }),
    );
  });
  return router;
}

/** Why `/readyz` says no, for whoever reads it (an operator, a load balancer's log). */
function notReadyMessage(status: HubStatus): string {
  const picture = status.picture;
  // The log's own reason names files and epochs: it is in the hub's log, not here.
  if (picture?.state === 'lost') {
    return 'The event log this hub opened is lost: it is gone or was replaced. The hub stops serving and exits for its supervisor to restart it; its log says why.';
  }
  if (picture?.state === 'stale') return `The hub has not heard from its event log since ${picture.since}`;
  return 'The event log is unreachable';
}

/** The refusal of a read while the log cannot vouch for the picture. */
const logUnavailable = (message: string) => ({ code: 'log_unavailable' as const, message });

/** Why a read is refused while the log this hub opened is lost: its picture is not to be trusted. */
const LOST_MESSAGE = 'The event log this hub opened is lost; read the picture from another hub';

/**
 * `GET /api/state` and `GET /api/events`: the picture as the caller may see it, whole or
 * as the events after a seq, for clients that do not hold a socket. A hub whose log is lost
 * answers neither from memory (its picture may be another log's past): `log_unavailable`,
 * as its sockets are told, until it exits.
 */
export function readRoutes(deps: { hub: HubState; log: EventLog }): express.Router {
  const { hub, log } = deps;
  const router = express.Router();

  router.get('/state', (_req, res: Res) => {
    const viewer = requireViewer(res);
    if (!viewer) return;
    if (log.lostReason() !== null) return refuse(res, logUnavailable(LOST_MESSAGE));
    res.json({
      ok: true,
      data: { epoch: hub.epoch, seq: hub.headSeq, state: projectState(hub.state, viewer) },
    });
  });

  router.get('/events', async (req, res: Res) => {
    const viewer = requireViewer(res);
    if (!viewer) return;
    const query = EventsQuery.safeParse(req.query);
    if (!query.success) return refuse(res, { code: 'bad_request', message: z.prettifyError(query.error) });
    const { after, limit } = query.data;
    if (log.lostReason() !== null) return refuse(res, logUnavailable(LOST_MESSAGE));
    const headSeq = hub.headSeq;
    let retained: StoredEvent[] | null;
    try {
      retained = hub.eventsAfter(after) ?? (await readFromLog(log, after, limit));
    } catch (error) {
      // Past the hub's window the log is read: unreachable is the client's to retry, not a 500.
      if (!(error instanceof LogUnavailableError)) throw error;
      return refuse(res, logUnavailable('The event log cannot be read right now; try again shortly'));
    }
    if (retained === null) {
      return refuse(res, {
        code: 'history_truncated',
        message: `Events after ${after} are no longer retained; fetch /api/state`,
      });
    }
    const page = retained.slice(0, limit);
    const pageHead = page.length === limit ? (page[page.length - 1]?.seq ?? headSeq) : headSeq;
    res.json({
      ok: true,
      data: { epoch: hub.epoch, events: eventsForViewer(viewer, page), headSeq: pageHead },
    });
  });

  return router;
}

/** Reads older history from the log itself; null when the log does not retain it either. */
async function readFromLog(log: EventLog, after: number, limit: number) {
  const events = await log.read(after, limit);
  const first = events[0];
  return first === undefined || first.seq === after + 1 ? events : null;
}
