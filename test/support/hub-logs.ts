import type { Command } from '@lagesbild/shared';
import type { ApiClient } from './api-client.js';
import { removeDataDir, startHub, type HubProcess } from './hub-process.js';
import { startRedis, type RedisServer } from './redis-server.js';

/** A log and the hubs on it. `restart` restarts the first hub and returns the hubs then. */
export type HubLogs = {
  hubs: HubProcess[];
  restart: () => Promise<HubProcess[]>;
  stop: () => Promise<void>;
};

/** One hub on its embedded journal. */
export async function onJournal(env: Record<string, string>): Promise<HubLogs> {
  let hub = await startHub({ env });
  return {
    get hubs() {
      return [hub];
    },
    restart: async () => {
      await hub.kill();
      hub = await hub.restart();
      return [hub];
    },
    stop: async () => {
      await hub.kill();
      removeDataDir(hub);
    },
  };
}

/** Two hubs sharing one Redis of their own, which writes every event to disk before answering. */
export async function onRedis(env: Record<string, string>): Promise<HubLogs> {
  const redis: RedisServer = await startRedis({ appendfsync: 'always' });
  const withRedis = { ...env, REDIS_URL: redis.url };
  const started = await Promise.all([
    startHub({ env: { ...withRedis, HUB_ID: 'hub-a' } }),
    startHub({ env: { ...withRedis, HUB_ID: 'hub-b' } }),
  ]);
  let hubA = started[0];
  const hubB = started[1];
  return {
    get hubs() {
      return [hubA, hubB];
    },
    restart: async () => {
      await hubA.kill();
      hubA = await hubA.restart();
      return [hubA, hubB];
    },
    stop: async () => {
      await Promise.all([hubA.kill(), hubB.kill()]);
      await redis.stop();
    },
  };
}

/**
 * Both logs a scenario runs on, for `describe.each`: what holds on one hub's journal must hold
 * just as well across two hubs on Redis.
 */
export function bothLogs(env: Record<string, string>) {
  return [
    { log: 'the embedded journal', open: () => onJournal(env) },
    { log: 'Redis, with two hubs', open: () => onRedis(env) },
  ];
}

/** The `i`th hub, going round the hubs there are, so one scenario spreads over one hub or two. */
export function hubAt(logs: HubLogs, i: number): HubProcess {
  const hub = logs.hubs[i % logs.hubs.length];
  if (!hub) throw new Error('no hub');
  return hub;
}

/** Sends a command that must be accepted, and returns the seq of its last event. */
export async function accepted(client: ApiClient, sent: Command): Promise<number> {
  const res = await client.command(sent);
  if (!res.body.ok) throw new Error(`${sent.type} refused: ${res.body.error.code} ${res.body.error.message}`);
  return res.body.data.seq;
}
