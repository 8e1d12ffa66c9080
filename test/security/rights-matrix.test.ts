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
import {
  activate,
  approveMessage,
  cancelMessage,
  closeConference,
  command,
  directiveContent,
  directiveItem,
  draftDirective,
  draftMessage,
  logEntry,
  makeOffer,
  publishMessage,
  recordActionItem,
  report,
  requestMessageChange,
  saveTemplate,
  scheduleConference,
} from '../support/commands.js';
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
    `chef.${lead}`,
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
  const headSeq = async () =>
    ((await (await fetch(`${hub.url}/healthz`)).json()) as { data: { headSeq: number } }).data.headSeq;

  /**
   * A conference the actor convenes, on an incident of its own (one conference runs per
   * incident at a time), brought as far as the command needs. Its duty officer chairs.
   */
  const conferenceOf = async (actorId: string, stage: 'scheduled' | 'open' | 'closed') => {
    const chair = await dutyOfficerOf(actorId);
    const schedule = scheduleConference(await activeIncident(), { convenerActorId: actorId });
    await ok(chair, schedule);
    const { conferenceId } = schedule.payload;
    if (stage !== 'scheduled') await ok(chair, command('conference.open', { conferenceId }));
    if (stage === 'closed') await ok(chair, closeConference(conferenceId));
    return conferenceId;
  };
  /** Another actor than the sender's, whose duty officer the matrix signs in too. */
  const otherThan = (actorId: string) => (actorId === 'nacka' ? 'polisen' : 'nacka');
  /** A report with needs on the shared incident, by the actor's duty officer. */
  const needsOf = async (actorId: string) => {
    const needs = report(shared, { needs: 'Generators for two care homes' });
    await ok(await dutyOfficerOf(actorId), needs);
    return needs.payload.reportId;
  };
  const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
  // Directives are drafted by the county board's duty officer and decided by the health
  // region's head (a head of its own: the matrix's head then co-signs as a second person).
  const health = await signIn(hub.url, 'chef.region-stockholm');
  const admin = await signIn(hub.url, `admin.${region.leadActorId}`);
  /**
   * A directive with one item for the actor, on an incident of its own (an incident has one
   * directive), drafted and (unless told) decided. Its draft's seq is what deciding names.
   */
  const directiveFor = async (ownerActorId: string, stage: 'drafted' | 'decided') => {
    const draft = draftDirective(await activeIncident(), {
      content: directiveContent({ items: [directiveItem(ownerActorId)] }),
    });
    await ok(setup, draft);
    const draftSeq = await headSeq();
    const { directiveId } = draft.payload;
    if (stage === 'decided')
      await ok(health, command('directive.decide', { directiveId, baseVersion: 0, draftSeq }));
    return { directiveId, draftSeq, itemId: draft.payload.content.items[0]?.id ?? randomUUID() };
  };

  /**
   * A joint message on an incident of its own (an incident has one message at a time), drafted
   * by another actor's duty officer, whose own approval comes with the draft. It names the
   * actor too (unless `agreed`, when the drafting actor alone makes it agreed as saved).
   */
  const messageFor = async (actorId: string, stage: 'awaiting' | 'agreed') => {
    const other = otherThan(actorId);
    const draft = draftMessage(await activeIncident(), {
      approverActorIds: stage === 'agreed' ? [other] : [other, actorId],
    });
    await ok(await dutyOfficerOf(other), draft);
    return draft.payload.messageId;
  };

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
      // The chair of a conference is its convening actor: each is tried by the convener's
      // people; where the rights refuse, no conference is needed.
      case 'conference.schedule':
        return scheduleConference(shared, { convenerActorId: actorId });
      case 'conference.reschedule': {
        const conferenceId = allowed ? await conferenceOf(actorId, 'scheduled') : randomUUID();
        return command(type, { conferenceId, scheduledAt: inHours(2) });
      }
      case 'conference.open':
        return command(type, {
          conferenceId: allowed ? await conferenceOf(actorId, 'scheduled') : randomUUID(),
        });
      case 'conference.step':
      case 'conference.rollCall':
      case 'conference.round':
      case 'conference.assess':
      case 'conference.setNext':
      case 'conference.close':
      case 'actionItem.record': {
        const conferenceId = allowed ? await conferenceOf(actorId, 'open') : randomUUID();
        if (type === 'conference.step')
          return command(type, { conferenceId, fromStep: 'rollCall', toStep: 'convenerPicture' });
        if (type === 'conference.rollCall')
          return command(type, { conferenceId, actorId, presence: 'present' });
        if (type === 'conference.round') return command(type, { conferenceId, actorId, reported: true });
        if (type === 'conference.assess')
          return command(type, {
            conferenceId,
            situation: 'Stormen drar in',
            expectedDevelopment: '',
            consequences: '',
            uncertainties: '',
          });
        if (type === 'conference.setNext')
          return command(type, { conferenceId, nextConferenceAt: inHours(3) });
        if (type === 'conference.close') return closeConference(conferenceId);
        return recordActionItem(conferenceId, actorId);
      }
      case 'conference.approveMinutes':
        return command(type, {
          conferenceId: allowed ? await conferenceOf(actorId, 'closed') : randomUUID(),
          version: 1,
        });
      case 'actionItem.setStatus': {
        if (!allowed) return command(type, { itemId: randomUUID(), status: 'done' });
        const item = recordActionItem(await conferenceOf(actorId, 'open'), actorId);
        await ok(await dutyOfficerOf(actorId), item);
        return command(type, { itemId: item.payload.itemId, status: 'done' });
      }
      case 'offer.make': {
        const needActorId = otherThan(actorId);
        return makeOffer(shared, needActorId, allowed ? await needsOf(needActorId) : randomUUID());
      }
      case 'offer.answer': {
        if (!allowed) return command(type, { offerId: randomUUID(), answer: 'accepted' });
        const offer = makeOffer(shared, actorId, await needsOf(actorId));
        await ok(await dutyOfficerOf(otherThan(actorId)), offer);
        return command(type, { offerId: offer.payload.offerId, answer: 'accepted' });
      }
      case 'need.settle': {
        const reportId = allowed ? await needsOf(actorId) : randomUUID();
        return command(type, { incidentId: shared, reportId, coverage: 'covered' });
      }
      case 'directive.draft':
        return draftDirective(allowed ? await activeIncident() : shared);
      case 'directive.decide': {
        const { directiveId, draftSeq } = allowed
          ? await directiveFor(actorId, 'drafted')
          : { directiveId: randomUUID(), draftSeq: 0 };
        return command(type, { directiveId, baseVersion: 0, draftSeq });
      }
      case 'directive.cosign': {
        const directiveId = allowed ? (await directiveFor(actorId, 'decided')).directiveId : randomUUID();
        return command(type, { directiveId, version: 1 });
      }
      // Only the owner actor confirms and reports: each is tried on an item of the sender's actor.
      case 'directive.confirm':
      case 'directive.reportItem': {
        const { directiveId, itemId } = allowed
          ? await directiveFor(actorId, 'decided')
          : { directiveId: randomUUID(), itemId: randomUUID() };
        if (!allowed && type === 'directive.reportItem')
          return command(type, { directiveId, itemId, outcome: 'done' });
        if (type === 'directive.confirm') return command(type, { directiveId, itemId });
        await ok(await dutyOfficerOf(actorId), command('directive.confirm', { directiveId, itemId }));
        return command(type, { directiveId, itemId, outcome: 'done' });
      }
      case 'directiveTemplate.save':
        return saveTemplate();
      case 'directiveTemplate.remove': {
        if (!allowed) return command(type, { templateId: 'storm' });
        const saved = saveTemplate();
        await ok(admin, saved);
        return command(type, { templateId: saved.payload.template.id });
      }
      case 'directiveTemplate.restore': {
        if (!allowed) return command(type, { templateId: 'storm' });
        // Removed in the app first, so there is something to restore.
        await ok(admin, command('directiveTemplate.remove', { templateId: 'storm' }));
        return command(type, { templateId: 'storm' });
      }
      // Joint messages: a new one on an incident of its own, approving for the sender's own actor
      // a version that names it, publishing an agreed one, cancelling one that names it.
      case 'jointMessage.draft':
        return draftMessage(allowed ? await activeIncident() : shared, { approverActorIds: [actorId] });
      case 'jointMessage.approve':
        return approveMessage(allowed ? await messageFor(actorId, 'awaiting') : randomUUID(), 1, actorId);
      case 'jointMessage.requestChange':
        return requestMessageChange(
          allowed ? await messageFor(actorId, 'awaiting') : randomUUID(),
          1,
          actorId,
        );
      case 'jointMessage.publish':
        return publishMessage(allowed ? await messageFor(actorId, 'agreed') : randomUUID(), 1);
      case 'jointMessage.cancel':
        return cancelMessage(allowed ? await messageFor(actorId, 'awaiting') : randomUUID());
    }
  };

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
