import { describe, expect, it } from 'vitest';
import { applyInPlace, detachedCopy } from './apply.js';
import { COMMAND_TYPES, parseCommand, type Command } from './commands.js';
import { conferenceCommandPayloads } from './conference-commands.js';
import { directiveCommandPayloads, type ReadinessDecision } from './directive-commands.js';
import { messageCommandPayloads } from './message-commands.js';
import { decide } from './decide.js';
import type { EventDraft } from './events.js';
import type { AreaGeometry } from './geo.js';
import { initialState, type Attribution, type State } from './model.js';
import type { ErrorCode } from './result.js';
import { latestReports } from './selectors.js';
import {
  TEST_NOW,
  buildAcknowledgeCommand,
  buildActivateCommand,
  buildAttribution,
  buildCheckin,
  buildCheckinCommand,
  buildCheckoutCommand,
  buildCloseCommand,
  buildEvent,
  buildFieldReport,
  buildFieldReportCommand,
  buildIncident,
  buildLogEntry,
  buildLogEntryCommand,
  buildMapFeature,
  buildReadinessCommand,
  buildReport,
  buildReportCommand,
  buildRequestCommand,
  buildState,
  buildUpdateCommand,
  deepFreeze,
  freshUuid,
  minutesAfterNow,
  named,
  runCommands,
  stockholmRegion,
  testUuid,
} from './testing/test-factories.js';

const region = stockholmRegion();
const NOW = minutesAfterNow(30);

const leadTib = buildAttribution();
const nackaTib = buildAttribution({ userId: 'user-nacka-tib', userName: 'Nils Nord', actorId: 'nacka' });
const nackaField = buildAttribution({
  userId: 'user-nacka-field',
  userName: 'Frida Fält',
  actorId: 'nacka',
  functionId: 'field',
});
const polisen = buildAttribution({
  userId: 'user-polisen',
  userName: 'Per Polis',
  actorId: 'polisen',
  functionId: 'coordinator',
});
const sosTib = buildAttribution({ userId: 'user-sos', userName: 'Sara Sos', actorId: 'sos-alarm' });

const ACTIVE = testUuid(1);
const REQUESTED = testUuid(2);
const CLOSED = testUuid(3);
const NEW_INCIDENT = testUuid(4);
const UNKNOWN = testUuid(99);
const REPORT = testUuid(10);
const OPEN_CHECKIN = testUuid(20);
const ENDED_CHECKIN = testUuid(21);
const ENTRY = testUuid(30);
const FIELD_REPORT = testUuid(31);
const NEW_ITEM = testUuid(40);

/** The government decision in force in the world below. */
const HEIGHTENED: ReadinessDecision = {
  level: 'heightened',
  scope: 'country',
  parts: '',
  decisionRef: 'Fö2026/01234',
  decisionDate: '2024-04-30T00:00:00.000Z',
};

/** One region with an incident in every status, and one item of every kind. */
const world = deepFreeze(
  buildState({
    incidents: [
      buildIncident({
        id: ACTIVE,
        summonedActorIds: ['lansstyrelsen', 'nacka', 'polisen'],
        acknowledgements: { lansstyrelsen: { at: TEST_NOW, by: leadTib, seq: 1 } },
      }),
      buildIncident({
        id: REQUESTED,
        status: 'requested',
        title: 'Water main burst',
        reason: 'Nacka needs help with drinking water',
        summonedActorIds: [],
        requestedAt: TEST_NOW,
        requestedBy: nackaTib,
        activatedAt: null,
        activatedBy: null,
      }),
      buildIncident({ id: CLOSED, status: 'closed', closedAt: TEST_NOW, closedBy: leadTib }),
    ],
    reports: [buildReport({ id: REPORT, incidentId: ACTIVE })],
    fieldReports: [buildFieldReport({ id: FIELD_REPORT, incidentId: ACTIVE })],
    checkins: [
      buildCheckin({ id: OPEN_CHECKIN, by: nackaField }),
      buildCheckin({ id: ENDED_CHECKIN, by: nackaField, checkedOutAt: TEST_NOW }),
    ],
    logEntries: [buildLogEntry({ id: ENTRY })],
    readiness: { heightened: true, note: 'Government decision', since: TEST_NOW, by: leadTib, ...HEIGHTENED },
  }),
);

/** Every case goes through the real parser first: the refusals below are domain rules, not schema errors. */
function valid(command: Command): Command {
  const parsed = parseCommand(JSON.parse(JSON.stringify(command)));
  if (!parsed.ok) throw new Error(`test command is invalid: ${parsed.message}`);
  return parsed.command;
}

/** A block of Manhattan: a valid polygon, far outside the region. */
const newYorkBlock: AreaGeometry = {
  type: 'Polygon',
  coordinates: [
    [
      [-74.0, 40.7],
      [-73.99, 40.7],
      [-73.99, 40.71],
      [-74.0, 40.7],
    ],
  ],
};

/** A figure eight over Nacka: its outline crosses itself. */
const bowtie: AreaGeometry = {
  type: 'Polygon',
  coordinates: [
    [
      [18.1, 59.3],
      [18.2, 59.35],
      [18.2, 59.3],
      [18.1, 59.35],
      [18.1, 59.3],
    ],
  ],
};

type Refusal = { name: string; command: Command; by: Attribution; code: ErrorCode; message: string };

