import { hostname, userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createClient } from 'redis';
import { loadConfig } from './base/config.js';
import { loadRegionFile } from './region-file.js';
import { DataDirInUseError, StartupError, openFoldedLog, type FoldedLog } from './hub/open-log.js';
import { attribution } from './auth/attribution.js';
import { openHubServices } from './hub/hub-services.js';
import { BackupError, backupCommand, restoreCommand } from './backup-commands.js';
import { OPTIONS, USAGE, UsageError, run, type Args } from './admin-commands.js';

async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  let args: Args;
  try {
    args = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 64;
  }
  if (args.values.help || args.positionals.length === 0) {
    console.log(USAGE);
    return args.values.help ? 0 : 64;
  }

  const config = loadConfig(env);
  const region = await loadRegionFile(config.regionFile);
  // Logs go to stderr so that output (and --json) stays clean.
  const logger = pino({ level: 'warn', base: { hub: 'admin-cli' } }, pino.destination(2));
  const [command, dir, ...extra] = args.positionals;
  if (command === 'backup' || command === 'restore') {
    // Neither opens the log for writing: a backup reads it beside the running hubs.
    if (extra.length > 0) throw new UsageError(`${command} takes one directory\n\n${USAGE}`);
    const ctx = { config, region, logger };
    return command === 'backup' ? backupCommand(dir, ctx) : restoreCommand(dir, ctx);
  }
  let folded: FoldedLog;
  try {
    folded = await openFoldedLog(config, region, logger);
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      console.error(
        `${error.message}\n\nA running hub owns the embedded log. Stop the hub, or use the admin API ` +
          `(${config.publicUrl}/api/admin/…) while it runs.`,
      );
      return 75;
    }
    throw error;
  }

  const redis = config.redis ? createClient({ url: config.redis.url }) : null;
  try {
    if (redis) await redis.connect();
    const {
      region: currentRegion,
      directory,
      audit,
    } = await openHubServices({
      config,
      baseRegion: region,
      folded,
      logger,
      auditRedis: redis ? { sendCommand: (a) => redis.sendCommand(a) } : null,
      auditAs: `admin-cli@${hostname()}`,
    });
    const by = attribution({
      kind: 'hub',
      userId: 'admin-cli',
      userName: `admin CLI (${safeUser()}@${hostname()})`,
      region,
    });
    try {
      return await run(args, {
        region: currentRegion,
        directory,
        by,
        json: args.values.json ?? false,
        password: (purpose) => readPassword(env, purpose),
        audit: (type, target, result) =>
          audit.action({
            kind: 'admin',
            type,
            who: { kind: 'user', userId: by.userId, actorId: null },
            functionId: 'admin',
            origin: { ip: null, via: 'cli' },
            outcome: result.ok ? 'ok' : result.error.code,
            target,
            note: by.userName,
          }),
      });
    } finally {
      await audit.close();
    }
  } finally {
    await folded.close();
    if (redis) await redis.close();
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** ADMIN_PASSWORD, or asked twice on a terminal without echo. */
async function readPassword(env: Record<string, string | undefined>, purpose: string): Promise<string> {
  const fromEnv = env.ADMIN_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new UsageError(`Set ADMIN_PASSWORD to give the password for ${purpose}`);
  const first = await ask(`Password for ${purpose}: `);
  const second = await ask('Again: ');
  if (first !== second) throw new UsageError('The passwords differ');
  return first;
}

function ask(prompt: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) process.stdout.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(prompt, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

main(process.argv.slice(2), process.env).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof StartupError || error instanceof BackupError)
      console.error(error.message);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(error instanceof UsageError ? 64 : 1);
  },
);
