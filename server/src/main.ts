import { loadConfig } from './base/config.js';
import { startHub } from './start-hub.js';
import { startBanner } from './start-banner.js';
import { startupFailure } from './startup-failure.js';

/** The levels at which start-up chatter would bury the banner in a terminal. */
const CHATTY_LEVELS = new Set(['trace', 'debug', 'info']);

/**
 * `npm start`: starts one hub from the environment, prints where to open it and how to
 * sign in, and stops cleanly on SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  // In a terminal, start-up's JSON lines would scroll the banner away: only warnings until
  // it is printed. Piped output (a service manager, the tests) gets every line as before.
  const quietStart = process.stdout.isTTY === true && CHATTY_LEVELS.has(config.logLevel);
  let running;
  try {
    running = await startHub(quietStart ? { ...config, logLevel: 'warn' } : config);
  } catch (error) {
    console.error(await startupFailure(error, config));
    process.exit(1);
  }

  console.log(
    startBanner({
      publicUrl: config.publicUrl,
      listeningUrl: running.url,
      region: running.region,
      logKind: running.log.kind,
      headSeq: running.hub.headSeq,
      demoPassword: config.demoAccounts ? config.demoPassword : null,
    }),
  );
  if (quietStart) running.logger.level = config.logLevel;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.logger.info({ signal }, 'stopping');
    await running.close();
    process.exit(0);
  };
  // The last resort, not a way of carrying on: state after an unexpected throw cannot be
  // trusted, so the hub says why in one structured line and exits; the supervisor (compose's
  // `restart: unless-stopped`, systemd's `Restart=always`) starts it again from the log, and
  // clients reconnect and catch up. Every known path that could throw is handled where it is.
  const exitOnUnexpected = (kind: string) => (error: unknown) => {
    running.logger.fatal({ err: error }, `${kind}; exiting for the supervisor to restart the hub`);
    process.exit(70);
  };
  process.on('uncaughtException', exitOnUnexpected('uncaught exception'));
  process.on('unhandledRejection', exitOnUnexpected('unhandled rejection'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

void main();