const refusals: Refusal[] = [
  {
    name: 'incident.request refuses an id that is already taken',
    command: buildRequestCommand({ incidentId: REQUESTED }),
    by: nackaTib,
    code: 'conflict',
    message: 'An incident with this id already exists',
  },
  {
    name: 'incident.activate refuses an incident that is already active',
    command: buildActivateCommand({ incidentId: ACTIVE }),
    by: leadTib,
    code: 'conflict',
    message: 'The incident is already active',
  },
  {
    name: 'incident.activate refuses a closed incident',
    command: buildActivateCommand({ incidentId: CLOSED }),
    by: leadTib,
    code: 'conflict',
    message: 'The incident is closed',
  },
  {
    name: 'incident.activate refuses to summon actors the region does not have',
    command: buildActivateCommand({
      incidentId: REQUESTED,
      summonedActorIds: ['nacka', 'atlantis', 'gotham'],
    }),
    by: leadTib,
    code: 'bad_request',
    message: 'Unknown actor(s): atlantis, gotham',
  },
  {
    name: 'incident.update refuses an unknown incident',
    command: buildUpdateCommand({ incidentId: UNKNOWN }),
    by: leadTib,
    code: 'not_found',
    message: 'No such incident',
  },
  {
    name: 'incident.update refuses a request that is not yet active',
    command: buildUpdateCommand({ incidentId: REQUESTED }),
    by: leadTib,
    code: 'conflict',
    message: 'Only an active incident can be updated',
  },
  {
    name: 'incident.update refuses a closed incident',
    command: buildUpdateCommand({ incidentId: CLOSED }),
    by: leadTib,
    code: 'conflict',
    message: 'Only an active incident can be updated',
  },
  {
    name: 'incident.update refuses an update that changes nothing',
    command: { id: testUuid(500), type: 'incident.update', payload: { incidentId: ACTIVE } },
    by: leadTib,
    code: 'bad_request',
    message: 'Nothing to update',
  },
  {
    name: 'incident.update refuses to summon actors the region does not have',
    command: buildUpdateCommand({ incidentId: ACTIVE, summonedActorIds: ['nacka', 'atlantis'] }),
    by: leadTib,
    code: 'bad_request',
    message: 'Unknown actor(s): atlantis',
  },
  {
    name: 'incident.update refuses to summon nobody',
    command: buildUpdateCommand({ incidentId: ACTIVE, summonedActorIds: [] }),
    by: leadTib,
    code: 'bad_request',
    message: 'At least one actor must be summoned',
  },
  {
    name: 'incident.close refuses an unknown incident',
    command: buildCloseCommand({ incidentId: UNKNOWN }),
    by: leadTib,
    code: 'not_found',
    message: 'No such incident',
  },
  {
    name: 'incident.close refuses an incident that is already closed',
    command: buildCloseCommand({ incidentId: CLOSED }),
    by: leadTib,
    code: 'conflict',
    message: 'The incident is already closed',
  },
  {
    name: 'readiness.set refuses to set the state it is already in',
    command: buildReadinessCommand({ heightened: true, note: 'Government decision' }),
    by: leadTib,
    code: 'conflict',
    message: 'Heightened readiness is already in that state',
  },
  {
    name: 'readiness.set refuses the same government decision again',
    command: buildReadinessCommand({ heightened: true, note: 'Government decision', decision: HEIGHTENED }),
    by: leadTib,
    code: 'conflict',
    message: 'Heightened readiness is already in that state',
  },
  {
    name: 'readiness.set refuses a flag that contradicts the level',
    command: buildReadinessCommand({ heightened: false, decision: HEIGHTENED }),
    by: leadTib,
    code: 'bad_request',
    message: 'Heightened must be true for the level heightened',
  },
  {
    name: 'readiness.set refuses to raise readiness without naming the government decision',
    command: buildReadinessCommand({ decision: { ...HEIGHTENED, level: 'highest', decisionRef: '  ' } }),
    by: leadTib,
    code: 'bad_request',
    message: 'Name the government decision that raises readiness',
  },
  {
    name: 'readiness.set refuses to raise readiness with no government decision at all',
    command: { ...buildReadinessCommand(), payload: { heightened: true, note: 'Regeringsbeslut' } },
    by: leadTib,
    code: 'bad_request',
    message: 'Name the government decision that raises readiness',
  },
  {
    name: 'readiness.set refuses to raise readiness without the date of the government decision',
    command: buildReadinessCommand({ decision: { ...HEIGHTENED, level: 'highest', decisionDate: null } }),
    by: leadTib,
    code: 'bad_request',
    message: 'Give the date of the government decision that raises readiness',
  },
  {
    name: 'readiness.set refuses a decision for parts of the country that names none',
    command: buildReadinessCommand({ decision: { ...HEIGHTENED, scope: 'parts', parts: '' } }),
    by: leadTib,
    code: 'bad_request',
    message: 'Name the parts of the country the decision covers',
  },
  {
    name: 'activation.acknowledge refuses an unknown incident',
    command: buildAcknowledgeCommand({ incidentId: UNKNOWN }),
    by: nackaTib,
    code: 'not_found',
    message: 'No such incident',
  },
  {
    name: 'activation.acknowledge refuses a request that is not yet active',
    command: buildAcknowledgeCommand({ incidentId: REQUESTED }),
    by: nackaTib,
    code: 'conflict',
    message: 'Only an active incident can be acknowledged',
  },
  {
    name: 'activation.acknowledge refuses a closed incident',
    command: buildAcknowledgeCommand({ incidentId: CLOSED }),
    by: nackaTib,
    code: 'conflict',
    message: 'Only an active incident can be acknowledged',
  },
  {
    name: 'activation.acknowledge refuses an actor that was not summoned',
    command: buildAcknowledgeCommand({ incidentId: ACTIVE }),
    by: sosTib,
    code: 'forbidden',
    message: 'Your actor is not summoned to this incident',
  },
  {
    name: 'activation.acknowledge refuses a second acknowledgement by the same actor',
    command: buildAcknowledgeCommand({ incidentId: ACTIVE }),
    by: buildAttribution({ userId: 'user-lansstyrelsen-other', userName: 'Other Officer' }),
    code: 'conflict',
    message: 'Your actor has already acknowledged this activation',
  },
  {
    name: 'report.submit refuses an unknown incident',
    command: buildReportCommand({ incidentId: UNKNOWN }),
    by: nackaTib,
    code: 'not_found',
    message: 'No such incident',
  },
  {
    name: 'report.submit refuses a closed incident',
    command: buildReportCommand({ incidentId: CLOSED }),
    by: nackaTib,
    code: 'conflict',
    message: 'The incident is closed',
  },
  {
    name: 'report.submit refuses a request that is not yet active',
    command: buildReportCommand({ incidentId: REQUESTED }),
    by: nackaTib,
    code: 'conflict',
    message: 'The incident is not active',
  },
  {
    name: 'report.submit refuses a report id that is already taken',
    command: buildReportCommand({ incidentId: ACTIVE, reportId: REPORT }),
    by: nackaTib,
    code: 'conflict',
    message: 'A report with this id already exists',
  },
  {
    name: 'report.submit refuses sharing with actors the region does not have',
    command: buildReportCommand({
      incidentId: ACTIVE,
      sharing: { scope: 'actors', actorIds: ['polisen', 'atlantis'] },
    }),
    by: nackaTib,
    code: 'bad_request',
    message: 'Unknown actor(s): atlantis',
  },
  {
    name: 'fieldReport.submit refuses an unknown incident',
    command: buildFieldReportCommand({ incidentId: UNKNOWN }),
    by: nackaField,
    code: 'not_found',
    message: 'No such incident',
  },
  {
    name: 'fieldReport.submit refuses a closed incident',
    command: buildFieldReportCommand({ incidentId: CLOSED }),
    by: nackaField,
    code: 'conflict',
    message: 'The incident is closed',
  },
  {
    name: 'fieldReport.submit refuses a request that is not yet active',
    command: buildFieldReportCommand({ incidentId: REQUESTED }),
    by: nackaField,
    code: 'conflict',
    message: 'The incident is not active',
  },
  {
    name: 'fieldReport.submit refuses a field report id that is already taken',
    command: buildFieldReportCommand({ incidentId: ACTIVE, fieldReportId: FIELD_REPORT }),
    by: nackaField,
    code: 'conflict',
    message: 'A field report with this id already exists',
  },
  {
    name: 'fieldReport.submit refuses sharing with actors the region does not have',
    command: buildFieldReportCommand({
      incidentId: ACTIVE,
      sharing: { scope: 'actors', actorIds: ['polisen', 'atlantis'] },
    }),
    by: nackaField,
    code: 'bad_request',
    message: 'Unknown actor(s): atlantis',
  },
  {
    name: 'report.submit refuses two map features with the same id',
    command: buildReportCommand({
      incidentId: ACTIVE,
      features: [
        buildMapFeature({ id: testUuid(600) }),
        buildMapFeature({ id: testUuid(600), kind: 'closedRoad' }),
      ],
    }),
    by: nackaTib,
    code: 'bad_request',
    message: 'Two map features have the same id',
  },
  {
    name: 'report.submit refuses a map feature outside the region, naming it',
    command: buildReportCommand({
      incidentId: ACTIVE,
      features: [buildMapFeature(), buildMapFeature({ label: 'Avspärrning', geometry: newYorkBlock })],
    }),
    by: nackaTib,
    code: 'bad_request',
    message: 'Map feature 2 (polygon "Avspärrning"): lies outside the region',
  },
  {
    name: 'report.submit refuses a point at 0,0',
    command: buildReportCommand({
      incidentId: ACTIVE,
      features: [buildMapFeature({ label: '', geometry: { type: 'Point', coordinates: [0, 0] } })],
    }),
    by: nackaTib,
    code: 'bad_request',
    message: 'Map feature 1 (point): lies outside the region',
  },
  {
    name: 'report.submit refuses a polygon whose outline crosses itself',
    command: buildReportCommand({
      incidentId: ACTIVE,
      features: [buildMapFeature({ label: 'Flooded', kind: 'affectedArea', geometry: bowtie })],
    }),
    by: nackaTib,
    code: 'bad_request',
    message: 'Map feature 1 (polygon "Flooded"): is not a valid area: its outline crosses or touches itself',
  },
  {
    name: 'report.submit refuses a line that stays on one spot',
    command: buildReportCommand({
      incidentId: ACTIVE,
      features: [
        buildMapFeature({
          label: 'Closed road',
          geometry: {
            type: 'LineString',
            coordinates: [
              [18.1, 59.3],
              [18.1, 59.3],
            ],
          },
        }),
      ],
    }),
    by: nackaTib,
    code: 'bad_request',
    message: 'Map feature 1 (line "Closed road"): has no length',
  },
  {
    name: 'incident.activate refuses an area outside the region',
    command: buildActivateCommand({ incidentId: NEW_INCIDENT, area: newYorkBlock }),
    by: leadTib,
    code: 'bad_request',
    message: "The incident's area: lies outside the region",
  },
  {
    name: 'incident.update refuses an area whose outline crosses itself',
    command: buildUpdateCommand({ incidentId: ACTIVE, area: bowtie }),
    by: leadTib,
    code: 'bad_request',
    message: "The incident's area: is not a valid area: its outline crosses or touches itself",
  },
  {
    name: 'checkin.create refuses a position at 0,0',
    command: buildCheckinCommand({ position: { lat: 0, lng: 0 } }),
    by: nackaField,
    code: 'bad_request',
    message: "The check-in's position: lies outside the region",
  },
  {
    name: 'checkin.create refuses a check-in id that is already taken',
    command: buildCheckinCommand({ checkinId: ENDED_CHECKIN }),
    by: nackaField,
    code: 'conflict',
    message: 'A check-in with this id already exists',
  },
  {
    name: 'checkin.create refuses an unknown incident',
    command: buildCheckinCommand({ incidentId: UNKNOWN }),
    by: nackaField,
    code: 'not_found',
    message: 'No such incident',
  },
  {
    name: 'checkin.create refuses a closed incident',
    command: buildCheckinCommand({ incidentId: CLOSED }),
    by: nackaField,
    code: 'conflict',
    message: 'The incident is closed',
  },
  {
    name: 'checkin.create refuses sharing with actors the region does not have',
    command: buildCheckinCommand({ sharing: { scope: 'actors', actorIds: ['atlantis'] } }),
    by: nackaField,
    code: 'bad_request',
    message: 'Unknown actor(s): atlantis',
  },
  {
    name: 'checkin.checkout refuses an unknown check-in',
    command: buildCheckoutCommand({ checkinId: UNKNOWN }),
    by: nackaField,
    code: 'not_found',
    message: 'No such check-in',
  },
  {
    name: "checkin.checkout refuses another actor's check-in",
    command: buildCheckoutCommand({ checkinId: OPEN_CHECKIN }),
    by: polisen,
    code: 'forbidden',
    message: 'The check-in belongs to another actor',
  },
  {
    name: 'checkin.checkout refuses a check-in that has already ended',
    command: buildCheckoutCommand({ checkinId: ENDED_CHECKIN }),
    by: nackaField,
    code: 'conflict',
    message: 'Already checked out',
  },
  {
    name: 'logEntry.add refuses an entry id that is already taken',
    command: buildLogEntryCommand({ entryId: ENTRY }),
    by: leadTib,
    code: 'conflict',
    message: 'A log entry with this id already exists',
  },
  {
    name: 'logEntry.add refuses an unknown incident',
    command: buildLogEntryCommand({ incidentId: UNKNOWN }),
    by: leadTib,
    code: 'not_found',
    message: 'No such incident',
  },
  {
    name: 'logEntry.add refuses sharing with actors the region does not have',
    command: buildLogEntryCommand({ sharing: { scope: 'actors', actorIds: ['atlantis'] } }),
    by: leadTib,
    code: 'bad_request',
    message: 'Unknown actor(s): atlantis',
  },
];

