import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply, applyInPlace } from './apply.js';
import { COMMAND_TYPES, parseCommand, type Command, type CommandType } from './commands.js';
import { decide } from './decide.js';
import { isDirectoryEventType } from './directory.js';
import { EVENT_TYPES, parseStoredEvent, type StoredEvent } from './events.js';
import type { MapFeature } from './geo.js';
import { stateHash } from './hash.js';
import {
  CHECKIN_STATUSES,
  INCIDENT_KINDS,
  State,
  initialState,
  type Attribution,
  type Sharing,
  type State as DomainState,
} from './model.js';
import { authorize } from './rights.js';
import {
  buildAcknowledgeCommand,
  buildActivateCommand,
  buildArea,
  buildAttribution,
  buildCheckinCommand,
  buildCheckoutCommand,
  buildCloseCommand,
  buildEvent,
  buildFieldReportCommand,
  buildLogEntryCommand,
  buildMapFeature,
  buildReadinessCommand,
  buildReportCommand,
  buildRequestCommand,
  cloneJson,
  minutesAfterNow,
  stockholmRegion,
  testUuid,
} from './testing/test-factories.js';
import { eventsForViewer, projectState, type Viewer } from './visibility.js';

const region = stockholmRegion();

/** People of a few actors, in the functions they hold; each command goes to one allowed to send it. */
const PEOPLE = [
  { userId: 'u-lst-tib', userName: 'Lena', actorId: 'lansstyrelsen', functionIds: ['dutyOfficer'] },
  { userId: 'u-lst-coord', userName: 'Lars', actorId: 'lansstyrelsen', functionIds: ['coordinator'] },
  { userId: 'u-nacka-tib', userName: 'Nils', actorId: 'nacka', functionIds: ['dutyOfficer'] },
  { userId: 'u-nacka-field', userName: 'Frida', actorId: 'nacka', functionIds: ['field'] },
  { userId: 'u-polis', userName: 'Per', actorId: 'polisen', functionIds: ['coordinator'] },
  { userId: 'u-sos', userName: 'Sara', actorId: 'sos-alarm', functionIds: ['dutyOfficer'] },
  { userId: 'u-sthlm-comm', userName: 'Stina', actorId: 'stockholm', functionIds: ['communicator'] },
];
const ACTORS_IN_PLAY = [...new Set(PEOPLE.map((p) => p.actorId))];

/** The sender of a step: the chosen person if allowed, else the next person who is. */
function senderFor(type: CommandType, choice: number): Attribution {
  for (let i = 0; i < PEOPLE.length; i++) {
    const person = PEOPLE[(choice + i) % PEOPLE.length];
    if (!person) continue;
    const allowed = authorize(region, person, type);
    if (allowed.ok) {
      const { functionIds: _functions, ...who } = person;
      return buildAttribution({ ...who, functionId: allowed.functionId });
    }
  }
  throw new Error(`nobody in the test cast may send ${type}`);
}

/** The random choices behind one command; turned into a command against the current state. */
type Step = {
  type: CommandType;
  sender: number;
  pick: number;
  choice: number;
  flag: boolean;
  actors: string[];
  text: string;
};

const stepArb: fc.Arbitrary<Step> = fc.record({
  // Extra activations keep incidents open for the many commands that need one.
  type: fc.oneof(
    { arbitrary: fc.constantFrom(...COMMAND_TYPES), weight: 4 },
    { arbitrary: fc.constant<CommandType>('incident.activate'), weight: 1 },
  ),
  sender: fc.nat({ max: PEOPLE.length - 1 }),
  pick: fc.nat(),
  choice: fc.nat({ max: 11 }),
  flag: fc.boolean(),
  actors: fc.subarray(ACTORS_IN_PLAY),
  text: fc.constantFrom('Storm Ylva', 'Brand i Värtahamnen', '  Översvämning i Kista ', 'Power cut', 'x'),
});
const historyArb = fc.array(stepArb, { minLength: 1, maxLength: 40, size: 'max' });

const pickOne = <T>(items: readonly T[], pick: number): T | undefined =>
  items[pick % Math.max(items.length, 1)];

