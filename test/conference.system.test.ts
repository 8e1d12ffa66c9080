import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  envelope,
  nextOccurrence,
  StateResponse,
  type Command,
  type ConferenceStep,
} from '@lagesbild/shared';
import { asDevice, pair } from './support/admin.js';
import { onHub, signIn, type ApiClient } from './support/api-client.js';
import {
  activate,
  closeConference,
  command,
  makeOffer,
  recordActionItem,
  report,
  scheduleConference,
} from './support/commands.js';
import { accepted, bothLogs, hubAt, type HubLogs } from './support/hub-logs.js';
import { RELAXED_LIMITS } from './support/hub-process.js';
import { FoldingClient } from './support/socket-client.js';
import { issueWall } from './support/wall-scene.js';

/**
 * A coordination conference run through real hubs, from scheduling to approved minutes, by
 * several actors at once: on the embedded journal (one hub, restarted) and on Redis (two
 * hubs, one restarted). Every hub, every socket client and a restarted hub read the same
 * minutes; bad input is refused with a clear error and changes nothing.
 */

// Small enough that the conference lands in a snapshot, which a restarted hub then reads.
const env = { ...RELAXED_LIMITS, SNAPSHOT_EVERY: '5' };

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

/** The municipalities that answer the roll call themselves, each on its own duty officer. */
const MUNICIPALITIES = ['nacka', 'botkyrka', 'solna'] as const;
const SUMMONED = [...MUNICIPALITIES, 'polisen'];