const allActorIds = region.actors.map((a) => a.id);
const featureA = buildMapFeature({ id: testUuid(700) });
const featureB = buildMapFeature({
  id: testUuid(701),
  kind: 'closedRoad',
  label: 'Värmdöleden closed',
  geometry: {
    type: 'LineString',
    coordinates: [
      [18.2, 59.31],
      [18.3, 59.32],
    ],
  },
});

type Acceptance = { name: string; command: Command; by: Attribution; events: EventDraft[] };

const acceptances: Acceptance[] = [
  {
    name: 'incident.request records the request with its title and reason',
    command: buildRequestCommand({ incidentId: NEW_INCIDENT, title: 'Storm', reason: 'Trees down' }),
    by: nackaTib,
    events: [
      {
        type: 'incident.requested',
        payload: { incidentId: NEW_INCIDENT, title: 'Storm', reason: 'Trees down' },
      },
    ],
  },
  {
    name: 'incident.activate with no actors named summons every actor, and the activator has acknowledged',
    command: buildActivateCommand({ incidentId: NEW_INCIDENT, summonedActorIds: [], area: null }),
    by: leadTib,
    events: [
      {
        type: 'incident.activated',
        payload: {
          incidentId: NEW_INCIDENT,
          title: 'Storm Ylva',
          kind: 'weather',
          description: 'Gale force winds, falling trees',
          area: null,
          summonedActorIds: allActorIds,
          nextConferenceAt: minutesAfterNow(60),
        },
      },
      { type: 'activation.acknowledged', payload: { incidentId: NEW_INCIDENT, actorId: 'lansstyrelsen' } },
    ],
  },
  {
    name: 'incident.activate takes part in and acknowledges for the activating actor when the summons leaves it out',
    command: buildActivateCommand({
      incidentId: NEW_INCIDENT,
      area: null,
      summonedActorIds: ['nacka', 'polisen'],
    }),
    by: leadTib,
    events: [
      {
        type: 'incident.activated',
        payload: {
          incidentId: NEW_INCIDENT,
          title: 'Storm Ylva',
          kind: 'weather',
          description: 'Gale force winds, falling trees',
          area: null,
          summonedActorIds: ['nacka', 'polisen', 'lansstyrelsen'],
          nextConferenceAt: minutesAfterNow(60),
        },
      },
      { type: 'activation.acknowledged', payload: { incidentId: NEW_INCIDENT, actorId: 'lansstyrelsen' } },
    ],
  },
  {
    name: 'incident.activate turns a request into an activation, summoning each named actor once',
    command: buildActivateCommand({
      incidentId: REQUESTED,
      title: 'Water main burst',
      kind: 'infrastructure',
      area: null,
      summonedActorIds: ['nacka', 'polisen', 'nacka'],
      nextConferenceAt: null,
    }),
    by: leadTib,
    events: [
      {
        type: 'incident.activated',
        payload: {
          incidentId: REQUESTED,
          title: 'Water main burst',
          kind: 'infrastructure',
          description: 'Gale force winds, falling trees',
          area: null,
          summonedActorIds: ['nacka', 'polisen', 'lansstyrelsen'],
          nextConferenceAt: null,
        },
      },
      { type: 'activation.acknowledged', payload: { incidentId: REQUESTED, actorId: 'lansstyrelsen' } },
    ],
  },
  {
    name: 'incident.activate acknowledges for the activating coordinator when its actor is summoned',
    command: buildActivateCommand({
      incidentId: NEW_INCIDENT,
      area: null,
      summonedActorIds: ['lansstyrelsen'],
    }),
    by: buildAttribution({ functionId: 'coordinator', userId: 'user-lansstyrelsen-coord' }),
    events: [
      {
        type: 'incident.activated',
        payload: {
          incidentId: NEW_INCIDENT,
          title: 'Storm Ylva',
          kind: 'weather',
          description: 'Gale force winds, falling trees',
          area: null,
          summonedActorIds: ['lansstyrelsen'],
          nextConferenceAt: minutesAfterNow(60),
        },
      },
      { type: 'activation.acknowledged', payload: { incidentId: NEW_INCIDENT, actorId: 'lansstyrelsen' } },
    ],
  },
  {
    name: 'incident.update carries only the changed fields',
    command: {
      id: testUuid(501),
      type: 'incident.update',
      payload: { incidentId: ACTIVE, nextConferenceAt: NOW },
    },
    by: leadTib,
    events: [{ type: 'incident.updated', payload: { incidentId: ACTIVE, nextConferenceAt: NOW } }],
  },
  {
    name: 'incident.update can clear the area and summons each named actor once',
    command: {
      id: testUuid(502),
      type: 'incident.update',
      payload: { incidentId: ACTIVE, area: null, summonedActorIds: ['polisen', 'sos-alarm', 'polisen'] },
    },
    by: leadTib,
    events: [
      {
        type: 'incident.updated',
        payload: { incidentId: ACTIVE, area: null, summonedActorIds: ['polisen', 'sos-alarm'] },
      },
    ],
  },
  {
    name: 'incident.close ends an active incident with a summary',
    command: buildCloseCommand({ incidentId: ACTIVE, summary: 'All roads open' }),
    by: leadTib,
    events: [{ type: 'incident.closed', payload: { incidentId: ACTIVE, summary: 'All roads open' } }],
  },
  {
    name: 'incident.close turns down a request',
    command: buildCloseCommand({ incidentId: REQUESTED, summary: 'Handled by Nacka alone' }),
    by: leadTib,
    events: [
      { type: 'incident.closed', payload: { incidentId: REQUESTED, summary: 'Handled by Nacka alone' } },
    ],
  },
  {
    name: 'readiness.set lifts heightened readiness',
    command: buildReadinessCommand({ heightened: false, note: '' }),
    by: leadTib,
    events: [{ type: 'readiness.changed', payload: { heightened: false, note: '' } }],
  },
  {
    name: 'readiness.set changes only the note',
    command: buildReadinessCommand({ heightened: true, note: 'Extended to the whole county' }),
    by: leadTib,
    events: [
      {
        type: 'readiness.changed',
        payload: { heightened: true, note: 'Extended to the whole county', decision: HEIGHTENED },
      },
    ],
  },
  {
    name: 'readiness.set raises readiness to the highest level with the government decision',
    command: buildReadinessCommand({
      note: 'Högsta beredskap',
      decision: { ...HEIGHTENED, level: 'highest', scope: 'parts', parts: 'Stockholms län' },
    }),
    by: leadTib,
    events: [
      {
        type: 'readiness.changed',
        payload: {
          heightened: true,
          note: 'Högsta beredskap',
          decision: {
            level: 'highest',
            scope: 'parts',
            parts: 'Stockholms län',
            decisionRef: 'Fö2026/01234',
            decisionDate: '2024-04-30T00:00:00.000Z',
          },
        },
      },
    ],
  },
  {
    name: 'readiness.set lifts readiness with a decision of level none, which needs no reference',
    command: buildReadinessCommand({
      heightened: false,
      note: '',
      decision: { level: 'none', scope: 'country', parts: '', decisionRef: '', decisionDate: null },
    }),
    by: leadTib,
    events: [
      {
        type: 'readiness.changed',
        payload: {
          heightened: false,
          note: '',
          decision: { level: 'none', scope: 'country', parts: '', decisionRef: '', decisionDate: null },
        },
      },
    ],
  },
  {
    name: "activation.acknowledge records the sender's actor",
    command: buildAcknowledgeCommand({ incidentId: ACTIVE }),
    by: nackaTib,
    events: [{ type: 'activation.acknowledged', payload: { incidentId: ACTIVE, actorId: 'nacka' } }],
  },
  {
    name: "report.submit files the report under the sender's actor, at the hub's time",
    command: buildReportCommand({
      reportId: NEW_ITEM,
      incidentId: ACTIVE,
      sharing: { scope: 'actors', actorIds: ['polisen'] },
      features: [featureA, featureB],
    }),
    by: nackaTib,
    events: [
      {
        type: 'report.submitted',
        payload: {
          report: {
            id: NEW_ITEM,
            incidentId: ACTIVE,
            actorId: 'nacka',
            at: NOW,
            by: nackaTib,
            happened: 'Trees down on Värmdöleden',
            consequences: 'Home care visits delayed',
            measures: 'Extra staff called in',
            needs: 'Generators for two care homes',
            assessment: 'Worsening overnight',
            status: 'strained',
            sharing: { scope: 'actors', actorIds: ['polisen'] },
            features: [featureA, featureB],
          },
        },
      },
    ],
  },
  {
    name: "fieldReport.submit files the observation under the sender's actor, at the hub's time",
    command: buildFieldReportCommand({
      fieldReportId: NEW_ITEM,
      incidentId: ACTIVE,
      sharing: { scope: 'actors', actorIds: ['polisen'] },
    }),
    by: nackaField,
    events: [
      {
        type: 'fieldReport.submitted',
        payload: {
          fieldReport: {
            id: NEW_ITEM,
            incidentId: ACTIVE,
            actorId: 'nacka',
            at: NOW,
            by: nackaField,
            eventType: 'Tree across the road',
            locationText: 'Värmdöleden at Insjön',
            position: { lat: 59.31, lng: 18.3 },
            hazards: 'Power line down',
            access: 'From the east only',
            casualties: 'None',
            servicesPresent: 'Rescue service',
            servicesNeeded: 'Grid operator',
            sharing: { scope: 'actors', actorIds: ['polisen'] },
          },
        },
      },
    ],
  },
  {
    name: "checkin.create ends the person's open check-in before the new one",
    command: buildCheckinCommand({
      checkinId: NEW_ITEM,
      incidentId: REQUESTED,
      status: 'onTheWay',
      position: { lat: 59.31, lng: 18.16 },
      note: 'Car 3',
      sharing: { scope: 'actors', actorIds: ['polisen'] },
    }),
    by: nackaField,
    events: [
      { type: 'checkin.checkedOut', payload: { checkinId: OPEN_CHECKIN } },
      {
        type: 'checkin.created',
        payload: {
          checkin: {
            id: NEW_ITEM,
            incidentId: REQUESTED,
            status: 'onTheWay',
            position: { lat: 59.31, lng: 18.16 },
            note: 'Car 3',
            at: NOW,
            by: nackaField,
            checkedOutAt: null,
            sharing: { scope: 'actors', actorIds: ['polisen'] },
          },
        },
      },
    ],
  },
  {
    name: "checkin.create leaves other people's check-ins open",
    command: buildCheckinCommand({ checkinId: NEW_ITEM, incidentId: ACTIVE, status: 'onSite' }),
    by: nackaTib,
    events: [
      {
        type: 'checkin.created',
        payload: {
          checkin: {
            id: NEW_ITEM,
            incidentId: ACTIVE,
            status: 'onSite',
            position: null,
            note: '',
            at: NOW,
            by: nackaTib,
            checkedOutAt: null,
            sharing: { scope: 'own' },
          },
        },
      },
    ],
  },
  {
    name: 'checkin.checkout lets a colleague of the same actor check a person out',
    command: buildCheckoutCommand({ checkinId: OPEN_CHECKIN }),
    by: nackaTib,
    events: [{ type: 'checkin.checkedOut', payload: { checkinId: OPEN_CHECKIN } }],
  },
  {
    name: 'logEntry.add keeps writing on a closed incident, for the evaluation',
    command: buildLogEntryCommand({
      entryId: NEW_ITEM,
      incidentId: CLOSED,
      text: 'Lessons learned',
      sharing: { scope: 'own' },
    }),
    by: polisen,
    events: [
      {
        type: 'logEntry.added',
        payload: {
          entry: {
            id: NEW_ITEM,
            incidentId: CLOSED,
            text: 'Lessons learned',
            sharing: { scope: 'own' },
            at: NOW,
            by: polisen,
          },
        },
      },
    ],
  },
];

