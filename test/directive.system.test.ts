import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followUpMatrix, type State } from '@lagesbild/shared';
import { stockholmRegion } from '@lagesbild/shared/test-factories';
import { onHub, signIn, type ApiClient } from './support/api-client.js';
import {
  activate,
  command,
  directiveContent,
  directiveItem,
  draftDirective,
  saveTemplate,
} from './support/commands.js';
import { accepted, bothLogs, hubAt, type HubLogs } from './support/hub-logs.js';
import { RELAXED_LIMITS } from './support/hub-process.js';
import { FoldingClient } from './support/socket-client.js';

/**
 * A joint directive through real hubs, on the embedded journal (one hub, restarted) and on
 * Redis (two hubs, one restarted): drafted by the county board's coordinator on one hub,
 * decided by its head on the other, co-signed by the health region's head, confirmed by
 * three owner actors at once. Every reader over HTTP and over the socket, and a restarted
 * hub, sees the same follow-up matrix; bad input is refused with a clear error and changes
 * nothing.
 */

// Small enough that the directive lands in a snapshot, which a restarted hub then reads.
const env = { ...RELAXED_LIMITS, SNAPSHOT_EVERY: '5' };

/**
 * Waits until the client's hub has folded the log up to `seq`: a hub decides on the state it
 * has folded, and on Redis another hub's events reach it a moment later.
 */
async function caughtUp(client: ApiClient, seq: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await client.stateHash()).seq < seq) {
    if (Date.now() > deadline) throw new Error(`${client.baseUrl} did not reach seq ${seq}`);
    await sleep(50);
  }
}

const region = stockholmRegion();
/** The owner actors, each confirming its own item on its own duty officer. */
const OWNERS = ['nacka', 'botkyrka', 'solna'] as const;

