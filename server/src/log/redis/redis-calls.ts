import { RESP_TYPES, type createClient } from 'redis';
import { LogUnavailableError } from '../event-log.js';
import { withTimeout } from '../with-timeout.js';
import type { LuaScript } from './redis-scripts.js';

type Client = ReturnType<typeof createClient>;

/**
 * Every Redis call of the log goes through here: bounded in time, and any failure to get
 * an answer (a timeout, a lost connection, an error reply) raised as LogUnavailableError,
 * which the hub answers `log_unavailable`.
 */
export class RedisCalls {
  constructor(
    private readonly client: Client,
    private readonly timeoutMs: number,
  ) {}

  /** One command; bulk strings are answered as text. */
  async call(args: (string | Buffer)[], what: string, timeoutMs = this.timeoutMs): Promise<unknown> {
    try {
      return await withTimeout(this.client.sendCommand(args), timeoutMs, what);
    } catch (error) {
      throw new LogUnavailableError(`Redis ${what} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  /** `call` with bulk strings answered as Buffers (a snapshot is read as bytes, not text). */
  async callForBytes(args: string[], what: string): Promise<unknown> {
    try {
      return await withTimeout(
        this.client.sendCommand(args, { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } }),
        this.timeoutMs,
        what,
      );
    } catch (error) {
      throw new LogUnavailableError(`Redis ${what} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * Runs a script by its SHA; after a Redis restart the script cache is empty (NOSCRIPT),
   * and the script is sent whole once. Both tries share one deadline.
   */
  async runScript(
    lua: LuaScript,
    keys: string[],
    args: (string | Buffer)[],
    what: string,
    timeoutMs = this.timeoutMs,
  ): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await this.call(['EVALSHA', lua.sha, ...tail], what, timeoutMs);
    } catch (error) {
      const cause = error instanceof LogUnavailableError ? error.cause : error;
      if (!(cause instanceof Error) || !cause.message.startsWith('NOSCRIPT')) throw error;
      const remaining = Math.max(1, deadline - Date.now());
      return await this.call(['EVAL', lua.source, ...tail], what, remaining);
    }
  }
}