describe('decide', () => {
  it.each(named(refusals))('%s', (_name, { command, by, code, message }) => {
    const decision = decide(world, valid(command), by, NOW, region);
    expect(decision).toEqual({ ok: false, error: { code, message } });
  });

  it.each(named(acceptances))('%s', (_name, { command, by, events }) => {
    const decision = decide(world, valid(command), by, NOW, region);
    expect(decision).toEqual({ ok: true, data: events });
  });

  it('has refusal and acceptance cases for every command type (conference, directive and joint-message ones in their own files)', () => {
    const covered = (cases: { command: Command }[]) => new Set(cases.map((c) => c.command.type));
    const elsewhere = {
      ...conferenceCommandPayloads,
      ...directiveCommandPayloads,
      ...messageCommandPayloads,
    };
    const here = new Set(COMMAND_TYPES.filter((type) => !Object.hasOwn(elsewhere, type)));
    expect(covered(refusals)).toEqual(here);
    expect(covered(acceptances)).toEqual(here);
  });

  it('runs an incident through its whole course, as the hub would', () => {
    const { state, events } = runCommands([
      { command: buildRequestCommand({ incidentId: NEW_INCIDENT }), by: nackaTib, at: minutesAfterNow(1) },
      {
        command: buildActivateCommand({
          incidentId: NEW_INCIDENT,
          summonedActorIds: ['lansstyrelsen', 'nacka'],
        }),
        by: leadTib,
        at: minutesAfterNow(5),
      },
      {
        command: buildAcknowledgeCommand({ incidentId: NEW_INCIDENT }),
        by: nackaTib,
        at: minutesAfterNow(6),
      },
      { command: buildReportCommand({ incidentId: NEW_INCIDENT }), by: nackaTib, at: minutesAfterNow(30) },
      { command: buildCloseCommand({ incidentId: NEW_INCIDENT }), by: leadTib, at: minutesAfterNow(600) },
    ]);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(state.incidents[NEW_INCIDENT]).toMatchObject({
      status: 'closed',
      requestedBy: nackaTib,
      activatedAt: minutesAfterNow(5),
      closedAt: minutesAfterNow(600),
      acknowledgements: {
        lansstyrelsen: { at: minutesAfterNow(5), by: leadTib },
        nacka: { at: minutesAfterNow(6), by: nackaTib },
      },
    });
    expect(Object.values(state.reports).map((r) => r.actorId)).toEqual(['nacka']);
    expect(() =>
      runCommands([{ command: buildCloseCommand({ incidentId: NEW_INCIDENT }) }], { state }),
    ).toThrow(/incident.close refused: conflict The incident is already closed/);
  });

  it("keeps the actor's situation report (status, needs, prognosis) when a field report follows it", () => {
    const { state } = runCommands([
      {
        command: buildActivateCommand({ incidentId: NEW_INCIDENT, summonedActorIds: ['nacka'] }),
        by: leadTib,
        at: minutesAfterNow(1),
      },
      {
        command: buildReportCommand({
          reportId: NEW_ITEM,
          incidentId: NEW_INCIDENT,
          status: 'severe',
          needs: 'Generators for two care homes',
          assessment: 'Worsening overnight',
        }),
        by: nackaTib,
        at: minutesAfterNow(5),
      },
      {
        command: buildFieldReportCommand({ incidentId: NEW_INCIDENT }),
        by: nackaField,
        at: minutesAfterNow(10),
      },
    ]);
    expect(latestReports(state, NEW_INCIDENT).get('nacka')).toMatchObject({
      id: NEW_ITEM,
      status: 'severe',
      needs: 'Generators for two care homes',
      assessment: 'Worsening overnight',
    });
    expect(Object.values(state.fieldReports).map((f) => [f.actorId, f.by.userId])).toEqual([
      ['nacka', 'user-nacka-field'],
    ]);
  });

  it('refuses the same command the same way every time (no hidden state)', () => {
    const command = valid(buildAcknowledgeCommand({ incidentId: ACTIVE }));
    const first = decide(world, command, sosTib, NOW, region);
    expect(decide(world, command, sosTib, NOW, region)).toEqual(first);
  });
});

