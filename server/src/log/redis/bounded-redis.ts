import type { LogSink } from '../log-sink.js';
import { TimeoutError, withTimeout } from '../with-timeout.js';

/** The part of a node-redis client that is bounded and renewed here. */
export type RenewableClient = {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): void;
  sendCommand(args: string[]): Promise<unknown>;
};

/** Raised for a call to Redis that got no answer in time, or found no connection to go out on. */
export class RedisUnreachableError extends Error {
  override readonly name = 'RedisUnreachableError';
}

/** How long after a renewal that could not connect the next one is tried. */
const RENEW_AGAIN_MS = 1000;

/**
 * Drops a connection that stopped answering and opens a new one, within `timeoutMs`.
 * A blackhole keeps TCP open and answers nothing, for minutes until TCP gives up; node-redis
 * notices nothing meanwhile, so only a new connection resumes contact once the network does.
 * Everything still waiting on the old connection fails now. Resolves to whether it connected;
 * a client that could not is left closed, for the next renewal.
 */
export async function renewConnection(client: RenewableClient, timeoutMs: number): Promise<boolean> {
  client.destroy();
  try {
    await withTimeout(client.connect(), timeoutMs, 'reconnecting to Redis');
    return true;
  } catch {
    client.destroy();
    return false;
  }
}

/** A Redis connection whose every call is bounded in time (boundedCommands). */
export type BoundedRedis = {
  /** One raw command, answered within the bound or failed with RedisUnreachableError. */
  send: (args: string[]) => Promise<unknown>;
  /** Whether the connection is up and not being renewed (for /readyz). */
  ready: () => boolean;
  /** Stops renewing and closes the connection. */
  close: () => Promise<void>;
};

/**
 * A client's raw commands, each answered within `timeoutMs` or failed with
 * RedisUnreachableError, for the stores beside the log (sessions, sign-in counters, pending
 * sign-ins, the audit stream). A call that goes unanswered renews the connection, and a
 * renewal that could not connect is tried again every second until one does; meanwhile
 * calls fail at once instead of waiting out another timeout.
 */
export function boundedCommands(client: RenewableClient, timeoutMs: number, logger: LogSink): BoundedRedis {
  let renewing = false;
  let closed = false;
  let again: NodeJS.Timeout | undefined;
  const renew = () => {
    if (renewing || closed) return;
    renewing = true;
    clearTimeout(again);
    void renewConnection(client, timeoutMs)
      .then((connected) => {
        if (connected || closed) return logger.info({}, 'redis.sideStoresReconnected');
        again = setTimeout(renew, RENEW_AGAIN_MS);
        again.unref();
      })
      .finally(() => {
        renewing = false;
      });
  };
  return {
    send: async (args) => {
      if (!client.isOpen) {
        renew();
        throw new RedisUnreachableError('Redis is unreachable; reconnecting');
      }
      try {
        return await withTimeout(client.sendCommand(args), timeoutMs, `Redis ${args[0] ?? ''}`);
      } catch (error) {
        if (!(error instanceof TimeoutError)) throw error;
        logger.warn({ command: args[0] }, 'redis.sideStoresSilent');
        renew();
        throw new RedisUnreachableError(`Redis did not answer ${args[0] ?? ''} within ${timeoutMs} ms`, {
          cause: error,
        });
      }
    },
    ready: () => client.isReady && !renewing,
    close: async () => {
      closed = true;
      clearTimeout(again);
      if (client.isOpen) await client.close();
    },
  };
}