/** Builds a valid command for the step, aimed at what exists so that most are accepted. */
function commandFor(state: DomainState, step: Step, by: Attribution, newId: () => string): Command {
  const { pick, choice, flag, actors, text } = step;
  const incidents = Object.values(state.incidents);
  const withStatus = (status: string) => incidents.filter((i) => i.status === status);
  const anyIncident = () => pickOne(incidents, pick)?.id ?? newId();
  const activeIncident = () => pickOne(withStatus('active'), pick)?.id ?? anyIncident();
  const sharing = (): Sharing =>
    choice % 3 === 0
      ? { scope: 'region' }
      : choice % 3 === 1
        ? { scope: 'own' }
        : { scope: 'actors', actorIds: actors.length > 0 ? actors : ['polisen'] };
  const commandId = newId();
  switch (step.type) {
    case 'incident.request':
      return buildRequestCommand({ commandId, incidentId: newId(), title: text, reason: text });
    case 'incident.activate':
      return buildActivateCommand({
        commandId,
        incidentId: flag ? (pickOne(withStatus('requested'), pick)?.id ?? newId()) : newId(),
        title: text,
        kind: INCIDENT_KINDS[choice % INCIDENT_KINDS.length],
        area: choice % 2 === 0 ? buildArea() : null,
        summonedActorIds: actors,
        nextConferenceAt: flag ? minutesAfterNow(90) : null,
      });
    case 'incident.update': {
      const changes = [
        { description: text },
        { nextConferenceAt: minutesAfterNow(choice) },
        { nextConferenceAt: null },
        { summonedActorIds: actors },
        { area: null },
        { area: buildArea() },
        {},
      ];
      return {
        id: commandId,
        type: 'incident.update',
        payload: { incidentId: activeIncident(), ...changes[choice % changes.length] },
      };
    }
    case 'incident.close':
      return buildCloseCommand({
        commandId,
        incidentId: flag ? anyIncident() : activeIncident(),
        summary: text,
      });
    case 'readiness.set':
      return buildReadinessCommand({ commandId, heightened: flag, note: choice % 2 === 0 ? text : '' });
    case 'activation.acknowledge':
      return buildAcknowledgeCommand({ commandId, incidentId: activeIncident() });
    case 'report.submit': {
      const geometries: MapFeature['geometry'][] = [
        { type: 'Point', coordinates: [18.07, 59.33] },
        {
          type: 'LineString',
          coordinates: [
            [18.2, 59.31],
            [18.3, 59.32],
          ],
        },
        buildArea(),
      ];
      const features = Array.from({ length: choice % 4 }, (_, i) =>
        buildMapFeature({ id: newId(), geometry: geometries[i % geometries.length] }),
      );
      return buildReportCommand({
        commandId,
        reportId: newId(),
        incidentId: activeIncident(),
        sharing: sharing(),
        features,
        happened: text,
      });
    }
    case 'fieldReport.submit':
      return buildFieldReportCommand({
        commandId,
        fieldReportId: newId(),
        incidentId: activeIncident(),
        eventType: text,
        position: flag ? { lat: 59.3 + choice / 100, lng: 18.0 } : null,
        sharing: sharing(),
      });
    case 'checkin.create':
      return buildCheckinCommand({
        commandId,
        checkinId: newId(),
        incidentId: flag ? anyIncident() : null,
        status: CHECKIN_STATUSES[choice % CHECKIN_STATUSES.length],
        position: flag ? { lat: 59.3 + choice / 100, lng: 18.0 } : null,
        note: text,
        sharing: sharing(),
      });
    case 'checkin.checkout': {
      // Mostly an open check-in of the sender's own actor; sometimes any, to hit the refusals.
      const mine = Object.values(state.checkins).filter(
        (c) => c.by.actorId === by.actorId && c.checkedOutAt === null,
      );
      const open = flag ? Object.values(state.checkins) : mine;
      return buildCheckoutCommand({ commandId, checkinId: pickOne(open, pick)?.id ?? newId() });
    }
    case 'logEntry.add':
      return buildLogEntryCommand({
        commandId,
        entryId: newId(),
        incidentId: flag ? anyIncident() : null,
        text,
        sharing: sharing(),
      });
  }
}

type Played = { state: DomainState; events: StoredEvent[]; commands: number; accepted: number };

/** Sends every step through the parser, `decide` and `apply`, as one hub would. */
function play(history: readonly Step[]): Played {
  let next = 0;
  const newId = () => testUuid(0x20_0000 + next++);
  let state = initialState();
  const events: StoredEvent[] = [];
  let accepted = 0;
  history.forEach((step, index) => {
    const now = minutesAfterNow(index);
    const by = senderFor(step.type, step.sender);
    const parsed = parseCommand(cloneJson(commandFor(state, step, by, newId)));
    if (!parsed.ok) throw new Error(`generated an invalid command: ${parsed.message}`);
    const decision = decide(state, parsed.command, by, now, region);
    if (!decision.ok) return;
    accepted++;
    for (const draft of decision.data) {
      const event = buildEvent(draft, { seq: events.length + 1, at: now, by, commandId: parsed.command.id });
      state = apply(state, event);
      events.push(event);
    }
  });
  return { state, events, commands: history.length, accepted };
}