describe('updates made on an older version', () => {
  const activated = () =>
    runCommands([
      {
        command: buildActivateCommand({ incidentId: NEW_INCIDENT, summonedActorIds: ['nacka'] }),
        by: leadTib,
        at: minutesAfterNow(1),
      },
    ]);
  const update = (description: string, baseVersion?: number) =>
    valid(buildUpdateCommand({ incidentId: NEW_INCIDENT, description, baseVersion }));

  it('gives an incident the seq of its last change as its version, acknowledgements aside', () => {
    const { state } = runCommands(
      [
        { command: update('Vinden tilltar', 1), by: leadTib, at: minutesAfterNow(2) },
        {
          command: buildAcknowledgeCommand({ incidentId: NEW_INCIDENT }),
          by: nackaTib,
          at: minutesAfterNow(3),
        },
      ],
      { state: activated().state, firstSeq: 3 },
    );
    expect(state.incidents[NEW_INCIDENT]).toMatchObject({ description: 'Vinden tilltar', version: 3 });
  });

  it('refuses an incident update made on an older version as stale, with the current incident', () => {
    const { state } = runCommands([{ command: update('Nyare text', 1), by: leadTib }], {
      state: activated().state,
      firstSeq: 3,
    });
    // The same update replayed long after: it must not put the older text back.
    const decision = decide(state, update('Äldre text', 1), leadTib, NOW, region);
    expect(decision).toEqual({
      ok: false,
      error: {
        code: 'stale',
        message: 'The incident has changed since version 1; it is at version 3 now',
        stale: { item: 'incident', incident: state.incidents[NEW_INCIDENT] },
      },
    });
    expect(decide(state, update('Min text ändå', 3), leadTib, NOW, region)).toEqual({
      ok: true,
      data: [
        { type: 'incident.updated', payload: { incidentId: NEW_INCIDENT, description: 'Min text ändå' } },
      ],
    });
  });

  it('applies an update without a version to whatever is current', () => {
    const { state } = runCommands([{ command: update('Nyare text', 1), by: leadTib }], {
      state: activated().state,
      firstSeq: 3,
    });
    expect(decide(state, update('Sista ordet'), leadTib, NOW, region).ok).toBe(true);
  });

  it("refuses a report that does not supersede the actor's newest report as stale, with that report", () => {
    const first = buildReportCommand({ reportId: REPORT, incidentId: NEW_INCIDENT, supersedes: null });
    const { state } = runCommands([{ command: first, by: nackaTib }], {
      state: activated().state,
      firstSeq: 3,
    });
    const newest = state.reports[REPORT];
    // Written over nothing while a colleague's report went in: stale.
    const late = valid(buildReportCommand({ incidentId: NEW_INCIDENT, supersedes: null }));
    expect(decide(state, late, nackaField, NOW, region)).toEqual({
      ok: false,
      error: {
        code: 'stale',
        message: 'Your actor has reported on this incident since this report was begun',
        stale: { item: 'report', report: newest },
      },
    });
    // Over the newest one it goes in; another actor's reports do not count.
    const over = valid(buildReportCommand({ incidentId: NEW_INCIDENT, supersedes: REPORT }));
    expect(decide(state, over, nackaField, NOW, region).ok).toBe(true);
    expect(decide(state, late, polisen, NOW, region).ok).toBe(true);
    const onNothing = valid(buildReportCommand({ incidentId: NEW_INCIDENT, supersedes: REPORT }));
    expect(decide(state, onNothing, polisen, NOW, region)).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
  });

  it('finds the newest report the same on a state folded in place, copied or provisional', () => {
    const steps = [REPORT, NEW_ITEM].map((reportId, i) => ({
      command: buildReportCommand({ reportId, incidentId: NEW_INCIDENT }),
      by: nackaTib,
      at: minutesAfterNow(5 + i),
    }));
    const { events } = runCommands(steps, { state: activated().state, firstSeq: 3 });
    const inPlace = applyInPlace(detachedCopy(activated().state), events.slice(0, 1));
    const copy = detachedCopy(inPlace);
    applyInPlace(copy, events.slice(1));
    const over = (supersedes: string) => valid(buildReportCommand({ incidentId: NEW_INCIDENT, supersedes }));
    // The copy has the second report; the original, sharing its index, does not.
    expect(decide(copy, over(NEW_ITEM), nackaTib, NOW, region).ok).toBe(true);
    expect(decide(inPlace, over(REPORT), nackaTib, NOW, region).ok).toBe(true);
    expect(decide(inPlace, over(NEW_ITEM), nackaTib, NOW, region)).toMatchObject({
      error: { code: 'stale', stale: { report: { id: REPORT } } },
    });
  });
});

