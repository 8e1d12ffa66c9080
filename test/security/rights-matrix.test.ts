import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMMAND_TYPES,
  parseRegionConfig,
  type Command,
  type CommandType,
  type RegionConfig,
} from '@lagesbild/shared';
import {
  buildAcknowledgeCommand,
  buildCheckinCommand,
  buildCheckoutCommand,
  buildCloseCommand,
  buildFieldReportCommand,
  buildReadinessCommand,
  buildRequestCommand,
  buildUpdateCommand,
} from '@lagesbild/shared/test-factories';
import { signIn, type ApiClient } from '../support/api-client.js';
import { activate, logEntry, report } from '../support/commands.js';
import { removeDataDir, repoRoot, startHub, type HubProcess } from '../support/hub-process.js';
import { FoldingClient } from '../support/socket-client.js';

/**
 * Every command tried by an account of every function, at the actor the region's rights
 * name and at one they do not, over HTTP against a real hub. The expectation is read from
 * the region's rights here, independently of the hub's code.
 */

const stockholm = parseRegionConfig(
  JSON.parse(readFileSync(path.join(repoRoot, 'shared/regions/stockholm.json'), 'utf8')),
);

/**
 * The demo accounts give each function at one actor. A second region — the same rights,
 * but Nacka leads and the county board comes first among "municipalities" — puts the
 * coordinator, viewer and admin at Nacka and the communicator and field staff at the county
 * board, so every function is tried both where the rights name it and where they do not.
 */
const swapped: RegionConfig = {
  ...stockholm,
  leadActorId: 'nacka',
  actors: stockholm.actors.map((a) => (a.id === 'lansstyrelsen' ? { ...a, kind: 'municipality' } : a)),
};

/** Whether the region's rights let someone with these functions at this actor send this command. */
const rightsAllow = (
  region: RegionConfig,
  type: CommandType,
  functionIds: readonly string[],
  actorId: string,
) =>
  (region.rights[type] ?? []).some(
    (rule) =>
      rule.functions.some((f) => functionIds.includes(f)) && (!rule.actors || rule.actors.includes(actorId)),
  );

const usernamesFor = (region: RegionConfig) => {
  const lead = region.leadActorId;
  const firstMunicipality = region.actors.find((a) => a.kind === 'municipality')?.id ?? lead;
  return [
    `samordnare.${lead}`,
    `lasare.${lead}`,
    `admin.${lead}`,
    `kommunikator.${firstMunicipality}`,
    `falt.${firstMunicipality}`,
    'tib.lansstyrelsen',
    'tib.nacka',
    'tib.polisen',
  ];
};

type Attempt = {
  username: string;
  functionIds: string[];
  actorId: string;
  type: CommandType;
  allowed: boolean;
  code: string;
};

/** Runs the whole matrix on one hub and returns every attempt with its outcome. */
async function runMatrix(hub: HubProcess, region: RegionConfig): Promise<Attempt[]> {
  // The county board's duty officer prepares what commands need: it may activate in both regions.
  const setup = await signIn(hub.url, 'tib.lansstyrelsen');
  const dutyOfficers = new Map<string, ApiClient>();
  const dutyOfficerOf = async (actorId: string) => {
    const known = dutyOfficers.get(actorId) ?? (await signIn(hub.url, `tib.${actorId}`));
    dutyOfficers.set(actorId, known);
    return known;
  };
  const ok = async (client: ApiClient, command: Command) => {
    const res = await client.command(command);
    if (!res.body.ok) throw new Error(`setup ${command.type} failed: ${res.body.error.message}`);
  };
  const activeIncident = async () => {
    const incident = activate({ incidentId: randomUUID() });
    await ok(setup, incident);
    return incident.payload.incidentId;
  };
  const shared = await activeIncident();

  /** A command of this type the sender could send successfully, given the rights. */
  const commandFor = async (type: CommandType, actorId: string, allowed: boolean): Promise<Command> => {
    const commandId = randomUUID();
    switch (type) {
      case 'incident.request':
        return buildRequestCommand({ commandId, incidentId: randomUUID() });
      case 'incident.activate':
        return activate({ commandId, incidentId: randomUUID() });
      case 'incident.update':
        return buildUpdateCommand({ commandId, incidentId: shared, description: `Update ${commandId}` });
      case 'incident.close':
        return buildCloseCommand({ commandId, incidentId: allowed ? await activeIncident() : shared });
      case 'readiness.set':
        return buildReadinessCommand({
          commandId,
          heightened: true,
          note: `Note ${commandId}`,
        });
      case 'activation.acknowledge':
        return buildAcknowledgeCommand({ commandId, incidentId: allowed ? await activeIncident() : shared });
      case 'report.submit':
        return report(shared, { commandId, reportId: randomUUID() });
      case 'fieldReport.submit':
        return buildFieldReportCommand({ commandId, fieldReportId: randomUUID(), incidentId: shared });
      case 'checkin.create':
        return buildCheckinCommand({ commandId, checkinId: randomUUID() });
      case 'checkin.checkout': {
        if (!allowed) return buildCheckoutCommand({ commandId, checkinId: randomUUID() });
        // Check-ins are checked out by the same actor: its duty officer checks someone in.
        const checkin = buildCheckinCommand({ commandId: randomUUID(), checkinId: randomUUID() });
        await ok(await dutyOfficerOf(actorId), checkin);
        return buildCheckoutCommand({ commandId, checkinId: checkin.payload.checkinId });
      }
      case 'logEntry.add':
        return logEntry(`Line ${commandId}`);
    }
  };

  const headSeq = async () =>
    ((await (await fetch(`${hub.url}/healthz`)).json()) as { data: { headSeq: number } }).data.headSeq;
  const attempts: Attempt[] = [];
  for (const username of usernamesFor(region)) {
    const client = await signIn(hub.url, username);
    const { actorId, functionIds } = client.session;
    for (const type of COMMAND_TYPES) {
      const allowed = rightsAllow(region, type, functionIds, actorId);
      const command = await commandFor(type, actorId, allowed);
      const before = await headSeq();
      const res = await client.command(command);
      const code = res.body.ok ? 'ok' : res.body.error.code;
      attempts.push({ username, functionIds, actorId, type, allowed, code });
      if (!allowed) {
        expect(res.status, `${username} ${type}`).toBe(403);
        expect(res.body.ok ? '' : res.body.error.message).toMatch(/may not/);
        expect(await headSeq(), `${username} ${type} changed the log`).toBe(before);
      }
    }
  }
  return attempts;
}

