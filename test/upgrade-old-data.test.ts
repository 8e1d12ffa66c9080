import { randomUUID } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCheckinCommand } from '@lagesbild/shared/test-factories';
import { encodeRecord, type JournalRecord } from '../server/src/log/journal/journal-format.js';
import { JOURNAL_FILE, SNAPSHOT_FILE } from '../server/src/log/journal/journal-log.js';
import { allEvents, signIn } from './support/api-client.js';
import { removeDataDir, startHub, type HubProcess } from './support/hub-process.js';
import { FoldingClient } from './support/socket-client.js';

/**
 * Rewrites the journal as a hub before check-in sharing would have written it: the same
 * lines with `sharing` taken off every check-in, each with a checksum that holds.
 */
async function dropCheckinSharing(dataDir: string): Promise<number> {
  const file = path.join(dataDir, JOURNAL_FILE);
  let dropped = 0;
  const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line.length > 0);
  const rewritten = lines.map((line) => {
    // A line is "<crc32> <json>"; encodeRecord writes a fresh checksum for the changed JSON.
    const record = JSON.parse(line.slice(line.indexOf(' ') + 1)) as JournalRecord;
    for (const event of record.events) {
      if (event.type !== 'checkin.created') continue;
      const { sharing: _sharing, ...old } = event.payload.checkin;
      (event.payload as { checkin: unknown }).checkin = old;
      dropped++;
    }
    return encodeRecord(record);
  });
  await writeFile(file, Buffer.concat(rewritten));
  // No snapshot: start-up replays the whole journal, as after an upgrade without one.
  await rm(path.join(dataDir, SNAPSHOT_FILE), { force: true });
  return dropped;
}

describe('a hub started on the journal of a hub before check-in sharing', () => {
  let hub: HubProcess;
  afterAll(async () => {
    await hub.kill();
    removeDataDir(hub);
  });

  it("serves the state, the events and socket catch-up, each check-in as its actor's own", async () => {
    hub = await startHub();
    const nackaBefore = await signIn(hub.url, 'tib.nacka');
    const checkinId = randomUUID();
    const checkedIn = await nackaBefore.command(
      buildCheckinCommand({
        commandId: randomUUID(),
        checkinId,
        status: 'onSite',
        note: 'Vid brandstationen',
      }),
    );
    expect(checkedIn.body.ok).toBe(true);
    await hub.kill();
    expect(await dropCheckinSharing(hub.dataDir)).toBe(1);
    hub = await hub.restart();

    const lead = await signIn(hub.url, 'tib.lansstyrelsen');
    const nacka = await signIn(hub.url, 'tib.nacka');
    expect((await nacka.state()).state.checkins[checkinId]).toMatchObject({
      note: 'Vid brandstationen',
      sharing: { scope: 'own' },
    });
    const forLead = await lead.state();
    expect(forLead.state.checkins[checkinId]).toMatchObject({ note: '', regionSummary: true });
    const events = await allEvents(lead);
    expect(events.find((e) => e.type === 'checkin.created')).toMatchObject({
      payload: { checkin: { id: checkinId, note: '', regionSummary: true } },
    });

    // A client that last saw seq 0 of this log catches up event by event.
    const client = new FoldingClient(hub.url, lead.cookie, { lastSeq: 0, epoch: forLead.epoch });
    try {
      await client.connected();
      await client.waitForSeq(forLead.seq);
      expect(client.snapshots).toBe(0);
      expect(client.state.checkins[checkinId]).toMatchObject({ note: '', regionSummary: true });
    } finally {
      client.close();
    }
  });
});
