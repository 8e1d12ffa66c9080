import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES, parseCommand, type Command } from './commands.js';
import type { Position } from './geo.js';
import { LIMITS } from './limits.js';
import {
  buildAcknowledgeCommand,
  buildActionItemRecordCommand,
  buildActionItemStatusCommand,
  buildActivateCommand,
  buildArea,
  buildCheckinCommand,
  buildCheckoutCommand,
  buildCloseCommand,
  buildConferenceApproveMinutesCommand,
  buildConferenceAssessCommand,
  buildConferenceCloseCommand,
  buildConferenceOpenCommand,
  buildConferenceRescheduleCommand,
  buildConferenceRollCallCommand,
  buildConferenceRoundCommand,
  buildConferenceScheduleCommand,
  buildConferenceSetNextCommand,
  buildConferenceStepCommand,
  buildDirectiveConfirmCommand,
  buildDirectiveContent,
  buildDirectiveCosignCommand,
  buildDirectiveDecideCommand,
  buildDirectiveDraftCommand,
  buildDirectiveReportCommand,
  buildDirectiveTemplate,
  buildFieldReportCommand,
  buildJointMessageApproveCommand,
  buildJointMessageCancelCommand,
  buildJointMessageDraftCommand,
  buildJointMessagePublishCommand,
  buildJointMessageRequestChangeCommand,
  buildLogEntryCommand,
  buildMessageContent,
  buildMessageText,
  buildMapFeature,
  buildNeedSettleCommand,
  buildOfferAnswerCommand,
  buildOfferMakeCommand,
  buildReadinessCommand,
  buildReportCommand,
  buildRequestCommand,
  buildTemplateRemoveCommand,
  buildTemplateRestoreCommand,
  buildTemplateSaveCommand,
  buildUpdateCommand,
  cloneJson,
  named,
  testUuid,
} from './testing/test-factories.js';

const validCommands: Command[] = [
  buildRequestCommand(),
  buildActivateCommand(),
  buildUpdateCommand(),
  buildCloseCommand(),
  buildReadinessCommand(),
  buildAcknowledgeCommand(),
  buildReportCommand({ features: [buildMapFeature()] }),
  buildFieldReportCommand({ position: null, sharing: { scope: 'own' } }),
  buildCheckinCommand({ position: { lat: 59.3, lng: 18.1 } }),
  buildCheckoutCommand(),
  buildLogEntryCommand({ sharing: { scope: 'actors', actorIds: ['nacka'] } }),
  buildConferenceScheduleCommand({
    incidentId: null,
    convenerActorId: 'lansstyrelsen',
    summonedActorIds: ['nacka', 'polisen'],
    dialIn: 'Teams: https://example.org/meet/ssr, PIN 1234',
    recurrence: { weekday: 2, time: '09:00' },
  }),
  buildConferenceRescheduleCommand({ dialIn: 'Rakel talkgroup SSR-1' }),
  buildConferenceOpenCommand(),
  buildConferenceStepCommand({ fromStep: 'assessment', toStep: 'rollCall' }),
  buildConferenceRollCallCommand({
    presence: 'represented',
    representedBy: { actorId: 'stockholm', functionId: 'coordinator' },
  }),
  buildConferenceRoundCommand({ reported: false, note: '' }),
  buildConferenceAssessCommand({ baseVersion: 0, uncertainties: '' }),
  buildConferenceSetNextCommand({ nextConferenceAt: null }),
  buildConferenceCloseCommand(),
  buildConferenceApproveMinutesCommand({
    version: 2,
    correction: 'Nacka’s round note was cut short',
    roundNotes: { nacka: 'Two care homes on generators, a third at risk' },
    assessment: {
      situation: 'Gale',
      expectedDevelopment: 'Easing',
      consequences: 'Power cuts',
      uncertainties: '',
    },
  }),
  buildActionItemRecordCommand({ kind: 'action', dueAt: null }),
  buildActionItemStatusCommand({ status: 'cancelled' }),
  buildOfferMakeCommand({ quantity: '', note: 'From the depot in Gustavsberg' }),
  buildOfferAnswerCommand({ answer: 'declined' }),
  buildNeedSettleCommand({ coverage: 'partlyCovered', note: 'One generator still missing' }),
  buildReadinessCommand({
    decision: {
      level: 'highest',
      scope: 'parts',
      parts: 'Gotland',
      decisionRef: 'Fö2026/1',
      decisionDate: null,
    },
  }),
  buildDirectiveDraftCommand({ templateId: 'storm', content: buildDirectiveContent({ area: buildArea() }) }),
  buildDirectiveDecideCommand({ baseVersion: 2 }),
  buildDirectiveCosignCommand(),
  buildDirectiveConfirmCommand(),
  buildDirectiveReportCommand({ outcome: 'notDone', text: '' }),
  buildTemplateSaveCommand(),
  buildTemplateRemoveCommand(),
  buildTemplateRestoreCommand(),
  buildJointMessageDraftCommand({
    content: buildMessageContent({
      texts: {
        sv: buildMessageText(),
        en: buildMessageText({ headline: 'Storm warning: stay indoors tonight' }),
        svEasy: buildMessageText({ headline: 'Storm i kväll. Stanna inne.', whatToDo: '' }),
      },
      exercise: true,
      directiveId: testUuid(0xd0),
    }),
  }),
  buildJointMessageApproveCommand({ comment: 'Godkänt för Nacka' }),
  buildJointMessageRequestChangeCommand(),
  buildJointMessagePublishCommand({ channel: 'vma', note: 'Begärt via räddningstjänsten' }),
  buildJointMessageCancelCommand(),
];