describe.each(bothLogs(env))('a coordination conference on $log', ({ open }) => {
  let logs: HubLogs;
  /** The lead's duty officer (Länsstyrelsen), who chairs. */
  let chair: ApiClient;
  /** Each municipality's duty officer, spread over the hubs. */
  let officers: Record<(typeof MUNICIPALITIES)[number], ApiClient>;
  let incidentId: string;
  let conferenceId: string;
  let nextConferenceId: string;
  let nackaReportId: string;

  const hubFor = (i: number) => hubAt(logs, i);

  /** Signs everyone in, the chair on the first hub and the municipalities spread over all. */
  const signInAll = async () => {
    chair = await signIn(hubFor(0).url, 'tib.lansstyrelsen');
    const [nacka, botkyrka, solna] = await Promise.all(
      MUNICIPALITIES.map((actor, i) => signIn(hubFor(i + 1).url, `tib.${actor}`)),
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

  it('runs from scheduling to approved minutes with several actors at once, and every hub reads the same minutes', async () => {
    const incident = activate({ title: 'Vattenläcka i Nacka', summonedActorIds: SUMMONED });
    incidentId = incident.payload.incidentId;
    await accepted(chair, incident);
    // Nacka reports its needs before the conference: its round rests on this report.
    const nackaReport = report(incidentId, { needs: 'Dricksvatten till två äldreboenden' });
    nackaReportId = nackaReport.payload.reportId;
    await accepted(officers.nacka, nackaReport);

    const schedule = scheduleConference(incidentId, {
      title: 'Samverkanskonferens 1',
      scheduledAt: inMinutes(30),
      dialIn: 'Tel 08-555 000 11, PIN 2024',
    });
    conferenceId = schedule.payload.conferenceId;
    await accepted(chair, schedule);
    // Scheduling the conference sets the incident's next conference time.
    expect((await chair.state()).state.incidents[incidentId]?.nextConferenceAt).toBe(
      schedule.payload.scheduledAt,
    );
    await accepted(chair, command('conference.open', { conferenceId }));

    // The municipalities say "present" at once, on different hubs, while the chair marks the police.
    await Promise.all([
      ...MUNICIPALITIES.map((actorId) =>
        accepted(
          officers[actorId],
          command('conference.rollCall', { conferenceId, actorId, presence: 'present' }),
        ),
      ),
      accepted(
        chair,
        command('conference.rollCall', { conferenceId, actorId: 'polisen', presence: 'absent' }),
      ),
    ]);

    const step = (fromStep: ConferenceStep, toStep: ConferenceStep) =>
      accepted(chair, command('conference.step', { conferenceId, fromStep, toStep }));
    await step('rollCall', 'convenerPicture');
    await step('convenerPicture', 'rounds');
    // The chair notes the rounds while Botkyrka reports: both land, in some order.
    await Promise.all([
      accepted(
        chair,
        command('conference.round', {
          conferenceId,
          actorId: 'nacka',
          reported: true,
          note: 'Vatten saknas sedan 06',
        }),
      ),
      accepted(
        chair,
        command('conference.round', {
          conferenceId,
          actorId: 'botkyrka',
          reported: true,
          note: 'Inga störningar',
        }),
      ),
      accepted(chair, command('conference.round', { conferenceId, actorId: 'solna', reported: false })),
      accepted(officers.botkyrka, report(incidentId, { needs: '', status: 'normal' })),
    ]);
    await step('rounds', 'assessment');
    await accepted(
      chair,
      command('conference.assess', {
        conferenceId,
        baseVersion: 0,
        situation: 'Huvudledningen brusten vid Nacka centrum',
        expectedDevelopment: 'Lagad till fredag',
        consequences: 'Äldreboenden utan vatten',
        uncertainties: 'Om den andra ledningen håller',
      }),
    );
    await step('assessment', 'directives');
    const decision = recordActionItem(conferenceId, 'nacka', {
      text: 'Nacka öppnar en vattenutdelningsplats vid Forum',
      dueAt: inMinutes(120),
    });
    await accepted(chair, decision);
    // Nacka follows its decision up while the chair moves on.
    await Promise.all([
      accepted(
        officers.nacka,
        command('actionItem.setStatus', { itemId: decision.payload.itemId, status: 'done' }),
      ),
      step('directives', 'jointMessage'),
    ]);
    await step('jointMessage', 'nextConference');
    const nextAt = inMinutes(180);
    await accepted(chair, command('conference.setNext', { conferenceId, nextConferenceAt: nextAt }));
    const close = closeConference(conferenceId);
    nextConferenceId = close.payload.nextConferenceId;
    await accepted(chair, close);
    const approvedSeq = await accepted(
      chair,
      command('conference.approveMinutes', { conferenceId, version: 1 }),
    );

    const { state } = await chair.state();
    const conference = state.conferences[conferenceId];
    expect(conference).toMatchObject({ status: 'closed', step: 'nextConference', nextConferenceAt: nextAt });
    expect(state.conferences[nextConferenceId]).toMatchObject({
      status: 'scheduled',
      scheduledAt: nextAt,
      previousConferenceId: conferenceId,
      incidentId,
    });
    expect(state.actionItems[decision.payload.itemId]?.status).toBe('done');
    const minutes = conference?.minutes ?? [];
    expect(minutes).toHaveLength(1);
    const approved = minutes[0]?.minutes;
    expect(approved?.participants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actorId: 'nacka', presence: 'present' }),
        expect.objectContaining({ actorId: 'botkyrka', presence: 'present' }),
        expect.objectContaining({ actorId: 'solna', presence: 'present' }),
        expect.objectContaining({ actorId: 'polisen', presence: 'absent' }),
      ]),
    );
    expect(approved?.rounds).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actorId: 'nacka',
          reported: true,
          note: 'Vatten saknas sedan 06',
          reportId: nackaReportId,
        }),
      ]),
    );
    expect(approved?.assessment?.situation).toBe('Huvudledningen brusten vid Nacka centrum');
    expect(approved?.decisions).toEqual([
      expect.objectContaining({ id: decision.payload.itemId, ownerActorId: 'nacka', kind: 'decision' }),
    ]);
    expect(approved?.nextConferenceAt).toBe(nextAt);

    // The same minutes from every hub and every reader, over HTTP and over the socket.
    const readers = [chair, ...Object.values(officers)].flatMap((client) =>
      logs.hubs.map((hub) => onHub(client, hub.url)),
    );
    for (const reader of readers) {
      expect((await reader.state()).state.conferences[conferenceId]?.minutes, reader.baseUrl).toEqual(
        minutes,
      );
    }
    const sockets = readers.map((reader) => new FoldingClient(reader.baseUrl, reader.cookie));
    try {
      await Promise.all(sockets.map((s) => s.waitForSeq(approvedSeq)));
      for (const socket of sockets) expect(socket.state.conferences[conferenceId]?.minutes).toEqual(minutes);
      // Each socket client holds exactly its reader's projection.
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

    // A wall reads the same minutes, and never the dial-in.
    const pairing = await issueWall(hubFor(0).url, 'Väggen i ledningsrummet');
    const wall = await pair(hubFor(0).url, pairing.pairingCode);
    if (!('info' in wall)) throw new Error(`the wall did not pair: ${wall.code}`);
    const wallState = envelope(StateResponse).parse(
      await (await asDevice(hubFor(0).url, wall, '/api/state')).json(),
    );
    if (!wallState.ok) throw new Error('the wall could not read the state');
    expect(wallState.data.state.conferences[conferenceId]?.minutes).toEqual(minutes);
    expect(wallState.data.state.conferenceDialIns[conferenceId]?.dialIn ?? '').toBe('');
    expect(JSON.stringify(wallState.data.state)).not.toContain('PIN 2024');

    // After a restart, the hub reads the same minutes (from its snapshot and the log).
    await logs.restart();
    await signInAll();
    const restarted = hubFor(0).url;
    for (const reader of [chair, officers.nacka].map((client) => onHub(client, restarted))) {
      expect((await reader.state()).state.conferences[conferenceId]?.minutes).toEqual(minutes);
    }
    // The dial-in reached the summoned, not the actors left out.
    expect(
      (await onHub(officers.nacka, restarted).state()).state.conferenceDialIns[conferenceId]?.dialIn,
    ).toBe('Tel 08-555 000 11, PIN 2024');
    const outsider = await signIn(restarted, 'tib.taby');
    expect((await outsider.state()).state.conferenceDialIns[conferenceId]?.dialIn ?? '').toBe('');
  });

  it('refuses bad input through the real hub with a clear error, and the state stays as it was', async () => {
    // Its own incident: a conference held and approved, the next one open at the roll call.
    const incident = activate({ title: 'Brand i Värtahamnen', summonedActorIds: SUMMONED });
    const incidentId = incident.payload.incidentId;
    await accepted(chair, incident);
    const needs = report(incidentId, { needs: 'Skum och slangar' });
    const nackaReportId = needs.payload.reportId;
    await accepted(officers.nacka, needs);
    const schedule = scheduleConference(incidentId, { scheduledAt: inMinutes(20) });
    const conferenceId = schedule.payload.conferenceId;
    await accepted(chair, schedule);
    await accepted(chair, command('conference.open', { conferenceId }));
    await accepted(chair, command('conference.setNext', { conferenceId, nextConferenceAt: inMinutes(120) }));
    const close = closeConference(conferenceId);
    const nextConferenceId = close.payload.nextConferenceId;
    await accepted(chair, close);
    await accepted(chair, command('conference.approveMinutes', { conferenceId, version: 1 }));
    await accepted(chair, command('conference.open', { conferenceId: nextConferenceId }));
    // Nacka judges its need covered.
    await accepted(
      officers.nacka,
      command('need.settle', { incidentId, reportId: nackaReportId, coverage: 'covered', note: '' }),
    );
    const before = await chair.stateHash();
    const botkyrkaBefore = await officers.botkyrka.stateHash();

    const cases: {
      what: string;
      by: ApiClient;
      sent: unknown;
      status: number;
      code: string;
      message: RegExp;
    }[] = [
      {
        what: 'a step out of order',
        by: chair,
        sent: command('conference.step', {
          conferenceId: nextConferenceId,
          fromStep: 'rollCall',
          toStep: 'rounds',
        }),
        status: 400,
        code: 'bad_request',
        message: /Steps run in order: the next step after rollCall is convenerPicture/,
      },
      {
        what: 'a roll call for an actor not summoned',
        by: chair,
        sent: command('conference.rollCall', {
          conferenceId: nextConferenceId,
          actorId: 'taby',
          presence: 'present',
        }),
        status: 400,
        code: 'bad_request',
        message: /taby is not summoned/,
      },
      {
        what: 'an offer on a covered need',
        by: officers.botkyrka,
        sent: makeOffer(incidentId, 'nacka', nackaReportId),
        status: 409,
        code: 'conflict',
        message: /already covered/,
      },
      {
        what: 'a decision added to approved minutes',
        by: chair,
        sent: recordActionItem(conferenceId, 'nacka'),
        status: 409,
        code: 'conflict',
        message: /minutes are approved/,
      },
      {
        what: 'a roll call in approved minutes',
        by: chair,
        sent: command('conference.rollCall', { conferenceId, actorId: 'nacka', presence: 'absent' }),
        status: 409,
        code: 'conflict',
        message: /minutes are approved/,
      },
      {
        what: 'a round in approved minutes',
        by: chair,
        sent: command('conference.round', { conferenceId, actorId: 'nacka', reported: true, note: 'Sent' }),
        status: 409,
        code: 'conflict',
        message: /minutes are approved/,
      },
      {
        what: 'an assessment in approved minutes',
        by: chair,
        sent: command('conference.assess', {
          conferenceId,
          situation: 'Efterhand',
          expectedDevelopment: '',
          consequences: '',
          uncertainties: '',
        }),
        status: 409,
        code: 'conflict',
        message: /minutes are approved/,
      },
      {
        what: 'a new next time in approved minutes',
        by: chair,
        sent: command('conference.setNext', { conferenceId, nextConferenceAt: inMinutes(240) }),
        status: 409,
        code: 'conflict',
        message: /minutes are approved/,
      },
      {
        what: 'a decision without an owner',
        by: chair,
        sent: {
          id: randomUUID(),
          type: 'actionItem.record',
          payload: {
            itemId: randomUUID(),
            conferenceId: nextConferenceId,
            kind: 'decision',
            text: 'Utan ägare',
          },
        },
        status: 400,
        code: 'bad_request',
        message: /ownerActorId/,
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
    expect(await chair.stateHash()).toEqual(before);
    expect(await officers.botkyrka.stateHash()).toEqual(botkyrkaBefore);
    expect((await chair.state()).state.conferences[conferenceId]?.minutes).toHaveLength(1);
  });

  it('keeps the conference rules the review found broken, through the real hub', async () => {
    // Solna is not summoned at first.
    const incident = activate({ title: 'Översvämning i Kista', summonedActorIds: ['nacka', 'botkyrka'] });
    const incidentId = incident.payload.incidentId;
    await accepted(chair, incident);

    // Täby, outside the incident, cannot call (and so block) the incident's conference.
    const taby = await signIn(hubFor(1).url, 'tib.taby');
    const intruder = await taby.command(
      scheduleConference(incidentId, { convenerActorId: 'taby', scheduledAt: inMinutes(10) }),
    );
    expect(intruder.status).toBe(400);
    expect(intruder.body).toMatchObject({
      ok: false,
      error: { message: /taby is not summoned to this incident/ },
    });

    // Nacka convenes one itself; the lead's duty officer can take it over and close it.
    const nackas = scheduleConference(incidentId, { convenerActorId: 'nacka', scheduledAt: inMinutes(15) });
    const nackaConference = nackas.payload.conferenceId;
    await accepted(officers.nacka, nackas);
    await accepted(officers.nacka, command('conference.open', { conferenceId: nackaConference }));
    // Opened: the incident has no next conference until one is set.
    expect((await chair.state()).state.incidents[incidentId]?.nextConferenceAt).toBeNull();

    // Solna is summoned mid-course: it says "present" at the running conference.
    await accepted(
      chair,
      command('incident.update', {
        incidentId,
        summonedActorIds: ['nacka', 'botkyrka', 'lansstyrelsen', 'solna'],
      }),
    );
    await accepted(
      officers.solna,
      command('conference.rollCall', {
        conferenceId: nackaConference,
        actorId: 'solna',
        presence: 'present',
      }),
    );
    const nextAt = inMinutes(90);
    await accepted(
      chair,
      command('conference.setNext', { conferenceId: nackaConference, nextConferenceAt: nextAt }),
    );
    const close = closeConference(nackaConference);
    await accepted(chair, close);
    // Closed, the next conference is its own: the old one's next time no longer moves.
    const late = await chair.command(
      command('conference.setNext', { conferenceId: nackaConference, nextConferenceAt: inMinutes(60) }),
    );
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({
      ok: false,
      error: { message: 'The conference is closed; move the next conference itself' },
    });
    // Botkyrka reports after the close: the minutes do not name that report.
    await accepted(officers.botkyrka, report(incidentId, { needs: '', status: 'normal' }));
    await accepted(
      chair,
      command('conference.approveMinutes', { conferenceId: nackaConference, version: 1 }),
    );

    const { state } = await onHub(chair, hubFor(1).url).state();
    const held = state.conferences[nackaConference];
    expect(held?.minutes[0]?.minutes.participants).toContainEqual(
      expect.objectContaining({ actorId: 'solna', presence: 'present' }),
    );
    expect(held?.minutes[0]?.minutes.rounds.find((r) => r.actorId === 'botkyrka')?.reportId).toBeNull();
    expect(state.conferences[close.payload.nextConferenceId]?.summonedActorIds).toEqual(
      expect.arrayContaining(['nacka', 'botkyrka', 'lansstyrelsen', 'solna']),
    );
    expect(state.incidents[incidentId]?.nextConferenceAt).toBe(nextAt);

    const refusals: { what: string; sent: Command; status: number; message: RegExp }[] = [
      {
        what: 'an incident next time ten hours past',
        sent: command('incident.update', { incidentId, nextConferenceAt: inMinutes(-600) }),
        status: 400,
        message: /The next conference cannot be in the past/,
      },
      {
        what: 'a correction that changes nothing',
        sent: command('conference.approveMinutes', {
          conferenceId: nackaConference,
          version: 2,
          correction: 'Samma som förut',
          nextConferenceAt: nextAt,
        }),
        status: 409,
        message: /The correction changes nothing/,
      },
    ];
    const before = await chair.stateHash();
    for (const r of refusals) {
      const res = await chair.command(r.sent);
      expect(res.status, r.what).toBe(r.status);
      expect(res.body, r.what).toMatchObject({
        ok: false,
        error: { message: expect.stringMatching(r.message) },
      });
    }
    expect(await chair.stateHash()).toEqual(before);

    // A weekly conference held before its slot schedules the slot a week on, not its own again.
    const weekly = { weekday: 3, time: '09:00' };
    const slot = nextOccurrence(weekly, new Date().toISOString());
    const ordinary = scheduleConference(null, { scheduledAt: slot, recurrence: weekly, title: 'Veckomöte' });
    await accepted(chair, ordinary);
    await accepted(chair, command('conference.open', { conferenceId: ordinary.payload.conferenceId }));
    const closeWeekly = closeConference(ordinary.payload.conferenceId);
    await accepted(chair, closeWeekly);
    expect((await chair.state()).state.conferences[closeWeekly.payload.nextConferenceId]?.scheduledAt).toBe(
      nextOccurrence(weekly, slot),
    );
  });
});