describe('checkin.create on a state folded in place, copied or restored', () => {
  const checkIn = (state: State, by: Attribution, seq: number, checkinId = freshUuid()) => {
    const command = buildCheckinCommand({ checkinId });
    const decision = decide(state, command, by, NOW, region);
    if (!decision.ok) throw new Error(decision.error.message);
    const events = decision.data.map((draft, i) =>
      buildEvent(draft, { seq: seq + i, at: NOW, by, commandId: command.id }),
    );
    return { checkinId, drafts: decision.data, events };
  };
  const checkedOut = (drafts: EventDraft[]) =>
    drafts.flatMap((d) => (d.type === 'checkin.checkedOut' ? [d.payload.checkinId] : []));
  const openOf = (state: State, userId: string) =>
    Object.values(state.checkins)
      .filter((c) => c.by.userId === userId && c.checkedOutAt === null)
      .map((c) => c.id);

  it('ends exactly the open check-in of the person, check-in after check-in (the hub folds in place)', () => {
    const state = initialState();
    let seq = 1;
    const previous = new Map<string, string>();
    for (let i = 0; i < 30; i++) {
      const by = [nackaField, nackaTib, polisen][i % 3] ?? nackaField;
      const { checkinId, drafts, events } = checkIn(state, by, seq);
      const before = previous.get(by.userId);
      expect(checkedOut(drafts)).toEqual(before ? [before] : []);
      applyInPlace(state, events);
      seq += events.length;
      previous.set(by.userId, checkinId);
      expect(openOf(state, by.userId)).toEqual([checkinId]);
    }
  });

  it('keeps a copy and its original apart though they share one index', () => {
    const original = initialState();
    const first = checkIn(original, nackaField, 1);
    applyInPlace(original, first.events);
    const copy = detachedCopy(original);
    const inCopy = checkIn(copy, nackaField, 2);
    expect(checkedOut(inCopy.drafts)).toEqual([first.checkinId]);
    applyInPlace(copy, inCopy.events);

    // The original never saw the copy's check-in, nor the end of its own.
    expect(checkedOut(checkIn(original, nackaField, 2).drafts)).toEqual([first.checkinId]);
    expect(checkedOut(checkIn(copy, nackaField, 4).drafts)).toEqual([inCopy.checkinId]);
  });

  it('finds open check-ins in a state restored from JSON (a snapshot)', () => {
    const restored = JSON.parse(JSON.stringify(world)) as State;
    expect(checkedOut(checkIn(restored, nackaField, 100).drafts)).toEqual([OPEN_CHECKIN]);
    expect(checkedOut(checkIn(restored, polisen, 100).drafts)).toEqual([]);
  });
});