/** What arrives over the wire: plain JSON, not the factory's objects. */
const wire = (command: Command): Record<string, unknown> => cloneJson(command);

/** A wire command with its payload changed, e.g. a field replaced by something malformed. */
const withPayload = (
  command: Command,
  change: (payload: Record<string, unknown>) => void,
): Record<string, unknown> => {
  const input = wire(command);
  const payload: Record<string, unknown> = cloneJson(command.payload);
  change(payload);
  return { ...input, payload };
};

const polygon = (ring: Position[]) => ({ type: 'Polygon', coordinates: [ring] });
/** A closed ring of `count` positions around Stockholm (the last repeats the first). */
const ring = (count: number): Position[] => {
  const open = Array.from({ length: count - 1 }, (_, i): Position => {
    const angle = (2 * Math.PI * i) / (count - 1);
    return [18 + 0.1 * Math.cos(angle), 59.3 + 0.05 * Math.sin(angle)];
  });
  return [...open, ...open.slice(0, 1)];
};
const features = (count: number) =>
  Array.from({ length: count }, (_, i) => buildMapFeature({ id: testUuid(10_000 + i) }));

const report = buildReportCommand();
const activate = buildActivateCommand();
const longText = 'x'.repeat(LIMITS.maxTextLength + 1);
const longShort = 'x'.repeat(LIMITS.maxShortTextLength + 1);

type Rejection = { name: string; input: unknown; code: 'bad_request' | 'unknown_command'; mentions?: RegExp };