const VIEWERS: Viewer[] = [
  ...ACTORS_IN_PLAY.map((actorId): Viewer => ({ kind: 'actor', actorId })),
  { kind: 'actor', actorId: 'vaxholm' },
  { kind: 'device' },
];

// Generous: the properties take about a second, but the machine may be busy with other suites.
const PROPERTY_TIMEOUT = 30_000;

describe('domain properties over generated histories', () => {
  it(
    'folding with applyInPlace (the hub) gives the same state as apply (the client)',
    () => {
      fc.assert(
        fc.property(historyArb, (history) => {
          const { state, events } = play(history);
          expect(stateHash(applyInPlace(initialState(), events))).toBe(stateHash(state));
        }),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'only ever produces events the log can read back and states the schema accepts',
    () => {
      fc.assert(
        fc.property(historyArb, (history) => {
          const { state, events } = play(history);
          for (const event of events) expect(parseStoredEvent(cloneJson(event))).toEqual(cloneJson(event));
          expect(State.safeParse(cloneJson(state)).success).toBe(true);
        }),
        { numRuns: 50 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "gives each viewer, from the events it may see, exactly its projection of the hub's state",
    () => {
      fc.assert(
        fc.property(historyArb, (history) => {
          const { state, events } = play(history);
          for (const viewer of VIEWERS) {
            const seen = applyInPlace(initialState(), eventsForViewer(viewer, events));
            expect(stateHash(seen)).toBe(stateHash(projectState(state, viewer)));
          }
        }),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it('generates histories that are mostly accepted and reach every event type', () => {
    const samples = fc.sample(historyArb, { numRuns: 100, seed: 20_240_501 }).map(play);
    const commands = samples.reduce((sum, s) => sum + s.commands, 0);
    const accepted = samples.reduce((sum, s) => sum + s.accepted, 0);
    expect(accepted / commands).toBeGreaterThan(0.5);
    const types = new Set(samples.flatMap((s) => s.events.map((e) => e.type)));
    expect(types).toEqual(new Set(EVENT_TYPES.filter((type) => !isDirectoryEventType(type))));
  });
});

describe('actor ids that are names on every JavaScript object', () => {
  const NAMES_ON_EVERY_OBJECT = [
    'constructor',
    'toString',
    'valueOf',
    'hasOwnProperty',
    'isPrototypeOf',
    'propertyIsEnumerable',
    'toLocaleString',
  ];
  const actorIdArb = fc.oneof(
    fc.constantFrom(...NAMES_ON_EVERY_OBJECT),
    fc.stringMatching(/^[a-z][a-zA-Z0-9-]{0,15}$/),
  );

  it('acknowledge an activation exactly once, before and after a JSON round trip', () => {
    fc.assert(
      fc.property(actorIdArb, (actorId) => {
        fc.pre(!region.actors.some((a) => a.id === actorId));
        const withActor = {
          ...region,
          actors: [
            ...region.actors,
            {
              id: actorId,
              name: 'Objektet',
              shortName: 'Obj',
              kind: 'other' as const,
              home: { lat: 59.3, lng: 18 },
            },
          ],
        };
        const lead = senderFor('incident.activate', 0);
        const theirs = buildAttribution({ userId: `u-${actorId}`, actorId, functionId: 'dutyOfficer' });
        const incidentId = testUuid(1);
        let state = initialState();
        const run = (command: Command, by: Attribution, seq: number) => {
          const decision = decide(state, command, by, minutesAfterNow(seq), withActor);
          if (!decision.ok) return decision.error;
          state = decision.data.reduce(
            (s, draft, i) => apply(s, buildEvent(draft, { seq: seq + i, by })),
            state,
          );
          return null;
        };
        expect(run(buildActivateCommand({ incidentId, summonedActorIds: [actorId] }), lead, 1)).toBeNull();
        expect(run(buildAcknowledgeCommand({ incidentId }), theirs, 10)).toBeNull();
        const again = { code: 'conflict', message: 'Your actor has already acknowledged this activation' };
        expect(run(buildAcknowledgeCommand({ incidentId }), theirs, 20)).toEqual(again);
        state = State.parse(JSON.parse(JSON.stringify(state)));
        expect(run(buildAcknowledgeCommand({ incidentId }), theirs, 30)).toEqual(again);
        expect(Object.keys(state.incidents[incidentId]?.acknowledgements ?? {})).toContain(actorId);
        expect(projectState(state, { kind: 'actor', actorId })).toEqual(state);
      }),
    );
  });
});
