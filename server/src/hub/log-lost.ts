import type { EventLog } from '../log/event-log.js';
import { withTimeout } from '../log/with-timeout.js';

/**
 * The exit code of a hub whose log is lost: EX_TEMPFAIL ("try again"), so a supervisor
 * (systemd `Restart=on-failure`, a container restart policy) starts it again, and the new
 * process opens the log that is there now.
 */
export const LOG_LOST_EXIT_CODE = 75;

/**
 * How long a hub whose log is lost goes on before it exits: long enough for the `hub.status`
 * that says so to reach its clients, short enough that no one works on with a wrong picture.
 */
export const LOST_EXIT_DELAY_MS = 2000;

/**
 * How long what must be saved before the exit (the audit records held in memory) may take:
 * a hub that cannot save them in this exits anyway, having said how many were lost.
 */
export const BEFORE_EXIT_MS = 1500;

/** How often the log is asked; the loss is acted on within this. */
const CHECK_EVERY_MS = 250;

export type LogLostOptions = {
  /** Called once, when the loss is first seen: log it loudly. */
  onLost: (reason: string) => void;
  /**
   * Saves what would otherwise be lost with the process (held audit records), `exitAfterMs`
   * after `onLost`; the exit waits for it, but never longer than `beforeExitMs`.
   */
  beforeExit?: () => Promise<void>;
  /** Ends the process (`process.exit` in a hub); called once, after `beforeExit`. */
  exit: (code: number) => void;
  everyMs?: number;
  exitAfterMs?: number;
  beforeExitMs?: number;
};

/**
 * Watches for the log this hub opened to be lost (EventLog.lostReason: Redis flushed or
 * restarted without its data, a journal replaced under the hub). From then on the log
 * refuses every append and read, `/readyz` says 503 and the hub's status to its clients
 * says `lost` (log-health.ts); after LOST_EXIT_DELAY_MS the hub saves what it holds
 * (`beforeExit`, bounded) and exits with LOG_LOST_EXIT_CODE for its supervisor to restart
 * it against the true log. Returns the
 * stop, which also cancels an exit not yet made (a hub closing anyway).
 */
export function watchLogLost(log: Pick<EventLog, 'lostReason'>, options: LogLostOptions): () => void {
  let exitTimer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  const check = setInterval(() => {
    const reason = log.lostReason();
    if (reason === null) return;
    clearInterval(check);
    options.onLost(reason);
    // Not unref'd: the process must live until it exits with the code the supervisor reads.
    exitTimer = setTimeout(() => {
      exitTimer = null;
      if (!options.beforeExit) return options.exit(LOG_LOST_EXIT_CODE);
      const saved = withTimeout(
        options.beforeExit(),
        options.beforeExitMs ?? BEFORE_EXIT_MS,
        'saving before the exit',
      );
      // Saved or not (the store says what it lost), the hub exits: it must not serve on.
      void saved
        .catch(() => undefined)
        .then(() => {
          if (!stopped) options.exit(LOG_LOST_EXIT_CODE);
        });
    }, options.exitAfterMs ?? LOST_EXIT_DELAY_MS);
  }, options.everyMs ?? CHECK_EVERY_MS);
  check.unref();
  return () => {
    stopped = true;
    clearInterval(check);
    if (exitTimer) clearTimeout(exitTimer);
  };
}
