import { afterAll, describe, expect, it } from 'vitest';
import { allEvents, signIn } from './support/api-client.js';
import { logEntry } from './support/commands.js';
import { RELAXED_LIMITS, removeDataDir, startHub, type HubProcess } from './support/hub-process.js';

describe('a hub killed with SIGKILL while clients send commands', () => {
  const hubs: HubProcess[] = [];
  afterAll(async () => {
    for (const hub of hubs) await hub.kill();
    if (hubs[0]) removeDataDir(hubs[0]);
  });

  it('has every acked command after restart, exactly once', async () => {
    // A small snapshot interval, so the restart also goes through snapshot + journal tail.
    const hub = await startHub({ env: { SNAPSHOT_EVERY: '50', ...RELAXED_LIMITS } });
    hubs.push(hub);
    const client = await signIn(hub.url, 'tib.lansstyrelsen');

    const acked = new Set<string>();
    const sent: ReturnType<typeof logEntry>[] = [];
    let crashed = false;
    // Four clients send as fast as the hub acks, until the hub dies under them.
    const senders = Array.from({ length: 4 }, async (_, n) => {
      while (!crashed) {
        const command = logEntry(`Client ${n} line ${sent.length}`);
        sent.push(command);
        try {
          const res = await client.command(command);
          if (res.body.ok) acked.add(command.id);
        } catch {
          return; // the connection died with the hub
        }
      }
    });
    while (acked.size < 300) await new Promise((r) => setTimeout(r, 20));
    await hub.kill('SIGKILL');
    crashed = true;
    await Promise.all(senders);

    const restarted = await hub.restart();
    hubs.push(restarted);
    const again = await signIn(restarted.url, 'tib.lansstyrelsen');
    const events = await allEvents(again);
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.commandId, (counts.get(e.commandId) ?? 0) + 1);
    for (const id of acked) expect(counts.get(id)).toBe(1);
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));

    // The outbox's retry of everything sent: acked ones answer with their original seq, the
    // rest are applied now, and still each exactly once.
    for (const command of sent) expect((await again.command(command)).body.ok).toBe(true);
    const final = await allEvents(again);
    const finalCounts = new Map<string, number>();
    for (const e of final) finalCounts.set(e.commandId, (finalCounts.get(e.commandId) ?? 0) + 1);
    for (const command of sent) expect(finalCounts.get(command.id)).toBe(1);
  });
});