/** The outcome an allowed command must have: accepted, except where the domain itself says no. */
const expectedWhenAllowed = (a: Attempt) =>
  // The activating actor (the county board) has acknowledged its own activation already.
  a.type === 'activation.acknowledge' && a.actorId === 'lansstyrelsen' ? 'conflict' : 'ok';

describe('the function × command matrix', () => {
  const hubs: HubProcess[] = [];
  let attempts: Attempt[] = [];

  const regionDir = mkdtempSync(path.join(tmpdir(), 'lagesbild-region-'));

  beforeAll(async () => {
    const swappedFile = path.join(regionDir, 'swapped.json');
    writeFileSync(swappedFile, JSON.stringify(swapped));
    hubs.push(...(await Promise.all([startHub(), startHub({ env: { REGION_FILE: swappedFile } })])));
  });
  afterAll(async () => {
    for (const hub of hubs) {
      await hub.kill();
      removeDataDir(hub);
    }
    rmSync(regionDir, { recursive: true, force: true });
  });

  it('allows exactly what the region rights allow, for every function and command', async () => {
    const [stockholmHub, swappedHub] = hubs;
    if (!stockholmHub || !swappedHub) throw new Error('hubs did not start');
    attempts = [...(await runMatrix(stockholmHub, stockholm)), ...(await runMatrix(swappedHub, swapped))];

    for (const a of attempts) {
      const expected = a.allowed ? expectedWhenAllowed(a) : 'forbidden';
      expect(a.code, `${a.username} (${a.functionIds.join()}) at ${a.actorId}: ${a.type}`).toBe(expected);
    }
    // The matrix covers what it claims: every function, and both outcomes for every command
    // the region restricts at all.
    const functions = new Set(attempts.flatMap((a) => a.functionIds));
    expect([...functions].sort()).toEqual(stockholm.functions.map((f) => f.id).sort());
    for (const type of COMMAND_TYPES) {
      const outcomes = new Set(attempts.filter((a) => a.type === type).map((a) => a.allowed));
      expect(outcomes, type).toEqual(new Set([true, false]));
    }
    const allowed = attempts.filter((a) => a.allowed).length;
    console.log(
      `rights matrix: ${attempts.length} attempts (${allowed} allowed, ${attempts.length - allowed} refused) ` +
        `over ${COMMAND_TYPES.length} commands × ${functions.size} functions × 2 actors each`,
    );
  });

  it('refuses the same over the socket', async () => {
    const [stockholmHub] = hubs;
    if (!stockholmHub) throw new Error('hub did not start');
    const viewer = await signIn(stockholmHub.url, 'lasare.lansstyrelsen');
    const socket = new FoldingClient(stockholmHub.url, viewer.cookie);
    await socket.connected();
    for (const command of [
      activate(),
      logEntry('A viewer writing'),
      buildCheckinCommand({ commandId: randomUUID() }),
    ]) {
      const ack = await socket.send(command);
      expect(ack).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    socket.close();
  });
});
