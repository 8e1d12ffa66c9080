import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildAcknowledgeCommand,
  buildActivateCommand,
  buildLogEntryCommand,
  freshUuid,
  stockholmRegion,
} from '@lagesbild/shared/test-factories';
import { createJournalLog, type JournalLog } from '../log/journal-log.js';
import { CommandService } from './command-service.js';
import { HubState } from './hub-state.js';

const region = stockholmRegion();
const sender = (actorId: string) => ({
  userId: `dutyOfficer.${actorId}`,
  userName: `TiB ${actorId}`,
  actorId,
  functionIds: ['dutyOfficer'],
});

describe('CommandService on the embedded journal', () => {
  const dirs: string[] = [];
  const logs: JournalLog[] = [];
  afterEach(async () => {
    for (const log of logs.splice(0)) await log.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function open() {
    const dir = mkdtempSync(path.join(tmpdir(), 'lagesbild-commands-'));
    dirs.push(dir);
    const log = createJournalLog({ dir, idempotencyWindowMs: 3600_000 });
    logs.push(log);
    const opened = await log.open();
    const hub = new HubState(opened.epoch, 1000, opened.snapshot);
    hub.ingest(opened.events);
    const service = new CommandService({
      log,
      hub,
      region: () => region,
      logger: pino({ level: 'silent' }),
      timeoutMs: 10_000,
    });
    return { log, hub, service };
  }

  it('acks 200 concurrent commands, each once, sharing fsyncs between them', async () => {
    const { log, hub, service } = await open();
    const commands = Array.from({ length: 200 }, (_, i) =>
      buildLogEntryCommand({ commandId: freshUuid(), entryId: freshUuid(), text: `line ${i}` }),
    );
    const acks = await Promise.all(commands.map((c) => service.handle(c, sender('nacka'))));
    expect(acks.every((a) => a.ack.ok)).toBe(true);
    expect(Object.keys(hub.state.logEntries)).toHaveLength(200);
    expect(new Set(acks.map((a) => (a.ack.ok ? a.ack.data.seq : 0))).size).toBe(200);
    expect(log.stats().fsyncs).toBeLessThan(100);
  });

  it('decides a command on the events of an earlier one in the same batch', async () => {
    const { hub, service } = await open();
    const activate = buildActivateCommand({ commandId: freshUuid(), incidentId: freshUuid() });
    const acknowledge = buildAcknowledgeCommand({
      commandId: freshUuid(),
      incidentId: activate.payload.incidentId,
    });
    const [activated, acknowledged] = await Promise.all([
      service.handle(activate, sender('lansstyrelsen')),
      service.handle(acknowledge, sender('nacka')),
    ]);
    expect(activated.ack.ok).toBe(true);
    expect(acknowledged.ack.ok).toBe(true);
    expect(Object.keys(hub.state.incidents[activate.payload.incidentId]?.acknowledgements ?? {})).toEqual([
      'lansstyrelsen',
      'nacka',
    ]);
  });

  it('answers a command sent twice in one batch once, with the same seq', async () => {
    const { hub, service } = await open();
    const command = buildLogEntryCommand({ commandId: freshUuid(), entryId: freshUuid() });
    const [first, second] = await Promise.all([
      service.handle(command, sender('nacka')),
      service.handle(command, sender('nacka')),
    ]);
    expect(second.ack).toEqual(first.ack);
    expect(first.ack.ok).toBe(true);
    expect(hub.headSeq).toBe(1);
  });
});
