import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agreedVersions,
  capIdentifier,
  envelope,
  StateResponse,
  type CommandAck,
  type JointMessage,
  type MessageContent,
} from '@lagesbild/shared';
import { stockholmRegion } from '@lagesbild/shared/test-factories';
import { asDevice, pair, type PairedDevice } from './support/admin.js';
import { allEvents, onHub, signIn, type ApiClient } from './support/api-client.js';
import { activate, command } from './support/commands.js';
import { accepted, onRedis, type HubLogs } from './support/hub-logs.js';
import { RELAXED_LIMITS } from './support/hub-process.js';
import { FoldingClient } from './support/socket-client.js';
import { issueWall } from './support/wall-scene.js';

/**
 * A joint message to the public (issue 14) through two real hubs sharing one Redis, every
 * person on a real socket to each hub: Stockholm stad's communicator drafts, and the
 * communicators of Stockholm, Nacka and Region Stockholm save and approve at the same time.
 * Saves on one base version race, approvals race on different versions, and exactly one
 * version ends up agreed, the same on every client; what lost a race is refused as `stale`
 * and leaves nothing in the log. Both hubs then serve the same CAP bytes, a publication on
 * one hub reaches the other's clients, and a wall shows the agreed message.
 */

const region = stockholmRegion();
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The CAP 1.2 schema the CAP writer's tests validate against (copied from the standard). */
const CAP_SCHEMA = path.join(repoRoot, 'test/fixtures/cap-1.2.xsd');

/** The three actors of the scenario: the drafter's first, as the owner of the matter. */
const ACTORS = ['stockholm', 'nacka', 'region-stockholm'] as const;
type ActorId = (typeof ACTORS)[number];

/** What the message says; `headline` tells the versions apart. */
function content(headline: string): MessageContent {
  const now = Date.now();
  return {
    texts: {
      sv: {
        headline,
        core: 'Stormen fäller träd över vägar och ledningar i Stockholm och Nacka.',
        whatToDo: 'Stanna inomhus, håll dig borta från fallna ledningar och ring 112 vid fara.',
      },
      en: null,
      svEasy: null,
    },
    moreInfo: {
      channels: [{ actorId: 'stockholm', url: 'https://start.stockholm/storm' }],
      phone11313: true,
      krisinformation: true,
    },
    area: { polygon: null, municipalityCodes: ['0180', '0182'], description: 'Stockholm och Nacka' },
    validFrom: new Date(now).toISOString(),
    validUntil: new Date(now + 12 * 3_600_000).toISOString(),
    exercise: false,
    directiveId: null,
  };
}

/** One of the sockets a person holds: the actor, the hub it is on, and the folding client. */
type Seat = { actor: ActorId; hub: number; socket: FoldingClient; reader: ApiClient };

/** A command sent over a socket, and how the hub answered it. */
type Sent = { seat: Seat; command: { id: string; type: string }; ack: CommandAck };

const refusalCode = (ack: CommandAck) => (ack.ok ? null : ack.error.code);