describe.each(bothLogs(env))('a joint directive on $log', ({ open }) => {
  let logs: HubLogs;
  let coordinator: ApiClient;
  let head: ApiClient;
  let healthHead: ApiClient;
  let officers: Record<(typeof OWNERS)[number], ApiClient>;
  let incidentId: string;
  let directiveId: string;
  /** A directive valid for a minute from the first test on, expired by the time bad input is sent. */
  let brief: ReturnType<typeof draftDirective> | undefined;
  let itemIds: Record<(typeof OWNERS)[number], string>;
  /** One time for every matrix, so rows compare whatever the clock did meanwhile. */
  const matrixTime = new Date(Date.now() + 60_000).toISOString();
  const matrixOf = (state: State) => {
    const directive = state.directives[directiveId];
    return directive ? followUpMatrix(directive, region, matrixTime) : null;
  };

  const hubFor = (i: number) => hubAt(logs, i);

  /** The coordinator on the first hub, the heads on the last, the owners spread over all. */
  const signInAll = async () => {
    const last = logs.hubs.length - 1;
    coordinator = await signIn(hubFor(0).url, 'samordnare.lansstyrelsen');
    head = await signIn(hubFor(last).url, 'chef.lansstyrelsen');
    healthHead = await signIn(hubFor(last).url, 'chef.region-stockholm');
    const [nacka, botkyrka, solna] = await Promise.all(
      OWNERS.map((actor, i) => signIn(hubFor(i).url, `tib.${actor}`)),
    );
    if (!nacka || !botkyrka || !solna) throw new Error('sign-in failed');
    officers = { nacka, botkyrka, solna };
  };

  beforeAll(async () => {
    logs = await open();
    await signInAll();
  });
  afterAll(async () => {
    await logs?.stop();
  });

  it('is drafted on one hub, decided on the other, confirmed by three actors, and every client shows the same follow-up', async () => {
    const lead = await signIn(hubFor(0).url, 'tib.lansstyrelsen');
    const incident = activate({ title: 'Storm Ylva', summonedActorIds: [...OWNERS] });
    incidentId = incident.payload.incidentId;
    await accepted(lead, incident);

    // Begun first, on an incident of its own (one directive per incident), so that its 20
    // seconds of validity run out while the rest of the tests run: drafting and deciding it
    // take well under a second, and the wait for its expiry stays short.
    const briefIncident = activate({ title: 'Kort storm', summonedActorIds: [...OWNERS] });
    await accepted(lead, briefIncident);
    brief = draftDirective(briefIncident.payload.incidentId, {
      content: directiveContent({ items: [directiveItem('nacka')] }, { hours: 20 / 3600 }),
    });
    const briefDraftSeq = await accepted(coordinator, brief);
    await caughtUp(head, briefDraftSeq);
    await accepted(
      head,
      command('directive.decide', {
        directiveId: brief.payload.directiveId,
        baseVersion: 0,
        draftSeq: briefDraftSeq,
      }),
    );

    const items = OWNERS.map((actor) => directiveItem(actor, `Öppna trygghetspunkter i ${actor}`));
    itemIds = { nacka: items[0]?.id ?? '', botkyrka: items[1]?.id ?? '', solna: items[2]?.id ?? '' };
    const draft = draftDirective(incidentId, { content: directiveContent({ items }) });
    directiveId = draft.payload.directiveId;
    const draftSeq = await accepted(coordinator, draft);
    await caughtUp(head, draftSeq);
    await accepted(head, command('directive.decide', { directiveId, baseVersion: 0, draftSeq }));
    const cosigned = await accepted(healthHead, command('directive.cosign', { directiveId, version: 1 }));
    // The three owners confirm at once, on different hubs.
    const seqs = await Promise.all(
      OWNERS.map(async (actor) => {
        await caughtUp(officers[actor], cosigned);
        return accepted(
          officers[actor],
          command('directive.confirm', { directiveId, itemId: itemIds[actor] }),
        );
      }),
    );
    const lastSeq = await accepted(
      officers.nacka,
      command('directive.reportItem', {
        directiveId,
        itemId: itemIds.nacka,
        outcome: 'done',
        text: 'Tre punkter öppna',
      }),
    );
    expect(Math.max(...seqs)).toBeLessThan(lastSeq);

    const { state } = await coordinator.state();
    const directive = state.directives[directiveId];
    expect(directive?.versions.map((v) => v.version)).toEqual([1]);
    expect(directive?.versions[0]?.deciders.map((d) => d.userId)).toEqual([
      head.session.user.id,
      healthHead.session.user.id,
    ]);
    expect(directive?.draft).toBeNull();
    const matrix = matrixOf(state);
    expect(
      matrix?.map((row) => [row.ownerActorId, row.confirmedAt !== null, row.outcome, row.overdue]),
    ).toEqual([
      // The region file's order of actors: Botkyrka, Nacka, Solna.
      ['botkyrka', true, null, false],
      ['nacka', true, 'done', false],
      ['solna', true, null, false],
    ]);

    // The same matrix for every reader on every hub, over HTTP and over the socket.
    const readers = [coordinator, head, ...Object.values(officers)].flatMap((client) =>
      logs.hubs.map((hub) => onHub(client, hub.url)),
    );
    for (const reader of readers)
      expect(matrixOf((await reader.state()).state), reader.baseUrl).toEqual(matrix);
    const sockets = readers.map((reader) => new FoldingClient(reader.baseUrl, reader.cookie));
    try {
      await Promise.all(sockets.map((s) => s.waitForSeq(lastSeq)));
      for (const socket of sockets) expect(matrixOf(socket.state)).toEqual(matrix);
      for (const [i, socket] of sockets.entries()) {
        const reader = readers[i];
        if (!reader) continue;
        const view = await reader.stateHash();
        await socket.waitForSeq(view.seq);
        expect(socket.hash).toBe(view.hash);
      }
    } finally {
      for (const socket of sockets) socket.close();
    }

    // After a restart, the hub reads the same directive (from its snapshot and the log).
    await logs.restart();
    await signInAll();
    const restarted = hubFor(0).url;
    for (const reader of [coordinator, officers.solna].map((client) => onHub(client, restarted))) {
      const after = (await reader.state()).state;
      expect(after.directives[directiveId]).toEqual(directive);
      expect(matrixOf(after)).toEqual(matrix);
    }
  });

  it('refuses bad input through the real hub with a clear error, and the state stays as it was', async () => {
    if (!directiveId || !brief) throw new Error('the directive was not decided');
    const briefItem = brief.payload.content.items[0]?.id ?? '';
    await sleep(Math.max(0, Date.parse(brief.payload.content.validUntil) - Date.now()) + 1500);

    const admin = await signIn(hubFor(0).url, 'admin.lansstyrelsen');
    const before = await coordinator.stateHash();
    const solnaBefore = await officers.solna.stateHash();
    const tooMany = saveTemplate();
    const template = tooMany.payload.template;
    const cases: {
      what: string;
      by: ApiClient;
      sent: unknown;
      status: number;
      code: string;
      message: RegExp;
    }[] = [
      {
        what: 'deciding without the directing function',
        by: coordinator,
        sent: command('directive.decide', { directiveId, baseVersion: 1, draftSeq: 1 }),
        status: 403,
        code: 'forbidden',
        message: /may not/,
      },
      {
        what: "confirming another actor's item",
        by: officers.botkyrka,
        sent: command('directive.confirm', { directiveId, itemId: itemIds.nacka }),
        status: 403,
        code: 'forbidden',
        message: /another actor's item: only nacka may/,
      },
      {
        what: 'reporting on an expired directive',
        by: officers.nacka,
        sent: command('directive.reportItem', {
          directiveId: brief.payload.directiveId,
          itemId: briefItem,
          outcome: 'done',
        }),
        status: 409,
        code: 'conflict',
        message: /The directive has expired/,
      },
      {
        what: 'a stale version',
        by: head,
        sent: command('directive.decide', { directiveId, baseVersion: 0, draftSeq: 1 }),
        status: 409,
        code: 'stale',
        message: /Version 1 has been decided since/,
      },
      {
        what: 'a second directive for the incident',
        by: coordinator,
        sent: draftDirective(incidentId),
        status: 409,
        code: 'conflict',
        message: new RegExp(`already has a directive \\(${directiveId}\\)`),
      },
      {
        what: 'a validity period ending before it starts',
        by: coordinator,
        // A new version of the incident's directive: a second directive would be refused first.
        sent: draftDirective(incidentId, {
          directiveId,
          baseVersion: 1,
          content: directiveContent({}, { hours: -1 }),
        }),
        status: 400,
        code: 'bad_request',
        message: /The validity period ends before it starts/,
      },
      {
        what: 'an empty purpose',
        by: coordinator,
        sent: draftDirective(incidentId, {
          directiveId,
          baseVersion: 1,
          content: directiveContent({ purpose: ' ' }),
        }),
        status: 400,
        code: 'bad_request',
        message: /purpose/,
      },
      {
        what: 'a template with an unknown kind of actor',
        by: admin,
        sent: {
          ...tooMany,
          payload: {
            template: { ...template, items: [{ actorKind: 'wizards', text: 'Trolla' }] },
            baseSeq: null,
          },
        },
        status: 400,
        code: 'bad_request',
        message: /actorKind/,
      },
      {
        what: 'a template with more items than a directive may hold',
        by: admin,
        sent: {
          ...tooMany,
          payload: {
            template: { ...template, items: Array.from({ length: 101 }, () => template.items[0]) },
            baseSeq: null,
          },
        },
        status: 400,
        code: 'bad_request',
        message: /items/,
      },
    ];
    for (const c of cases) {
      const res = await c.by.command(c.sent);
      expect(res.status, c.what).toBe(c.status);
      expect(res.body, c.what).toMatchObject({
        ok: false,
        error: { code: c.code, message: expect.stringMatching(c.message) },
      });
    }
    expect(await coordinator.stateHash()).toEqual(before);
    expect(await officers.solna.stateHash()).toEqual(solnaBefore);
  });
});
