import 'fake-indexeddb/auto';
import {
  buildIncident,
  buildLogEntryCommand,
  buildReportCommand,
  buildUpdateCommand,
  testUuid,
} from '@lagesbild/shared/test-factories';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useOutbox } from '../stores/outbox';
import { createOutbox, type CommandSender, type Outbox } from './outbox-engine';
import { indexedDbStorage } from './outbox-storage';
import { countingHub, type Answer, type Reply } from './testing/counting-hub';

const exclusive = (task: () => Promise<void>) => task();
const items = () => Object.values(useOutbox.getState().items).sort((a, b) => a.order - b.order);
const statusOf = (id: string) => useOutbox.getState().items[id]?.status;

let boxes: Outbox[] = [];
function newOutbox(send: CommandSender, extra: Partial<Parameters<typeof createOutbox>[0]> = {}) {
  const box = createOutbox({ storage: indexedDbStorage(), send, exclusive, ...extra });
  boxes.push(box);
  return box;
}

/** A fresh page on the same browser profile: empty memory, the same IndexedDB. */
async function reloadPage(send: CommandSender, userId = 'user-nacka') {
  useOutbox.getState().replaceAll([]);
  const box = newOutbox(send);
  await box.load();
  box.setUser(userId);
  return box;
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  useOutbox.getState().replaceAll([]);
  boxes = [];
});
afterEach(() => {
  for (const box of boxes) box.dispose();
  vi.useRealTimers();
});