const rejections: Rejection[] = [
  { name: 'rejects null', input: null, code: 'bad_request' },
  { name: 'rejects a string', input: 'incident.activate', code: 'bad_request' },
  { name: 'rejects a number', input: 42, code: 'bad_request' },
  { name: 'rejects an array', input: [wire(activate)], code: 'bad_request' },
  { name: 'rejects nothing at all', input: undefined, code: 'bad_request' },
  {
    name: 'rejects a command without an id',
    input: { type: 'incident.close', payload: buildCloseCommand().payload },
    code: 'bad_request',
    mentions: /id/,
  },
  {
    name: 'rejects an id that is not a UUID',
    input: { ...wire(activate), id: 'activate-1' },
    code: 'bad_request',
    mentions: /UUID/,
  },
  { name: 'rejects an id that is a number', input: { ...wire(activate), id: 1 }, code: 'bad_request' },
  {
    name: 'rejects a command without a type',
    input: { id: testUuid(1), payload: {} },
    code: 'bad_request',
    mentions: /type/,
  },
  { name: 'rejects a type that is not a string', input: { ...wire(activate), type: 7 }, code: 'bad_request' },
  { name: 'rejects an empty type', input: { ...wire(activate), type: '' }, code: 'bad_request' },
  {
    name: 'names an unknown command type as such',
    input: { ...wire(activate), type: 'incident.explode' },
    code: 'unknown_command',
    mentions: /Unknown command type "incident\.explode"/,
  },
  {
    name: 'treats inherited property names as unknown command types',
    input: { ...wire(activate), type: 'toString' },
    code: 'unknown_command',
  },
  {
    name: 'treats __proto__ as an unknown command type',
    input: { ...wire(activate), type: '__proto__' },
    code: 'unknown_command',
  },
  {
    name: 'rejects a command without a payload',
    input: { id: testUuid(1), type: 'incident.close' },
    code: 'bad_request',
  },
  {
    name: 'rejects a payload that is not an object',
    input: { ...wire(activate), payload: 'everything' },
    code: 'bad_request',
  },
  {
    name: 'rejects unknown fields next to id, type and payload',
    input: { ...wire(activate), priority: 'high' },
    code: 'bad_request',
    mentions: /priority/,
  },
  {
    name: 'rejects unknown fields in the payload',
    input: withPayload(activate, (p) => (p.severity = 5)),
    code: 'bad_request',
    mentions: /severity/,
  },
  {
    name: 'rejects unknown fields deep in a map feature',
    input: withPayload(report, (p) => (p.features = [{ ...buildMapFeature(), colour: 'red' }])),
    code: 'bad_request',
    mentions: /colour/,
  },
  {
    name: 'rejects unknown fields in a sharing level',
    input: withPayload(report, (p) => (p.sharing = { scope: 'region', alsoPublic: true })),
    code: 'bad_request',
  },
  {
    name: 'rejects a __proto__ key at the top level',
    input: JSON.parse(
      `{"id":"${testUuid(1)}","type":"readiness.set","payload":{"heightened":true,"note":""},"__proto__":{"admin":true}}`,
    ),
    code: 'bad_request',
    mentions: /__proto__/,
  },
  {
    name: 'rejects a __proto__ key in the payload',
    input: JSON.parse(
      `{"id":"${testUuid(1)}","type":"readiness.set","payload":{"heightened":true,"note":"","__proto__":{"admin":true}}}`,
    ),
    code: 'bad_request',
    mentions: /__proto__/,
  },
  {
    name: 'rejects a __proto__ key in a nested object',
    input: withPayload(
      report,
      (p) => (p.sharing = JSON.parse('{"scope":"region","__proto__":{"scope":"own"}}')),
    ),
    code: 'bad_request',
  },
  {
    name: 'rejects a boolean given as a string',
    input: withPayload(buildReadinessCommand(), (p) => (p.heightened = 'yes')),
    code: 'bad_request',
    mentions: /heightened/,
  },
  {
    name: 'rejects a title given as a number',
    input: withPayload(activate, (p) => (p.title = 42)),
    code: 'bad_request',
  },
  {
    name: 'rejects map features that are not a list',
    input: withPayload(report, (p) => (p.features = buildMapFeature())),
    code: 'bad_request',
  },
  {
    name: 'rejects an unknown actor status',
    input: withPayload(report, (p) => (p.status = 'panic')),
    code: 'bad_request',
  },
  {
    name: 'rejects an unknown incident kind',
    input: withPayload(activate, (p) => (p.kind = 'zombies')),
    code: 'bad_request',
  },
  {
    name: 'rejects a conference time that is not a timestamp',
    input: withPayload(activate, (p) => (p.nextConferenceAt = 'tomorrow at ten')),
    code: 'bad_request',
  },
  {
    name: 'rejects a conference time without a time zone',
    input: withPayload(activate, (p) => (p.nextConferenceAt = '2024-05-01T10:00:00')),
    code: 'bad_request',
  },
  {
    name: 'rejects an incident id that is not a UUID',
    input: withPayload(buildCloseCommand(), (p) => (p.incidentId = 'storm')),
    code: 'bad_request',
  },
  {
    name: 'rejects an actor id that is not a slug',
    input: withPayload(activate, (p) => (p.summonedActorIds = ['Nacka kommun'])),
    code: 'bad_request',
  },
  {
    name: 'rejects a title of only spaces',
    input: withPayload(activate, (p) => (p.title = '   ')),
    code: 'bad_request',
  },
  {
    name: 'rejects a log line of only spaces',
    input: withPayload(buildLogEntryCommand(), (p) => (p.text = ' \n ')),
    code: 'bad_request',
  },
  {
    name: 'rejects a too long title',
    input: withPayload(activate, (p) => (p.title = longShort)),
    code: 'bad_request',
  },
  {
    name: 'rejects a too long request reason',
    input: withPayload(buildRequestCommand(), (p) => (p.reason = longText)),
    code: 'bad_request',
  },
  {
    name: 'rejects a too long description',
    input: withPayload(activate, (p) => (p.description = longText)),
    code: 'bad_request',
  },
  {
    name: 'rejects a too long report field',
    input: withPayload(report, (p) => (p.needs = longText)),
    code: 'bad_request',
  },
  {
    name: 'rejects a too long log line',
    input: withPayload(buildLogEntryCommand(), (p) => (p.text = longText)),
    code: 'bad_request',
  },
  {
    name: 'rejects a too long closing summary',
    input: withPayload(buildCloseCommand(), (p) => (p.summary = longText)),
    code: 'bad_request',
  },
  {
    name: 'rejects a too long check-in note',
    input: withPayload(buildCheckinCommand(), (p) => (p.note = longText)),
    code: 'bad_request',
  },
  {
    name: 'rejects a too long map label',
    input: withPayload(report, (p) => (p.features = [buildMapFeature({ label: longShort })])),
    code: 'bad_request',
  },
  {
    name: 'rejects summoning more actors than a list may hold',
    input: withPayload(
      activate,
      (p) =>
        (p.summonedActorIds = Array.from({ length: LIMITS.maxActorsPerList + 1 }, (_, i) => `actor-${i}`)),
    ),
    code: 'bad_request',
  },
  {
    name: 'rejects sharing with more actors than a list may hold',
    input: withPayload(
      report,
      (p) =>
        (p.sharing = {
          scope: 'actors',
          actorIds: Array.from({ length: LIMITS.maxActorsPerList + 1 }, (_, i) => `actor-${i}`),
        }),
    ),
    code: 'bad_request',
  },
  {
    name: 'rejects sharing with an empty list of actors',
    input: withPayload(report, (p) => (p.sharing = { scope: 'actors', actorIds: [] })),
    code: 'bad_request',
  },
  {
    name: 'rejects a polygon ring that does not end where it starts',
    input: withPayload(
      activate,
      (p) =>
        (p.area = polygon([
          [18, 59],
          [18.1, 59],
          [18.1, 59.1],
          [18, 59.1],
        ])),
    ),
    code: 'bad_request',
    mentions: /ring must end where it starts/,
  },
  {
    name: 'rejects a polygon ring of fewer than four positions',
    input: withPayload(
      activate,
      (p) =>
        (p.area = polygon([
          [18, 59],
          [18.1, 59],
          [18, 59],
        ])),
    ),
    code: 'bad_request',
  },
  {
    name: 'rejects a polygon with more positions than a geometry may hold',
    input: withPayload(activate, (p) => (p.area = polygon(ring(LIMITS.maxPositionsPerGeometry + 1)))),
    code: 'bad_request',
    mentions: /at most 2000 positions/,
  },
  {
    name: 'rejects a line with more positions than a geometry may hold',
    input: withPayload(
      report,
      (p) =>
        (p.features = [
          buildMapFeature({
            geometry: { type: 'LineString', coordinates: ring(LIMITS.maxPositionsPerGeometry + 1) },
          }),
        ]),
    ),
    code: 'bad_request',
  },
  {
    name: 'rejects a line of one position',
    input: withPayload(
      report,
      (p) => (p.features = [buildMapFeature({ geometry: { type: 'LineString', coordinates: [[18, 59]] } })]),
    ),
    code: 'bad_request',
  },
  {
    name: 'rejects a longitude beyond 180',
    input: withPayload(
      report,
      (p) => (p.features = [buildMapFeature({ geometry: { type: 'Point', coordinates: [181, 59] } })]),
    ),
    code: 'bad_request',
  },
  {
    name: 'rejects a latitude beyond 90',
    input: withPayload(
      report,
      (p) => (p.features = [buildMapFeature({ geometry: { type: 'Point', coordinates: [18, 91] } })]),
    ),
    code: 'bad_request',
  },
  {
    name: 'rejects a polygon corner below -90 latitude',
    input: withPayload(
      activate,
      (p) =>
        (p.area = polygon([
          [18, 59],
          [18.1, -91],
          [18.1, 59.1],
          [18, 59],
        ])),
    ),
    code: 'bad_request',
  },
  {
    name: 'rejects a point with three coordinates',
    input: withPayload(
      report,
      (p) =>
        (p.features = [{ ...buildMapFeature(), geometry: { type: 'Point', coordinates: [18, 59, 10] } }]),
    ),
    code: 'bad_request',
  },
  {
    name: 'rejects a check-in position off the globe',
    input: withPayload(buildCheckinCommand(), (p) => (p.position = { lat: 59.3, lng: -181 })),
    code: 'bad_request',
  },
  {
    name: 'rejects an unknown geometry type',
    input: withPayload(
      report,
      (p) => (p.features = [{ ...buildMapFeature(), geometry: { type: 'Circle', coordinates: [18, 59] } }]),
    ),
    code: 'bad_request',
  },
  {
    name: 'rejects a field report without a type of event',
    input: withPayload(buildFieldReportCommand(), (p) => (p.eventType = '   ')),
    code: 'bad_request',
    mentions: /eventType/,
  },
  {
    name: "rejects a field report that tries to set the actor's status",
    input: withPayload(buildFieldReportCommand(), (p) => (p.status = 'strained')),
    code: 'bad_request',
    mentions: /status/,
  },
  {
    name: 'rejects a field report position off the globe',
    input: withPayload(buildFieldReportCommand(), (p) => (p.position = { lat: 91, lng: 18 })),
    code: 'bad_request',
  },
  {
    name: 'rejects a field report text longer than the limit',
    input: withPayload(buildFieldReportCommand(), (p) => (p.hazards = longText)),
    code: 'bad_request',
    mentions: /hazards/,
  },
  {
    name: 'rejects more map features than a report may carry',
    input: withPayload(report, (p) => (p.features = features(LIMITS.maxFeaturesPerReport + 1))),
    code: 'bad_request',
  },
  {
    name: 'rejects a decision without an owner',
    input: withPayload(buildActionItemRecordCommand(), (p) => delete p.ownerActorId),
    code: 'bad_request',
    mentions: /ownerActorId/,
  },
  {
    name: 'rejects a decision with an empty text',
    input: withPayload(buildActionItemRecordCommand(), (p) => (p.text = '   ')),
    code: 'bad_request',
    mentions: /text/,
  },
  {
    name: 'rejects an item that is neither a decision nor an action',
    input: withPayload(buildActionItemRecordCommand(), (p) => (p.kind = 'wish')),
    code: 'bad_request',
    mentions: /kind/,
  },
  {
    name: 'rejects an item status that does not exist',
    input: withPayload(buildActionItemStatusCommand(), (p) => (p.status = 'postponed')),
    code: 'bad_request',
    mentions: /status/,
  },
  {
    name: 'rejects a conference without a title',
    input: withPayload(buildConferenceScheduleCommand(), (p) => (p.title = '  ')),
    code: 'bad_request',
    mentions: /title/,
  },
  {
    name: 'rejects a conference time that is not a time',
    input: withPayload(buildConferenceScheduleCommand(), (p) => (p.scheduledAt = 'tomorrow at nine')),
    code: 'bad_request',
    mentions: /scheduledAt/,
  },
  {
    name: 'rejects a recurrence on an eighth weekday',
    input: withPayload(
      buildConferenceScheduleCommand(),
      (p) => (p.recurrence = { weekday: 8, time: '09:00' }),
    ),
    code: 'bad_request',
    mentions: /recurrence/,
  },
  {
    name: 'rejects a recurrence time that is not "HH:MM"',
    input: withPayload(
      buildConferenceScheduleCommand(),
      (p) => (p.recurrence = { weekday: 2, time: '9:00' }),
    ),
    code: 'bad_request',
    mentions: /HH:MM/,
  },
  {
    name: 'rejects a dial-in longer than the limit',
    input: withPayload(
      buildConferenceRescheduleCommand(),
      (p) => (p.dialIn = 'x'.repeat(LIMITS.maxDialInLength + 1)),
    ),
    code: 'bad_request',
    mentions: /dialIn/,
  },
  {
    name: 'rejects a step that is not on the agenda',
    input: withPayload(buildConferenceStepCommand(), (p) => (p.toStep = 'coffee')),
    code: 'bad_request',
    mentions: /toStep/,
  },
  {
    name: 'rejects a presence that does not exist',
    input: withPayload(buildConferenceRollCallCommand(), (p) => (p.presence = 'late')),
    code: 'bad_request',
    mentions: /presence/,
  },
  {
    name: 'rejects a representation without the function',
    input: withPayload(buildConferenceRollCallCommand(), (p) => {
      p.presence = 'represented';
      p.representedBy = { actorId: 'stockholm' };
    }),
    code: 'bad_request',
    mentions: /functionId/,
  },
  {
    name: 'rejects an assessment part longer than the limit',
    input: withPayload(buildConferenceAssessCommand(), (p) => (p.situation = longText)),
    code: 'bad_request',
    mentions: /situation/,
  },
  {
    name: 'rejects minutes version 0',
    input: withPayload(buildConferenceApproveMinutesCommand(), (p) => (p.version = 0)),
    code: 'bad_request',
    mentions: /version/,
  },
  {
    name: 'rejects a close without the id of the next conference',
    input: withPayload(buildConferenceCloseCommand(), (p) => delete p.nextConferenceId),
    code: 'bad_request',
    mentions: /nextConferenceId/,
  },
  {
    name: 'rejects a next conference time left out (null clears it)',
    input: withPayload(buildConferenceSetNextCommand(), (p) => delete p.nextConferenceAt),
    code: 'bad_request',
    mentions: /nextConferenceAt/,
  },
  {
    name: 'rejects an offer of nothing',
    input: withPayload(buildOfferMakeCommand(), (p) => (p.what = ' ')),
    code: 'bad_request',
    mentions: /what/,
  },
  {
    name: 'rejects an offer without a time it is available',
    input: withPayload(buildOfferMakeCommand(), (p) => delete p.availableAt),
    code: 'bad_request',
    mentions: /availableAt/,
  },
  {
    name: 'rejects an answer to an offer other than accept or decline',
    input: withPayload(buildOfferAnswerCommand(), (p) => (p.answer = 'maybe')),
    code: 'bad_request',
    mentions: /answer/,
  },
  {
    name: 'rejects a coverage that does not exist',
    input: withPayload(buildNeedSettleCommand(), (p) => (p.coverage = 'mostly')),
    code: 'bad_request',
    mentions: /coverage/,
  },
  {
    name: 'rejects a directive without a purpose',
    input: withPayload(
      buildDirectiveDraftCommand(),
      (p) => (p.content = buildDirectiveContent({ purpose: ' ' })),
    ),
    code: 'bad_request',
    mentions: /purpose/,
  },
  {
    name: 'rejects a directive item without an owner',
    input: withPayload(buildDirectiveDraftCommand(), (p) => {
      p.content = { ...buildDirectiveContent(), items: [{ id: testUuid(0xd1), text: 'Öppna' }] };
    }),
    code: 'bad_request',
    mentions: /ownerActorId/,
  },
  {
    name: 'rejects more directive items than the limit',
    input: withPayload(buildDirectiveDraftCommand(), (p) => {
      const items = Array.from({ length: LIMITS.maxDirectiveItems + 1 }, (_, i) => ({
        id: testUuid(20_000 + i),
        text: 'Öppna',
        ownerActorId: 'nacka',
      }));
      p.content = { ...buildDirectiveContent(), items };
    }),
    code: 'bad_request',
    mentions: /items/,
  },
  {
    name: 'rejects a draft without the version it was written on',
    input: withPayload(buildDirectiveDraftCommand(), (p) => delete p.baseVersion),
    code: 'bad_request',
    mentions: /baseVersion/,
  },
  {
    name: 'rejects co-signing version 0',
    input: withPayload(buildDirectiveCosignCommand(), (p) => (p.version = 0)),
    code: 'bad_request',
    mentions: /version/,
  },
  {
    name: 'rejects an item outcome that does not exist',
    input: withPayload(buildDirectiveReportCommand(), (p) => (p.outcome = 'mostly')),
    code: 'bad_request',
    mentions: /outcome/,
  },
  {
    name: 'rejects a template item for an unknown kind of actor',
    input: withPayload(buildTemplateSaveCommand(), (p) => {
      p.template = buildDirectiveTemplate({ items: [] });
      (p.template as { items: unknown[] }).items.push({ actorKind: 'wizards', text: 'Trolla' });
    }),
    code: 'bad_request',
    mentions: /actorKind/,
  },
  {
    name: 'rejects a template with 10,000 items',
    input: withPayload(buildTemplateSaveCommand(), (p) => {
      const items = Array.from({ length: 10_000 }, () => ({ actorKind: 'municipality', text: 'Öppna' }));
      p.template = { ...buildDirectiveTemplate(), items };
    }),
    code: 'bad_request',
    mentions: /items/,
  },
  {
    name: 'rejects a joint message with an empty core message',
    input: withPayload(buildJointMessageDraftCommand(), (p) => {
      p.content = buildMessageContent({
        texts: { sv: buildMessageText({ core: '  ' }), en: null, svEasy: null },
      });
    }),
    code: 'bad_request',
    mentions: /content\.texts\.sv\.core/,
  },
  {
    name: 'rejects a joint message headline over the limit',
    input: withPayload(buildJointMessageDraftCommand(), (p) => {
      const headline = 'x'.repeat(LIMITS.maxMessageHeadlineLength + 1);
      p.content = buildMessageContent({
        texts: { sv: buildMessageText({ headline }), en: null, svEasy: null },
      });
    }),
    code: 'bad_request',
    mentions: /headline/,
  },
  {
    name: 'rejects a joint message in a language it does not offer',
    input: withPayload(buildJointMessageDraftCommand(), (p) => {
      p.content = {
        ...buildMessageContent(),
        texts: { sv: buildMessageText(), en: null, svEasy: null, de: null },
      };
    }),
    code: 'bad_request',
    mentions: /"de"/,
  },
  {
    name: 'rejects a joint message without approvers',
    input: withPayload(buildJointMessageDraftCommand(), (p) => (p.approverActorIds = [])),
    code: 'bad_request',
    mentions: /approverActorIds/,
  },
  {
    name: 'rejects a joint message channel that is not a web address',
    input: withPayload(buildJointMessageDraftCommand(), (p) => {
      p.content = {
        ...buildMessageContent(),
        moreInfo: {
          channels: [{ actorId: 'nacka', url: 'javascript:alert(1)' }],
          phone11313: false,
          krisinformation: false,
        },
      };
    }),
    code: 'bad_request',
    mentions: /url/,
  },
  {
    name: 'rejects a request for a change that does not say what',
    input: withPayload(buildJointMessageRequestChangeCommand(), (p) => (p.comment = '   ')),
    code: 'bad_request',
    mentions: /say what should change/,
  },
  {
    name: 'rejects a publication channel that does not exist',
    input: withPayload(buildJointMessagePublishCommand(), (p) => (p.channel = 'carrierPigeon')),
    code: 'bad_request',
    mentions: /channel/,
  },
  {
    name: 'rejects cancelling a message without a reason',
    input: withPayload(buildJointMessageCancelCommand(), (p) => (p.reason = '')),
    code: 'bad_request',
    mentions: /reason/,
  },
  {
    name: 'rejects a readiness decision of an unknown level',
    input: withPayload(buildReadinessCommand(), (p) => {
      p.decision = { level: 'extreme', scope: 'country', parts: '', decisionRef: 'x', decisionDate: null };
    }),
    code: 'bad_request',
    mentions: /level/,
  },
];

