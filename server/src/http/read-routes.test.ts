import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { DirectoryAccount } from '@lagesbild/shared';
import type { Authenticated } from '../auth/auth-service.js';
import { createLogger } from '../base/logger.js';
import { HubState } from '../hub/hub-state.js';
import { MemoryLogStore, createMemoryLog } from '../log/memory-log.js';
import { appendOne, appendedEvents } from '../log/testing/log-helpers.js';
import { buildLogEntryDraft } from '../log/testing/test-events.js';
import type { CallerLocals } from './caller.js';
import { handleErrors } from './errors.js';
import { healthRoutes, readRoutes } from './read-routes.js';

const anna = {
  id: 'anna',
  username: 'anna',
  name: 'Anna',
  actorId: 'nacka',
  functionIds: ['dutyOfficer'],
  disabled: false,
  externalId: null,
} satisfies DirectoryAccount;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/**
 * The read routes over a memory log holding five entries, for Anna signed in, with a hub
 * that keeps only the newest two for catch-up: older ones are read from the log.
 */
async function readApi() {
  const store = new MemoryLogStore();
  const log = createMemoryLog({ store, idempotencyWindowMs: 60_000 });
  const opened = await log.open();
  const hub = new HubState(opened.epoch, 2, opened.snapshot);
  const events = [];
  for (let seq = 0; seq < 5; seq++)
    events.push(...appendedEvents(await appendOne(log, seq, [buildLogEntryDraft()])));
  // Folded at once, as at start-up: the window keeps the newest two.
  hub.ingest(events);
  const app = express();
  app.use((_req, res: express.Response<unknown, CallerLocals>, next) => {
    res.locals.auth = { session: {}, account: anna } as Authenticated;
    next();
  });
  app.use(healthRoutes({ hubId: 'hub-a', hub, log, storesReady: () => true }));
  app.use('/api', readRoutes({ hub, log }));
  app.use(handleErrors(createLogger('silent', 'test')));
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`);
    return { status: res.status, text: await res.text() };
  };
  return { store, get };
}

describe('the read routes', () => {
  it('serve the picture and the events while the log is the one the hub opened', async () => {
    const { get } = await readApi();
    expect((await get('/api/state')).status).toBe(200);
    const events = await get('/api/events?after=0');
    expect(events.status).toBe(200);
    expect(JSON.parse(events.text).data.events).toHaveLength(5);
  });

  it('refuse to serve a lost log’s picture from memory, and say so without its files or epochs', async () => {
    const { store, get } = await readApi();
    store.replaceWithEmpty();
    for (const path of ['/api/state', '/api/events?after=4', '/api/events?after=0']) {
      const answer = await get(path);
      expect(answer.status, path).toBe(503);
      expect(JSON.parse(answer.text).error.code, path).toBe('log_unavailable');
    }
    const ready = await get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.text).toContain('is lost');
    // The log's own reason names the epochs: that is for the hub's log, not for anyone.
    expect(ready.text).not.toContain(store.epoch);
  });

  it('answer log_unavailable, not an internal error, when history past the hub’s window cannot be read', async () => {
    const { store, get } = await readApi();
    store.setUnavailable('Redis is away');
    const answer = await get('/api/events?after=0');
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.text).error.code).toBe('log_unavailable');
    // Within the hub's window nothing needs the log.
    expect((await get('/api/events?after=4')).status).toBe(200);
  });
});