describe('outbox', () => {
  it('saves a command durably and sends it once with its own id as the key', async () => {
    const hub = countingHub();
    const box = newOutbox(hub.send);
    await box.load();
    box.setUser('user-nacka');
    const command = buildReportCommand({ commandId: testUuid(10) });

    const item = await box.enqueue('user-nacka', command);
    await box.drain();

    expect(item.id).toBe(command.id);
    expect(hub.deliveries).toEqual([command.id]);
    expect(statusOf(command.id)).toBe('sent');
    expect(useOutbox.getState().items[command.id]?.seq).toBe(1);
    // What the next page would find.
    const stored = await indexedDbStorage().get(command.id);
    expect(stored).toMatchObject({ status: 'sent', command: { id: command.id, type: 'report.submit' } });
  });

  it('keeps commands queued while offline and drains them in order when the link is back', async () => {
    const hub = countingHub();
    hub.setOnline(false);
    const box = newOutbox(hub.send);
    await box.load();
    box.setUser('user-nacka');
    const first = buildLogEntryCommand({ commandId: testUuid(1), entryId: testUuid(11), text: 'first' });
    const second = buildLogEntryCommand({ commandId: testUuid(2), entryId: testUuid(12), text: 'second' });
    await box.enqueue('user-nacka', first);
    await box.enqueue('user-nacka', second);
    await box.drain();

    expect(items().map((i) => i.status)).toEqual(['queued', 'queued']);
    expect(items()[0]?.error?.code).toBe('offline');
    expect(hub.applications.length).toBe(0);

    hub.setOnline(true);
    await box.drain();
    await box.drain();

    expect(hub.deliveries).toEqual([first.id, second.id]);
    expect(items().map((i) => i.status)).toEqual(['sent', 'sent']);
  });

  it('survives a reload: queued commands are read back and sent by the next page', async () => {
    const hub = countingHub();
    hub.setOnline(false);
    const box = newOutbox(hub.send);
    await box.load();
    box.setUser('user-nacka');
    const command = buildReportCommand({ commandId: testUuid(3) });
    await box.enqueue('user-nacka', command);
    await box.drain();
    box.dispose();

    hub.setOnline(true);
    const next = await reloadPage(hub.send);
    expect(statusOf(command.id)).toBe('queued');
    await next.drain();

    expect(hub.deliveries).toEqual([command.id]);
    expect(hub.applications.length).toBe(1);
  });

  it('sends the SAME id again after a reload in the middle of a send, and the hub applies it once', async () => {
    const hub = countingHub();
    const command = buildReportCommand({ commandId: testUuid(4) });
    // The first page's send reaches the hub, but the page goes away before the ack; the
    // hub answers the resend with the original seq, as its idempotency check does.
    hub.script(command.id, { kind: 'applyLoseAck', as: 'hang' }, { kind: 'original' });
    const box = newOutbox(hub.send);
    await box.load();
    box.setUser('user-nacka');
    await box.enqueue('user-nacka', command);
    await vi.waitFor(() => expect(hub.deliveries).toEqual([command.id]));
    expect((await indexedDbStorage().get(command.id))?.status).toBe('sending');
    box.dispose();

    const next = await reloadPage(hub.send);
    await next.drain();

    expect(hub.deliveries).toEqual([command.id, command.id]);
    expect(hub.timesApplied(command.id)).toBe(1);
    expect(statusOf(command.id)).toBe('sent');
    expect(useOutbox.getState().items[command.id]?.seq).toBe(1);
  });

  it("marks a refused command failed with the hub's reason, and carries on with the next", async () => {
    const hub = countingHub();
    const bad = buildLogEntryCommand({ commandId: testUuid(5), entryId: testUuid(15), text: 'bad' });
    const good = buildLogEntryCommand({ commandId: testUuid(6), entryId: testUuid(16), text: 'good' });
    hub.script(bad.id, { kind: 'refuse', code: 'conflict', message: 'The incident is closed' });
    const box = newOutbox(hub.send);
    await box.load();
    box.setUser('user-nacka');
    await box.enqueue('user-nacka', bad);
    await box.enqueue('user-nacka', good);
    await box.drain();

    expect(statusOf(bad.id)).toBe('failed');
    expect(useOutbox.getState().items[bad.id]?.error).toEqual({
      code: 'conflict',
      message: 'The incident is closed',
      fromHub: true,
    });
    expect(statusOf(good.id)).toBe('sent');

    // Discarded: gone here and from storage.
    expect(await box.discard(bad.id)).toBe(true);
    expect(statusOf(bad.id)).toBeUndefined();
    expect(await indexedDbStorage().get(bad.id)).toBeNull();
  });

  it('sends a refused command again with the same id when asked to', async () => {
    const hub = countingHub();
    const command = buildReportCommand({ commandId: testUuid(7) });
    hub.script(command.id, { kind: 'refuse', code: 'forbidden', message: 'Not now' });
    const box = newOutbox(hub.send);
    await box.load();
    box.setUser('user-nacka');
    await box.enqueue('user-nacka', command);
    await box.drain();
    expect(statusOf(command.id)).toBe('failed');

    await box.retry(command.id);

    expect(statusOf(command.id)).toBe('sent');
    expect(hub.deliveries).toEqual([command.id, command.id]);
    expect(hub.timesApplied(command.id)).toBe(1);
  });

  it('retries after a timeout by itself, with the same id', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const hub = countingHub();
    const command = buildReportCommand({ commandId: testUuid(8) });
    // It reached the hub, the ack did not come back; the resend gets the original seq.
    hub.script(command.id, { kind: 'applyLoseAck', as: 'timeout' }, { kind: 'original' });
    const box = newOutbox(hub.send, { retryDelayMs: () => 1_000 });
    await box.load();
    box.setUser('user-nacka');
    await box.enqueue('user-nacka', command);
    await box.drain();
    expect(statusOf(command.id)).toBe('queued');
    expect(useOutbox.getState().items[command.id]?.error?.code).toBe('timeout');

    await vi.advanceTimersByTimeAsync(1_000);
    await vi.waitFor(() => expect(statusOf(command.id)).toBe('sent'));
    expect(hub.timesApplied(command.id)).toBe(1);
    expect(useOutbox.getState().items[command.id]?.seq).toBe(hub.seqOf(command.id));
    expect(hub.deliveries).toEqual([command.id, command.id]);
  });

  it("sends only the signed-in user's commands", async () => {
    const hub = countingHub();
    const box = newOutbox(hub.send);
    await box.load();
    const theirs = buildReportCommand({ commandId: testUuid(20) });
    box.setUser('user-solna');
    hub.setOnline(false);
    await box.enqueue('user-solna', theirs);
    await box.drain();
    hub.setOnline(true);

    box.setUser('user-nacka');
    const mine = buildReportCommand({ commandId: testUuid(21) });
    await box.enqueue('user-nacka', mine);
    await box.drain();

    expect(hub.deliveries).toEqual([mine.id]);
    expect(statusOf(theirs.id)).toBe('queued');
  });

  it('sends each command once when drains overlap', async () => {
    const hub = countingHub();
    const box = newOutbox(hub.send);
    await box.load();
    box.setUser('user-nacka');
    hub.setOnline(false);
    const command = buildReportCommand({ commandId: testUuid(30) });
    await box.enqueue('user-nacka', command);
    await box.drain();
    hub.setOnline(true);

    await Promise.all([box.drain(), box.drain(), box.drain()]);

    expect(hub.deliveries).toEqual([command.id]);
  });

  it('does not call back a command that is on the wire', async () => {
    let release: (answer: Answer) => void = () => undefined;
    const slow: CommandSender = () => new Promise<Answer>((resolve) => (release = resolve));
    const box = newOutbox(slow);
    await box.load();
    box.setUser('user-nacka');
    const command = buildReportCommand({ commandId: testUuid(40) });
    await box.enqueue('user-nacka', command);
    await vi.waitFor(() => expect(statusOf(command.id)).toBe('sending'));

    expect(await box.discard(command.id)).toBe(false);
    release({ ok: true, data: { seq: 9 } });
    await box.drain();
    expect(statusOf(command.id)).toBe('sent');
  });

  it('ignores stored items that are not valid commands', async () => {
    const storage = indexedDbStorage();
    await storage.put({
      id: testUuid(50),
      userId: 'user-nacka',
      command: { id: testUuid(50), type: 'incident.destroy', payload: {} },
      status: 'queued',
      order: 1,
      createdAt: 1,
      updatedAt: 1,
      attempts: 0,
      seq: null,
      error: null,
    } as never);
    const hub = countingHub();
    const box = await reloadPage(hub.send);
    await box.drain();
    expect(items()).toEqual([]);
    expect(hub.deliveries).toEqual([]);
  });

  it('forgets sent commands older than a day when it loads', async () => {
    const hub = countingHub();
    let now = 1_000_000;
    const box = newOutbox(hub.send, { now: () => now });
    await box.load();
    box.setUser('user-nacka');
    const command = buildReportCommand({ commandId: testUuid(60) });
    await box.enqueue('user-nacka', command);
    await box.drain();
    now += 25 * 3600_000;

    useOutbox.getState().replaceAll([]);
    const next = newOutbox(hub.send, { now: () => now });
    await next.load();
    expect(items()).toEqual([]);
    expect(await indexedDbStorage().get(command.id)).toBeNull();
  });
});