describe('parseCommand', () => {
  it.each(named(validCommands.map((command) => ({ name: `accepts a valid ${command.type}`, command }))))(
    '%s',
    (_name, { command }) => {
      expect(parseCommand(wire(command))).toEqual({ ok: true, command });
    },
  );

  it('has a valid example of every command type', () => {
    expect(new Set(validCommands.map((c) => c.type))).toEqual(new Set(COMMAND_TYPES));
  });

  it.each(named(rejections))('%s', (_name, { input, code, mentions }) => {
    const result = parseCommand(input);
    expect(result).toMatchObject({ ok: false, code });
    if (result.ok) return;
    expect(result.message.length).toBeGreaterThan(0);
    if (mentions) expect(result.message).toMatch(mentions);
  });

  it('accepts every limit exactly', () => {
    const atLimits = [
      withPayload(activate, (p) => {
        p.title = 'x'.repeat(LIMITS.maxShortTextLength);
        p.description = 'x'.repeat(LIMITS.maxTextLength);
        p.area = polygon(ring(LIMITS.maxPositionsPerGeometry));
        p.summonedActorIds = Array.from({ length: LIMITS.maxActorsPerList }, (_, i) => `actor-${i}`);
      }),
      withPayload(report, (p) => (p.features = features(LIMITS.maxFeaturesPerReport))),
      withPayload(buildLogEntryCommand(), (p) => (p.text = 'x'.repeat(LIMITS.maxTextLength))),
      withPayload(buildConferenceScheduleCommand(), (p) => (p.dialIn = 'x'.repeat(LIMITS.maxDialInLength))),
    ];
    for (const input of atLimits) expect(parseCommand(input)).toMatchObject({ ok: true });
  });

  it('trims titles and gives map features an empty label when none is sent', () => {
    const input = withPayload(report, (p) => {
      const { label: _label, ...feature } = buildMapFeature({ id: testUuid(5) });
      p.features = [feature];
    });
    const titled = withPayload(activate, (p) => (p.title = '  Storm Ylva \n'));
    const parsedReport = parseCommand(input);
    const parsedActivate = parseCommand(titled);
    expect(
      parsedReport.ok &&
        parsedReport.command.type === 'report.submit' &&
        parsedReport.command.payload.features[0]?.label,
    ).toBe('');
    expect(
      parsedActivate.ok &&
        parsedActivate.command.type === 'incident.activate' &&
        parsedActivate.command.payload.title,
    ).toBe('Storm Ylva');
  });
});