describe('a joint message over two hubs on one Redis', () => {
  let logs: HubLogs;
  let incidentId: string;
  const messageId = randomUUID();
  /** Each actor's communicator, signed in once, with a socket on each hub. */
  const people = {} as Record<ActorId, ApiClient>;
  const seats: Seat[] = [];
  let wall: FoldingClient;
  let wallDevice: PairedDevice;
  /** Every command a hub refused, to show afterwards that none of them left an event. */
  const refused: Sent[] = [];

  const seat = (actor: ActorId, hub: number): Seat => {
    const found = seats.find((s) => s.actor === actor && s.hub === hub);
    if (!found) throw new Error(`no seat for ${actor} on hub ${hub}`);
    return found;
  };
  const messageOn = (socket: FoldingClient): JointMessage | undefined =>
    socket.state.jointMessages[messageId];
  const everySocket = () => [...seats.map((s) => s.socket), wall];
  /** Waits until every socket (the wall's too) sees the message in the given shape. */
  const everyClientSees = (what: string, holds: (m: JointMessage) => boolean) =>
    Promise.all(
      everySocket().map((socket) =>
        socket.waitFor(
          () => {
            const m = messageOn(socket);
            return m !== undefined && holds(m);
          },
          15_000,
          () => `a client at seq ${socket.lastSeq} did not see ${what}`,
        ),
      ),
    );

  /** Sends over the seat's socket; a refusal is remembered. */
  const send = async (at: Seat, sent: { id: string; type: string }): Promise<Sent> => {
    const ack = await at.socket.send(sent);
    const result = { seat: at, command: sent, ack };
    if (!ack.ok) refused.push(result);
    return result;
  };
  const draft = (headline: string, baseVersion: number) =>
    command('jointMessage.draft', {
      messageId,
      incidentId,
      content: content(headline),
      approverActorIds: [...ACTORS],
      baseVersion,
    });
  const approve = (actor: ActorId, version: number) =>
    command('jointMessage.approve', { messageId, version, forActorId: actor, comment: '' });

  beforeAll(async () => {
    logs = await onRedis(RELAXED_LIMITS);
    const [hubA, hubB] = logs.hubs;
    if (!hubA || !hubB) throw new Error('two hubs expected');
    const lead = await signIn(hubA.url, 'tib.lansstyrelsen');
    const incident = activate({ title: 'Storm Ylva', summonedActorIds: [...ACTORS] });
    incidentId = incident.payload.incidentId;
    await accepted(lead, incident);

    for (const actor of ACTORS) {
      people[actor] = await signIn(hubA.url, `kommunikator.${actor}`);
      for (const [hub, { url }] of logs.hubs.entries()) {
        const reader = onHub(people[actor], url);
        seats.push({ actor, hub, reader, socket: new FoldingClient(url, reader.cookie) });
      }
    }
    // Paired on one hub, shown on the other: the wall's session is shared through Redis.
    const pairing = await issueWall(hubA.url, 'Väggen i ledningsrummet');
    const paired = await pair(hubA.url, pairing.pairingCode);
    if (!('cookie' in paired)) throw new Error(`the wall did not pair: ${paired.code}`);
    wallDevice = paired;
    wall = new FoldingClient(hubB.url, paired.cookie);
    await Promise.all(everySocket().map((socket) => socket.connected()));
  });

  afterAll(async () => {
    for (const socket of everySocket()) socket?.close();
    await logs?.stop();
  });

  it('three actors save and approve at once, and exactly one version becomes agreed on every client', async () => {
    // Stockholm stad's communicator drafts v1 on hub A; saving it is Stockholm's approval.
    const first = await send(seat('stockholm', 0), draft('Storm: stanna inomhus', 0));
    expect(first.ack).toMatchObject({ ok: true });
    await everyClientSees('v1', (m) => m.versions.length === 1);

    // Every actor saves its edit of v1 on both hubs at once, while Nacka approves v1.
    // Only Nacka approves v1, so v1 cannot become agreed whichever lands first.
    const saves = ACTORS.flatMap((actor) =>
      [0, 1].map((hub) => send(seat(actor, hub), draft(`Storm: ${actor} via server ${hub}`, 1))),
    );
    const earlyApproval = send(seat('nacka', 1), approve('nacka', 1));
    const saved = await Promise.all(saves);
    const won = saved.filter((s) => s.ack.ok);
    expect(won, 'exactly one save of v1 is taken').toHaveLength(1);
    expect(saved.filter((s) => !s.ack.ok).map((s) => refusalCode(s.ack))).toEqual(Array(5).fill('stale'));
    // Landed before the winning save (an approval of v1), or after it (stale).
    expect([null, 'stale']).toContain(refusalCode((await earlyApproval).ack));

    const winner = won[0];
    if (!winner) throw new Error('no save won');
    const winningHeadline = `Storm: ${winner.seat.actor} via server ${winner.seat.hub}`;
    await everyClientSees('v2', (m) => m.versions.length === 2);
    for (const socket of everySocket()) {
      const v2 = messageOn(socket)?.versions[1];
      expect(v2?.content.texts.sv.headline).toBe(winningHeadline);
      expect(v2?.draftedBy.actorId).toBe(winner.seat.actor);
    }

    // Nobody may publish before agreement: refused, and nothing changes.
    const hashBefore = await seat('nacka', 1).reader.stateHash();
    const early = await send(
      seat('nacka', 1),
      command('jointMessage.publish', {
        messageId,
        version: 2,
        channel: 'web',
        publishedAt: new Date().toISOString(),
      }),
    );
    expect(early.ack).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await seat('nacka', 1).reader.stateHash()).toEqual(hashBefore);

    // The other two approve v2 on different hubs, racing approvals of the superseded v1
    // and another save on base version 1: only the approvals of v2 count.
    const others = ACTORS.filter((actor) => actor !== winner.seat.actor);
    const race = await Promise.all([
      ...others.map((actor, i) => send(seat(actor, i), approve(actor, 2))),
      ...others.map((actor, i) => send(seat(actor, 1 - i), approve(actor, 1))),
      send(seat(winner.seat.actor, 1 - winner.seat.hub), approve(winner.seat.actor, 1)),
      send(seat(others[0] ?? 'nacka', 1), draft('Storm: för sent', 1)),
    ]);
    expect(race.map((s) => refusalCode(s.ack))).toEqual([null, null, 'stale', 'stale', 'stale', 'stale']);

    await everyClientSees('v2 agreed', (m) => m.versions[1]?.agreedAt != null);
    const settled = messageOn(seat('stockholm', 0).socket);
    expect(settled && agreedVersions(settled).map((v) => v.version)).toEqual([2]);
    expect(Object.keys(settled?.versions[1]?.signOffs ?? {}).sort()).toEqual([...ACTORS].sort());
    expect(Object.values(settled?.versions[1]?.signOffs ?? {}).map((s) => s.decision)).toEqual(
      Array(3).fill('approved'),
    );

    // Every client folded the same message, and each socket's whole state matches its hub's.
    for (const socket of everySocket()) expect(messageOn(socket)).toEqual(settled);
    for (const { socket, reader } of seats) {
      const view = await reader.stateHash();
      await socket.waitForSeq(view.seq);
      expect(socket.hash, reader.baseUrl).toBe(view.hash);
    }

    // The log holds one agreement, two versions, and nothing of any refused command.
    const events = await allEvents(people.stockholm);
    const ofMessage = events.filter((e) => e.type.startsWith('jointMessage.'));
    expect(ofMessage.filter((e) => e.type === 'jointMessage.agreed')).toHaveLength(1);
    expect(ofMessage.filter((e) => e.type === 'jointMessage.drafted')).toHaveLength(2);
    const refusedIds = new Set(refused.map((r) => r.command.id));
    // Five saves of v1, the early publication, four in the race on v2 (and Nacka's early approval, if it lost).
    expect(refusedIds.size).toBeGreaterThanOrEqual(10);
    expect(events.filter((e) => refusedIds.has(e.commandId))).toEqual([]);
  });

  it('serves the same CAP bytes for the agreed version from every hub, and none for a draft', async () => {
    const answers = await Promise.all(
      logs.hubs.map((hub) => fetch(`${hub.url}/api/public/messages/${messageId}/versions/2/cap.xml`)),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^application\/cap\+xml/);
    }
    const [fromA, fromB] = await Promise.all(answers.map(async (a) => Buffer.from(await a.arrayBuffer())));
    expect(fromA?.length).toBeGreaterThan(0);
    expect(fromB?.equals(fromA ?? Buffer.alloc(0))).toBe(true);
    const xml = fromA?.toString('utf8') ?? '';
    expect(xml).toContain(`<identifier>${capIdentifier(region.id, messageId, 2)}</identifier>`);
    expect(xml).toContain('<msgType>Alert</msgType>');
    expect(xml).toContain('Storm: ');
    // Valid CAP 1.2 as served, not only as the writer's own tests produce it.
    const lint = spawnSync('xmllint', ['--noout', '--schema', CAP_SCHEMA, '-'], { input: fromA });
    expect(lint.stderr.toString('utf8')).toMatch(/- validates/);
    expect(lint.status).toBe(0);

    // v1 was never agreed: neither hub offers it.
    for (const hub of logs.hubs) {
      const draftCap = await fetch(`${hub.url}/api/public/messages/${messageId}/versions/1/cap.xml`);
      expect(draftCap.status).toBe(404);
      await draftCap.body?.cancel();
    }
    // The public feed is the same on both hubs and carries the agreed message.
    const feeds = await Promise.all(
      logs.hubs.map(async (hub) => (await fetch(`${hub.url}/api/public/messages.atom`)).text()),
    );
    expect(feeds[1]).toBe(feeds[0]);
    expect(feeds[0]).toContain(`urn:uuid:${messageId}`);
  });

  it("a publication after agreement reaches the other hub's clients", async () => {
    const publishedAt = new Date().toISOString();
    const published = await send(
      seat('nacka', 1),
      command('jointMessage.publish', {
        messageId,
        version: 2,
        channel: 'web',
        publishedAt,
        note: 'nacka.se',
      }),
    );
    expect(published.ack).toMatchObject({ ok: true });
    // Every socket on hub A (and the wall on B) folds Nacka's publication.
    await everyClientSees('the publication', (m) => Object.keys(m.publications).length === 1);
    for (const { socket } of seats.filter((s) => s.hub === 0)) {
      expect(Object.values(messageOn(socket)?.publications ?? {})).toEqual([
        expect.objectContaining({
          actorId: 'nacka',
          channel: 'web',
          version: 2,
          publishedAt,
          note: 'nacka.se',
        }),
      ]);
    }
  });

  it('a wall display shows the agreed message', async () => {
    const onWall = messageOn(wall);
    expect(onWall && agreedVersions(onWall).map((v) => v.content.texts.sv.headline)).toEqual([
      messageOn(seat('stockholm', 0).socket)?.versions[1]?.content.texts.sv.headline,
    ]);
    // And over HTTP from the other hub, as the wall reads its state after a reload.
    const answer = await asDevice(logs.hubs[0]?.url ?? '', wallDevice, '/api/state');
    const body = envelope(StateResponse).parse(await answer.json());
    if (!body.ok) throw new Error(`the wall could not read the state: ${body.error.message}`);
    expect(body.data.state.jointMessages[messageId]).toEqual(onWall);
  });
});