describe('outbox: refusals that sending again cannot change', () => {
  const incidentId = testUuid(60);
  const newer = buildIncident({ id: incidentId, description: 'Nyare beskrivning', version: 9 });
  const staleReply: Reply = {
    kind: 'refuse',
    code: 'stale',
    message: 'The incident has changed since version 4; it is at version 9 now',
    stale: { item: 'incident', incident: newer },
  };
  const update = buildUpdateCommand({
    commandId: testUuid(61),
    incidentId,
    description: 'Min beskrivning',
    baseVersion: 4,
  });

  async function refusedUpdate(reply: Reply) {
    const hub = countingHub();
    hub.script(update.id, reply);
    const box = newOutbox(hub.send, { newId: () => testUuid(62) });
    await box.load();
    box.setUser('user-nacka');
    await box.enqueue('user-nacka', update);
    await box.drain();
    return { hub, box };
  }

  it('keeps a stale change, with the newer incident, until the person chooses; retry does not resend it', async () => {
    const { hub, box } = await refusedUpdate(staleReply);
    expect(statusOf(update.id)).toBe('failed');
    expect(useOutbox.getState().items[update.id]?.error?.stale).toEqual({
      item: 'incident',
      incident: newer,
    });
    // Stored with the newer incident, so a reload still offers the choice.
    expect((await indexedDbStorage().get(update.id))?.error?.stale).toEqual({
      item: 'incident',
      incident: newer,
    });
    await box.retry(update.id);
    expect(hub.deliveries).toEqual([update.id]);
  });

  it('sends the person’s own change on the newer version, as a new command, when they keep theirs', async () => {
    const { hub, box } = await refusedUpdate(staleReply);
    const resent = await box.keepMine(update.id);
    await box.drain();
    expect(resent?.command).toEqual({
      id: testUuid(62),
      type: 'incident.update',
      payload: { ...update.payload, baseVersion: 9 },
    });
    expect(statusOf(update.id)).toBeUndefined();
    expect(statusOf(testUuid(62))).toBe('sent');
    expect(hub.deliveries).toEqual([update.id, testUuid(62)]);
    expect(hub.applications).toEqual([testUuid(62)]);
  });

  it('drops the person’s change when they take the newer one', async () => {
    const { hub, box } = await refusedUpdate(staleReply);
    expect(await box.discard(update.id)).toBe(true);
    expect(items()).toEqual([]);
    expect(hub.applications.length).toBe(0);
  });

  it('shows an id conflict as refused and never sends it again', async () => {
    const { hub, box } = await refusedUpdate({
      kind: 'refuse',
      code: 'id_conflict',
      message: 'This command id was already used',
    });
    expect(statusOf(update.id)).toBe('failed');
    expect(useOutbox.getState().items[update.id]?.error?.code).toBe('id_conflict');
    await box.retry(update.id);
    await box.drain();
    expect(await box.keepMine(update.id)).toBeNull();
    expect(hub.deliveries).toEqual([update.id]);
  });
});
