import { describe, expect, it } from 'vitest';
import { apply } from './apply.js';
import { COMMAND_TYPES, parseCommand, type Command } from './commands.js';
import { decide } from './decide.js';
import { directiveCommandPayloads } from './directive-commands.js';
import { DIRECTIVE_FIELDS, type DirectiveContent } from './directive-model.js';
import { confirmationOf, inForce, upcomingVersion } from './directive-selectors.js';
import { draftTemplateContent } from './directive-templates.js';
import type { EventDraft } from './events.js';
import { stateHash } from './hash.js';
import type { Attribution, State } from './model.js';
import type { ErrorCode } from './result.js';
import {
  buildActivateCommand,
  buildAttribution,
  buildCloseCommand,
  buildDirectingAttribution,
  buildDirectiveConfirmCommand,
  buildDirectiveContent,
  buildDirectiveCosignCommand,
  buildDirectiveDecideCommand,
  buildDirectiveDraftCommand,
  buildDirectiveReportCommand,
  buildDirectiveTemplate,
  buildEvent,
  buildReadinessCommand,
  buildRequestCommand,
  buildTemplateRemoveCommand,
  buildTemplateRestoreCommand,
  buildTemplateSaveCommand,
  decideDraftStep,
  deepFreeze,
  draftSeqOf,
  minutesAfterNow,
  named,
  runCommands,
  stockholmRegion,
  testUuid,
  type Step,
} from './testing/test-factories.js';

// The directive commands against one region, folded through the real `decide` and `apply`.
// Every expected answer is written out by hand from the history below.

const region = stockholmRegion();
const m = minutesAfterNow;
/** The hub's time for every decision below: after the whole history. */
const NOW = m(30);

const leadTib = buildAttribution();
const leadCoord = buildAttribution({
  userId: 'user-lansstyrelsen-coord',
  userName: 'Lars Lund',
  functionId: 'coordinator',
});
const head = buildDirectingAttribution();
const healthHead = buildDirectingAttribution({
  userId: 'user-region-directing',
  userName: 'Rut Regiondirektör',
  actorId: 'region-stockholm',
});
const nackaTib = buildAttribution({ userId: 'user-nacka-tib', userName: 'Nils Nord', actorId: 'nacka' });
const healthTib = buildAttribution({
  userId: 'user-region',
  userName: 'Hanna Hälsa',
  actorId: 'region-stockholm',
});
const admin = buildAttribution({ userId: 'user-admin', userName: 'Ada Admin', functionId: 'admin' });

const INCIDENT = testUuid(1);
const REQUESTED = testUuid(2);
const CLOSED_INCIDENT = testUuid(3);
const OTHER_INCIDENT = testUuid(4);
/** Drafted by the lead's coordinator, never decided. */
const DRAFTED = testUuid(10);
/** Version 1 in force; Nacka confirmed and reported its item; a redraft the same as v1 waits. */
const DECIDED = testUuid(11);
/** Version 1 expired at m(20); Nacka confirmed its item before. */
const EXPIRED = testUuid(12);
/** Version 1 in force, and a draft of version 2 with a new purpose. */
const REDRAFTED = testUuid(13);
/** A draft whose validity ended at m(20), before anybody decided it. */
const LAPSED_DRAFT = testUuid(14);
/** Version 1 decided and a draft of version 2, on an incident closed since. */
const OF_CLOSED = testUuid(15);
/** A draft made under heightened readiness, which has been lifted since. */
const UNDER_READINESS = testUuid(16);
/** A draft begun from the app's small template at m(2). */
const TEMPLATED = testUuid(17);
const NEW = testUuid(20);
const UNKNOWN = testUuid(99);
// One directive per incident: each directive of the history has its own.
const INCIDENT_OF: Record<string, string> = {
  [DRAFTED]: testUuid(30),
  [DECIDED]: testUuid(31),
  [EXPIRED]: testUuid(32),
  [REDRAFTED]: testUuid(33),
  [LAPSED_DRAFT]: testUuid(34),
  [OF_CLOSED]: CLOSED_INCIDENT,
  [UNDER_READINESS]: testUuid(36),
  [TEMPLATED]: testUuid(37),
  [NEW]: INCIDENT,
};
/** The incident of a directive of the history (INCIDENT, free, for a new one). */
const incidentOf = (directiveId: string): string => INCIDENT_OF[directiveId] ?? INCIDENT;
const NACKA_ITEM = testUuid(0xd1);
const HEALTH_ITEM = testUuid(0xd2);

const NACKA_TASK = { id: NACKA_ITEM, text: 'Öppna trygghetspunkter', ownerActorId: 'nacka' };
const HEALTH_TASK = {
  id: HEALTH_ITEM,
  text: 'Säkra reservkraft på sjukhusen',
  ownerActorId: 'region-stockholm',
};
const CONTENT = buildDirectiveContent({ items: [NACKA_TASK, HEALTH_TASK] });
const EXPIRING = buildDirectiveContent({ validUntil: m(20), reviewAt: null });
const LAPSING = buildDirectiveContent({ validUntil: m(20) });
const NEW_PURPOSE = buildDirectiveContent({ purpose: 'Återställa elförsörjningen' });
/** The prepared directive saved through the app: one item for the county board, one for the health region. */
const SMALL_TEMPLATE = buildDirectiveTemplate({
  id: 'test-small',
  items: [
    { actorKind: 'countyBoard', text: 'Samordna lägesbilden' },
    { actorKind: 'healthRegion', text: 'Prioritera vården' },
  ],
});
const GOVERNMENT = {
  level: 'heightened',
  scope: 'country',
  parts: '',
  decisionRef: 'Fö2026/01234',
  decisionDate: '2026-01-10T00:00:00.000Z',
} as const;

/** A draft of the directive on its own incident (or `incidentId`), rewriting `baseDraftSeq`. */
const draft = (
  directiveId: string,
  content: DirectiveContent,
  baseVersion = 0,
  incidentId = incidentOf(directiveId),
  baseDraftSeq: number | null = null,
) => buildDirectiveDraftCommand({ directiveId, incidentId, content, baseVersion, baseDraftSeq });

const activate = (incidentId: string): Step => ({
  command: buildActivateCommand({ incidentId, area: null }),
  by: leadTib,
  at: m(1),
});

const history: Step[] = [
  ...[INCIDENT, OTHER_INCIDENT, CLOSED_INCIDENT, ...Object.values(INCIDENT_OF)]
    .filter((id, i, all) => all.indexOf(id) === i)
    .map(activate),
  { command: buildRequestCommand({ incidentId: REQUESTED }), by: nackaTib, at: m(1) },
  { command: buildTemplateSaveCommand({ template: SMALL_TEMPLATE }), by: admin, at: m(1) },
  { command: buildTemplateRemoveCommand({ templateId: 'pandemi' }), by: admin, at: m(1) },
  { command: draft(DRAFTED, CONTENT), by: leadCoord, at: m(2) },
  { command: draft(DECIDED, CONTENT), by: leadCoord, at: m(2) },
  { command: decideDraftStep({ directiveId: DECIDED }), by: head, at: m(3) },
  { command: buildDirectiveConfirmCommand({ directiveId: DECIDED }), by: nackaTib, at: m(4) },
  {
    command: buildDirectiveReportCommand({ directiveId: DECIDED, outcome: 'partlyDone', text: 'Två av tre' }),
    by: nackaTib,
    at: m(5),
  },
  { command: draft(DECIDED, CONTENT, 1), by: leadCoord, at: m(6) },
  { command: draft(EXPIRED, EXPIRING), by: leadCoord, at: m(2) },
  { command: decideDraftStep({ directiveId: EXPIRED }), by: head, at: m(3) },
  { command: buildDirectiveConfirmCommand({ directiveId: EXPIRED }), by: nackaTib, at: m(4) },
  { command: draft(REDRAFTED, CONTENT), by: leadCoord, at: m(2) },
  { command: decideDraftStep({ directiveId: REDRAFTED }), by: head, at: m(3) },
  { command: draft(REDRAFTED, NEW_PURPOSE, 1), by: leadCoord, at: m(7) },
  { command: draft(LAPSED_DRAFT, LAPSING), by: leadCoord, at: m(2) },
  { command: draft(OF_CLOSED, CONTENT), by: leadCoord, at: m(2) },
  { command: decideDraftStep({ directiveId: OF_CLOSED }), by: head, at: m(3) },
  { command: draft(OF_CLOSED, NEW_PURPOSE, 1), by: leadCoord, at: m(4) },
  {
    command: buildDirectiveDraftCommand({
      directiveId: TEMPLATED,
      incidentId: incidentOf(TEMPLATED),
      content: CONTENT,
      templateId: 'test-small',
    }),
    by: leadCoord,
    at: m(2),
  },
  { command: buildCloseCommand({ incidentId: CLOSED_INCIDENT }), by: leadTib, at: m(8) },
  { command: buildReadinessCommand({ decision: GOVERNMENT }), by: leadTib, at: m(9) },
  { command: draft(UNDER_READINESS, { ...CONTENT, underReadiness: true }), by: leadCoord, at: m(10) },
  {
    command: buildReadinessCommand({
      heightened: false,
      note: '',
      decision: { ...GOVERNMENT, level: 'none', decisionRef: '', decisionDate: null },
    }),
    by: leadTib,
    at: m(11),
  },
];

const world: State = deepFreeze(runCommands(history).state);

/** The seq of a waiting draft of the history, as the screen showing it sends it. */
function seqOfDraft(directiveId: string): number {
  const seq = draftSeqOf(world, directiveId);
  if (seq === null) throw new Error(`no draft of ${directiveId}`);
  return seq;
}
/** The seq of the app's saving of the small template, which an administrator editing it names. */
const SMALL_SAVED_SEQ = world.directiveTemplates['test-small']?.seq ?? 0;
/** Deciding the draft as it stands in the history. */
const decideRead = (directiveId: string, baseVersion = 0) =>
  buildDirectiveDecideCommand({ directiveId, baseVersion, draftSeq: seqOfDraft(directiveId) });

/** Every command goes through the real parser first: the refusals are domain rules, not schema errors. */
function valid(command: Command): Command {
  const parsed = parseCommand(JSON.parse(JSON.stringify(command)));
  if (!parsed.ok) throw new Error(`test command is invalid: ${parsed.message}`);
  return parsed.command;
}

const wire = (command: Command): unknown => JSON.parse(JSON.stringify(command));

/** The directive of that id, which the test's history made. */
function directiveIn(state: State, directiveId: string) {
  const directive = state.directives[directiveId];
  if (!directive) throw new Error(`no directive ${directiveId}`);
  return directive;
}

/** Sends a wire command as the hub takes it: parsed, decided, folded. Returns the state after and any refusal. */
function send(state: State, input: unknown, by: Attribution, now = NOW) {
  const parsed = parseCommand(input);
  if (!parsed.ok) return { state, error: { code: parsed.code, message: parsed.message } };
  const decision = decide(state, parsed.command, by, now, region);
  if (!decision.ok) return { state, error: decision.error };
  const after = decision.data.reduce(
    (s, d, i) => apply(s, buildEvent(d, { seq: 1000 + i, at: now, by, commandId: parsed.command.id })),
    state,
  );
  return { state: after, error: null };
}

type Refusal = { name: string; command: Command; by: Attribution; code: ErrorCode; message: string };
type Acceptance = { name: string; command: Command; by: Attribution; events: EventDraft[] };

const DRAFTED_EVENT = (content: DirectiveContent, directiveId = NEW, baseVersion = 0): EventDraft => ({
  type: 'directive.drafted',
  payload: {
    directiveId,
    incidentId: incidentOf(directiveId),
    content,
    templateId: null,
    templateFilledAt: null,
    baseVersion,
  },
});

const GOTHENBURG: DirectiveContent['area'] = {
  type: 'Polygon',
  coordinates: [
    [
      [11.9, 57.7],
      [12.0, 57.7],
      [12.0, 57.75],
      [11.9, 57.7],
    ],
  ],
};

/** A template filling in 104 items for the region's actors: four for each of the 26 municipalities. */
const OVERSIZED_TEMPLATE = buildDirectiveTemplate({
  id: 'test-oversized',
  items: Array.from({ length: 4 }, (_, i) => ({
    actorKind: 'municipality' as const,
    text: `Uppgift ${i + 1}`,
  })),
});

// prettier-ignore
const refusals: Refusal[] = [
  { name: 'directive.draft refuses an unknown incident', command: draft(NEW, CONTENT, 0, UNKNOWN), by: leadCoord, code: 'not_found', message: 'No such incident' },
  { name: 'directive.draft refuses a closed incident', command: draft(NEW, CONTENT, 0, CLOSED_INCIDENT), by: leadCoord, code: 'conflict', message: 'The incident is closed' },
  { name: 'directive.draft refuses a requested incident not yet activated', command: draft(NEW, CONTENT, 0, REQUESTED), by: leadCoord, code: 'conflict', message: 'The incident is not active' },
  { name: 'directive.draft refuses to move a directive to another incident', command: draft(DRAFTED, CONTENT, 0, OTHER_INCIDENT, seqOfDraft(DRAFTED)), by: leadCoord, code: 'bad_request', message: 'The directive belongs to another incident' },
  { name: 'directive.draft refuses a second directive for an incident', command: draft(NEW, CONTENT, 0, incidentOf(DRAFTED)), by: leadCoord, code: 'conflict', message: `The incident already has a directive (${DRAFTED}): draft a new version of it` },
  { name: 'directive.draft refuses a draft on a version decided over (stale)', command: draft(DECIDED, NEW_PURPOSE, 0), by: leadCoord, code: 'stale', message: 'Version 1 has been decided since' },
  { name: 'directive.draft refuses a base version not decided yet', command: draft(NEW, CONTENT, 3), by: leadCoord, code: 'bad_request', message: 'The directive has no version 3; 0 are decided' },
  { name: "directive.draft refuses overwriting a draft saved since it was read (another's rewrite)", command: draft(DRAFTED, NEW_PURPOSE, 0, incidentOf(DRAFTED), null), by: leadTib, code: 'stale', message: 'The draft has been saved since by Lars Lund' },
  { name: 'directive.draft refuses rewriting a draft that is no longer there', command: draft(NEW, CONTENT, 0, INCIDENT, 5), by: leadCoord, code: 'stale', message: 'The draft you rewrote is no longer there' },
  { name: 'directive.draft refuses a validity period ending before it starts', command: draft(NEW, { ...CONTENT, validFrom: m(60), validUntil: m(59) }), by: leadCoord, code: 'bad_request', message: 'The validity period ends before it starts' },
  { name: 'directive.draft refuses a review before the directive is valid', command: draft(NEW, { ...CONTENT, validFrom: m(60), reviewAt: m(40) }), by: leadCoord, code: 'bad_request', message: 'The review time is before the directive becomes valid' },
  { name: 'directive.draft refuses item owners the region does not know', command: draft(NEW, { ...CONTENT, items: [{ id: testUuid(0xd3), text: 'Bygg en mur', ownerActorId: 'atlantis' }] }), by: leadCoord, code: 'bad_request', message: 'Unknown item owner(s): atlantis' },
  { name: 'directive.draft refuses two items with one id', command: draft(NEW, { ...CONTENT, items: [NACKA_TASK, { ...HEALTH_TASK, id: NACKA_ITEM }] }), by: leadCoord, code: 'bad_request', message: 'Two items have the same id' },
  { name: 'directive.draft refuses an area outside the region', command: draft(NEW, { ...CONTENT, area: GOTHENBURG }), by: leadCoord, code: 'bad_request', message: "The directive's area: lies outside the region" },
  { name: 'directive.draft refuses "under heightened readiness" while readiness is not heightened', command: draft(NEW, { ...CONTENT, underReadiness: true }), by: leadCoord, code: 'bad_request', message: 'A directive is made under heightened readiness only while readiness is heightened' },
  { name: 'directive.draft refuses an unknown template', command: buildDirectiveDraftCommand({ directiveId: NEW, incidentId: INCIDENT, templateId: 'atlantis' }), by: leadCoord, code: 'not_found', message: 'No such directive template' },
  { name: 'directive.draft refuses a region-file template removed in the app', command: buildDirectiveDraftCommand({ directiveId: NEW, incidentId: INCIDENT, templateId: 'pandemi' }), by: leadCoord, code: 'not_found', message: 'No such directive template' },
  { name: 'directive.decide refuses a sender without the directing function', command: decideRead(DRAFTED), by: leadTib, code: 'forbidden', message: 'Only the directing level (head or deputy) may decide a directive' },
  { name: 'directive.decide refuses an unknown directive', command: buildDirectiveDecideCommand({ directiveId: UNKNOWN }), by: head, code: 'not_found', message: 'No such directive' },
  { name: 'directive.decide refuses a directive of a closed incident', command: decideRead(OF_CLOSED, 1), by: head, code: 'conflict', message: 'The incident is closed' },
  { name: 'directive.decide refuses a directive with no draft', command: buildDirectiveDecideCommand({ directiveId: EXPIRED, baseVersion: 1 }), by: head, code: 'conflict', message: 'There is nothing to decide: the directive has no draft' },
  { name: 'directive.decide refuses a stale version', command: buildDirectiveDecideCommand({ directiveId: REDRAFTED, baseVersion: 0, draftSeq: seqOfDraft(REDRAFTED) }), by: head, code: 'stale', message: 'Version 1 has been decided since' },
  { name: 'directive.decide refuses a draft rewritten since the decider read it', command: buildDirectiveDecideCommand({ directiveId: REDRAFTED, baseVersion: 1, draftSeq: seqOfDraft(REDRAFTED) - 1 }), by: head, code: 'stale', message: 'The draft has been saved since by Lars Lund: read it again before deciding' },
  { name: 'directive.decide refuses a draft whose validity has ended', command: decideRead(LAPSED_DRAFT), by: head, code: 'conflict', message: "The draft's validity period has already ended" },
  { name: 'directive.decide refuses a draft under readiness lifted since', command: decideRead(UNDER_READINESS), by: head, code: 'conflict', message: 'Heightened readiness has been lifted since the draft was written' },
  { name: 'directive.decide refuses a draft that changes nothing', command: decideRead(DECIDED, 1), by: head, code: 'conflict', message: 'The draft changes nothing in version 1' },
  { name: 'directive.cosign refuses a sender without the directing function', command: buildDirectiveCosignCommand({ directiveId: DECIDED }), by: leadTib, code: 'forbidden', message: 'Only the directing level (head or deputy) may decide a directive' },
  { name: 'directive.cosign refuses an unknown directive', command: buildDirectiveCosignCommand({ directiveId: UNKNOWN }), by: healthHead, code: 'not_found', message: 'No such directive' },
  { name: 'directive.cosign refuses a directive of a closed incident', command: buildDirectiveCosignCommand({ directiveId: OF_CLOSED }), by: healthHead, code: 'conflict', message: 'The incident is closed' },
  { name: 'directive.cosign refuses a directive not decided yet', command: buildDirectiveCosignCommand({ directiveId: DRAFTED }), by: healthHead, code: 'conflict', message: 'No version of the directive has been decided yet' },
  { name: 'directive.cosign refuses an expired directive', command: buildDirectiveCosignCommand({ directiveId: EXPIRED }), by: healthHead, code: 'conflict', message: 'The directive has expired' },
  { name: 'directive.cosign refuses a version not the latest', command: buildDirectiveCosignCommand({ directiveId: DECIDED, version: 2 }), by: healthHead, code: 'conflict', message: 'Version 2 is not the latest; version 1 is' },
  { name: 'directive.cosign refuses a person who decided already', command: buildDirectiveCosignCommand({ directiveId: DECIDED }), by: head, code: 'conflict', message: 'You have already decided this version' },
  { name: 'directive.confirm refuses an unknown directive', command: buildDirectiveConfirmCommand({ directiveId: UNKNOWN }), by: nackaTib, code: 'not_found', message: 'No such directive' },
  { name: 'directive.confirm refuses a directive of a closed incident', command: buildDirectiveConfirmCommand({ directiveId: OF_CLOSED }), by: nackaTib, code: 'conflict', message: 'The incident is closed' },
  { name: 'directive.confirm refuses a directive not decided yet', command: buildDirectiveConfirmCommand({ directiveId: DRAFTED }), by: nackaTib, code: 'conflict', message: 'No version of the directive has been decided yet' },
  { name: 'directive.confirm refuses an item not in the version in force', command: buildDirectiveConfirmCommand({ directiveId: DECIDED, itemId: UNKNOWN }), by: nackaTib, code: 'not_found', message: 'No such item in version 1 of the directive' },
  { name: "directive.confirm refuses confirming another actor's item", command: buildDirectiveConfirmCommand({ directiveId: DECIDED, itemId: NACKA_ITEM }), by: healthTib, code: 'forbidden', message: "Confirming another actor's item: only nacka may" },
  { name: 'directive.confirm refuses an expired directive', command: buildDirectiveConfirmCommand({ directiveId: EXPIRED, itemId: HEALTH_ITEM }), by: healthTib, code: 'conflict', message: 'The directive has expired' },
  { name: 'directive.confirm refuses an item confirmed already', command: buildDirectiveConfirmCommand({ directiveId: DECIDED }), by: nackaTib, code: 'conflict', message: 'Your actor has already confirmed this item' },
  { name: 'directive.reportItem refuses an unknown directive', command: buildDirectiveReportCommand({ directiveId: UNKNOWN }), by: nackaTib, code: 'not_found', message: 'No such directive' },
  { name: "directive.reportItem refuses reporting on another actor's item", command: buildDirectiveReportCommand({ directiveId: DECIDED }), by: healthTib, code: 'forbidden', message: "Reporting on another actor's item: only nacka may" },
  { name: 'directive.reportItem refuses reporting on an expired directive', command: buildDirectiveReportCommand({ directiveId: EXPIRED }), by: nackaTib, code: 'conflict', message: 'The directive has expired' },
  { name: 'directive.reportItem refuses an item not confirmed', command: buildDirectiveReportCommand({ directiveId: DECIDED, itemId: HEALTH_ITEM }), by: healthTib, code: 'conflict', message: 'The item is not confirmed for the version in force: confirm it first' },
  { name: 'directive.reportItem refuses the same report again', command: buildDirectiveReportCommand({ directiveId: DECIDED, outcome: 'partlyDone', text: 'Två av tre' }), by: nackaTib, code: 'conflict', message: 'The item has already been reported so' },
  { name: 'directiveTemplate.save refuses the same template again', command: buildTemplateSaveCommand({ template: SMALL_TEMPLATE, baseSeq: SMALL_SAVED_SEQ }), by: admin, code: 'conflict', message: 'The prepared directive is already saved so' },
  { name: 'directiveTemplate.save refuses saving over a change it did not see (another administrator saved since)', command: buildTemplateSaveCommand({ template: { ...SMALL_TEMPLATE, purpose: 'Annat' }, baseSeq: null }), by: admin, code: 'stale', message: 'The prepared directive has been changed since by Ada Admin' },
  { name: "directiveTemplate.save refuses a base the region file's template no longer has (restored since)", command: buildTemplateSaveCommand({ template: buildDirectiveTemplate({ id: 'storm' }), baseSeq: 3 }), by: admin, code: 'stale', message: "The prepared directive has been restored to the region file's since" },
  { name: 'directiveTemplate.save refuses an incident kind listed twice', command: buildTemplateSaveCommand({ template: buildDirectiveTemplate({ incidentKinds: ['weather', 'weather'] }) }), by: admin, code: 'bad_request', message: 'An incident kind is listed twice' },
  { name: "directiveTemplate.save refuses a template filling in more items for the region's actors than a directive holds", command: buildTemplateSaveCommand({ template: OVERSIZED_TEMPLATE }), by: admin, code: 'bad_request', message: "The prepared directive fills in 104 items for the region's actors; a directive holds 100" },
  { name: 'directiveTemplate.remove refuses an unknown template', command: buildTemplateRemoveCommand({ templateId: 'atlantis' }), by: admin, code: 'not_found', message: 'No such directive template' },
  { name: 'directiveTemplate.remove refuses a template removed already', command: buildTemplateRemoveCommand({ templateId: 'pandemi' }), by: admin, code: 'not_found', message: 'No such directive template' },
  { name: 'directiveTemplate.restore refuses a template not in the region file', command: buildTemplateRestoreCommand({ templateId: 'test-small' }), by: admin, code: 'not_found', message: 'No such directive template in the region file' },
  { name: 'directiveTemplate.restore refuses a template the app never changed', command: buildTemplateRestoreCommand({ templateId: 'storm' }), by: admin, code: 'conflict', message: "The prepared directive is the region file's already" },
];

/** What the small template fills in for a new directive of INCIDENT at NOW, written out by hand. */
const SMALL_FILLED: DirectiveContent = {
  purpose: 'Begränsa stormens konsekvenser',
  priorities: ['Liv och hälsa'],
  items: [
    {
      id: '089575bb-cc6d-58c2-ae97-8b640367acfd',
      text: 'Samordna lägesbilden',
      ownerActorId: 'lansstyrelsen',
    },
    {
      id: '70bddea6-38d2-5278-a2c5-b2a10fb1c3bf',
      text: 'Prioritera vården',
      ownerActorId: 'region-stockholm',
    },
  ],
  area: null,
  limits: '',
  validFrom: '2024-05-01T08:30:00.000Z',
  validUntil: '2024-05-02T08:30:00.000Z',
  reviewAt: '2024-05-01T12:30:00.000Z',
  underReadiness: false,
};

const acceptances: Acceptance[] = [
  {
    name: 'directive.draft begins a new directive',
    command: draft(NEW, CONTENT),
    by: leadCoord,
    events: [DRAFTED_EVENT(CONTENT)],
  },
  {
    name: 'directive.draft rewrites the draft it read, by another coordinator too',
    command: draft(DRAFTED, NEW_PURPOSE, 0, incidentOf(DRAFTED), seqOfDraft(DRAFTED)),
    by: leadTib,
    events: [DRAFTED_EVENT(NEW_PURPOSE, DRAFTED)],
  },
  {
    name: 'directive.draft rewriting a draft from its template keeps the time the template was first filled',
    command: buildDirectiveDraftCommand({
      directiveId: TEMPLATED,
      incidentId: incidentOf(TEMPLATED),
      content: NEW_PURPOSE,
      templateId: 'test-small',
      baseDraftSeq: seqOfDraft(TEMPLATED),
    }),
    by: leadCoord,
    events: [
      {
        type: 'directive.drafted',
        payload: {
          directiveId: TEMPLATED,
          incidentId: incidentOf(TEMPLATED),
          content: NEW_PURPOSE,
          templateId: 'test-small',
          templateFilledAt: '2024-05-01T08:02:00.000Z',
          baseVersion: 0,
        },
      },
    ],
  },
  {
    name: 'directive.draft from a template records when the hub filled it, to show what changed',
    command: buildDirectiveDraftCommand({
      directiveId: NEW,
      incidentId: INCIDENT,
      content: { ...SMALL_FILLED, purpose: 'Begränsa stormens konsekvenser för vården' },
      templateId: 'test-small',
    }),
    by: leadCoord,
    events: [
      {
        type: 'directive.drafted',
        payload: {
          directiveId: NEW,
          incidentId: INCIDENT,
          content: { ...SMALL_FILLED, purpose: 'Begränsa stormens konsekvenser för vården' },
          templateId: 'test-small',
          templateFilledAt: '2024-05-01T08:30:00.000Z',
          baseVersion: 0,
        },
      },
    ],
  },
  {
    name: 'directive.decide makes version 1 with every field changed',
    command: decideRead(DRAFTED),
    by: head,
    events: [
      {
        type: 'directive.decided',
        payload: {
          directiveId: DRAFTED,
          version: 1,
          content: CONTENT,
          templateId: null,
          changedFields: [...DIRECTIVE_FIELDS],
          draftedBy: leadCoord,
        },
      },
    ],
  },
  {
    name: 'directive.decide makes version 2 naming only the purpose as changed',
    command: decideRead(REDRAFTED, 1),
    by: healthHead,
    events: [
      {
        type: 'directive.decided',
        payload: {
          directiveId: REDRAFTED,
          version: 2,
          content: NEW_PURPOSE,
          templateId: null,
          changedFields: ['purpose'],
          draftedBy: leadCoord,
        },
      },
    ],
  },
  {
    name: 'directive.cosign records a second directing person',
    command: buildDirectiveCosignCommand({ directiveId: DECIDED }),
    by: healthHead,
    events: [{ type: 'directive.cosigned', payload: { directiveId: DECIDED, version: 1 } }],
  },
  {
    name: "directive.confirm records the owner's confirmation of the version in force",
    command: buildDirectiveConfirmCommand({ directiveId: DECIDED, itemId: HEALTH_ITEM }),
    by: healthTib,
    events: [
      { type: 'directive.confirmed', payload: { directiveId: DECIDED, itemId: HEALTH_ITEM, version: 1 } },
    ],
  },
  {
    name: 'directive.reportItem records a new outcome',
    command: buildDirectiveReportCommand({ directiveId: DECIDED, outcome: 'done', text: 'Alla tre öppna' }),
    by: nackaTib,
    events: [
      {
        type: 'directive.itemReported',
        payload: {
          directiveId: DECIDED,
          itemId: NACKA_ITEM,
          version: 1,
          outcome: 'done',
          text: 'Alla tre öppna',
        },
      },
    ],
  },
  {
    name: 'directiveTemplate.save saves a new prepared directive',
    command: buildTemplateSaveCommand(),
    by: admin,
    events: [{ type: 'directiveTemplate.saved', payload: { template: buildDirectiveTemplate() } }],
  },
  {
    name: 'directiveTemplate.save replaces the version of it the administrator edited',
    command: buildTemplateSaveCommand({
      template: { ...SMALL_TEMPLATE, purpose: 'Annat' },
      baseSeq: SMALL_SAVED_SEQ,
    }),
    by: admin,
    events: [
      { type: 'directiveTemplate.saved', payload: { template: { ...SMALL_TEMPLATE, purpose: 'Annat' } } },
    ],
  },
  {
    name: "directiveTemplate.restore drops the app's removal of a region-file template",
    command: buildTemplateRestoreCommand({ templateId: 'pandemi' }),
    by: admin,
    events: [{ type: 'directiveTemplate.restored', payload: { templateId: 'pandemi' } }],
  },
  {
    name: 'directiveTemplate.remove removes a template of the region file',
    command: buildTemplateRemoveCommand({ templateId: 'storm' }),
    by: admin,
    events: [{ type: 'directiveTemplate.removed', payload: { templateId: 'storm' } }],
  },
];

const DIRECTIVE_COMMANDS = new Set(
  COMMAND_TYPES.filter((type) => Object.hasOwn(directiveCommandPayloads, type)),
);

describe('decide: joint directives', () => {
  it.each(named(refusals))('%s', (_name, { command, by, code, message }) => {
    const before = stateHash(world);
    const { state, error } = send(world, wire(valid(command)), by);
    expect(error).toEqual({ code, message });
    expect(stateHash(state)).toBe(before);
  });

  it.each(named(acceptances))('%s', (_name, { command, by, events }) => {
    expect(decide(world, valid(command), by, NOW, region)).toEqual({ ok: true, data: events });
    expect(stateHash(send(world, wire(command), by).state)).not.toBe(stateHash(world));
  });

  it('has refusal and acceptance cases for every directive command', () => {
    const covered = (cases: { command: Command }[]) => new Set(cases.map((c) => c.command.type));
    expect(covered(refusals)).toEqual(DIRECTIVE_COMMANDS);
    expect(covered(acceptances)).toEqual(DIRECTIVE_COMMANDS);
  });
});

describe('bad input from the issue: a clear error, and nothing changed', () => {
  const withPayload = (command: Command, change: (payload: Record<string, unknown>) => unknown) => {
    const input = wire(command) as { payload: Record<string, unknown> };
    return { ...input, payload: change(input.payload) };
  };
  const manyItems = Array.from({ length: 10_000 }, () => ({ actorKind: 'municipality', text: 'Öppna' }));
  // prettier-ignore
  const BAD = [
    { name: 'deciding without the directing function', input: wire(decideRead(DRAFTED)), by: leadCoord, code: 'forbidden', message: /Only the directing level/ },
    { name: "confirming another actor's item", input: wire(buildDirectiveConfirmCommand({ directiveId: DECIDED })), by: healthTib, code: 'forbidden', message: /another actor's item: only nacka may/ },
    { name: 'reporting on an expired directive', input: wire(buildDirectiveReportCommand({ directiveId: EXPIRED })), by: nackaTib, code: 'conflict', message: /The directive has expired/ },
    { name: 'a template with unknown actor types', input: withPayload(buildTemplateSaveCommand(), (p) => ({ template: { ...(p.template as object), items: [{ actorKind: 'wizards', text: 'Trolla' }] } })), by: admin, code: 'bad_request', message: /actorKind/ },
    { name: 'a template with 10,000 items', input: withPayload(buildTemplateSaveCommand(), (p) => ({ template: { ...(p.template as object), items: manyItems } })), by: admin, code: 'bad_request', message: /items/ },
    { name: 'an empty purpose', input: wire(draft(NEW, { ...CONTENT, purpose: '   ' })), by: leadCoord, code: 'bad_request', message: /purpose/ },
    { name: 'an item without an owner', input: withPayload(draft(NEW, CONTENT), (p) => ({ ...p, content: { ...CONTENT, items: [{ id: NACKA_ITEM, text: 'Öppna trygghetspunkter' }] } })), by: leadCoord, code: 'bad_request', message: /ownerActorId/ },
    { name: 'a validity period ending before it starts', input: wire(draft(NEW, { ...CONTENT, validUntil: m(-60) })), by: leadCoord, code: 'bad_request', message: /The validity period ends before it starts/ },
    { name: 'a stale version', input: wire(buildDirectiveDecideCommand({ directiveId: REDRAFTED, baseVersion: 0, draftSeq: seqOfDraft(REDRAFTED) })), by: head, code: 'stale', message: /Version 1 has been decided since/ },
  ] as const;

  it.each(named(BAD))('refuses %s', (_name, { input, by, code, message }) => {
    const before = stateHash(world);
    const { state, error } = send(world, input, by);
    expect(error?.code).toBe(code);
    expect(error?.message).toMatch(message);
    expect(stateHash(state)).toBe(before);
  });
});

describe('a directive over its life', () => {
  it('keeps every version, moves the one in force on, and asks for a new confirmation of a changed item', () => {
    const changedNacka = buildDirectiveContent({
      items: [{ ...NACKA_TASK, text: 'Öppna fem trygghetspunkter' }, HEALTH_TASK],
    });
    const { state } = runCommands(
      [
        { command: draft(NEW, CONTENT), by: leadCoord, at: m(1) },
        { command: decideDraftStep({ directiveId: NEW }), by: head, at: m(2) },
        { command: buildDirectiveConfirmCommand({ directiveId: NEW }), by: nackaTib, at: m(3) },
        {
          command: buildDirectiveConfirmCommand({ directiveId: NEW, itemId: HEALTH_ITEM }),
          by: healthTib,
          at: m(3),
        },
        { command: draft(NEW, changedNacka, 1), by: leadCoord, at: m(4) },
        { command: decideDraftStep({ directiveId: NEW, baseVersion: 1 }), by: head, at: m(5) },
      ],
      { state: world, firstSeq: 500 },
    );
    const directive = directiveIn(state, NEW);
    expect(directive.versions.map((v) => [v.version, v.changedFields])).toEqual([
      [1, [...DIRECTIVE_FIELDS]],
      [2, ['items']],
    ]);
    expect(directive.versions[0]?.content).toEqual(CONTENT);
    expect(directive.draft).toBeNull();
    // Region Stockholm's item is unchanged: its confirmation of version 1 still holds.
    expect(confirmationOf(directive, HEALTH_ITEM)?.version).toBe(1);
    expect(confirmationOf(directive, NACKA_ITEM)).toBeUndefined();
    // Nacka's confirmation of version 1 stays in the record.
    expect(directive.followUps[`${NACKA_ITEM}@1`]?.confirmedAt).toBe(m(3));
    const again = decide(state, buildDirectiveConfirmCommand({ directiveId: NEW }), nackaTib, NOW, region);
    expect(again).toEqual({
      ok: true,
      data: [{ type: 'directive.confirmed', payload: { directiveId: NEW, itemId: NACKA_ITEM, version: 2 } }],
    });
  });

  it('keeps a version decided to begin later upcoming, with the one before in force until then', () => {
    const later = buildDirectiveContent({
      ...NEW_PURPOSE,
      validFrom: m(60),
      validUntil: m(600),
      reviewAt: null,
    });
    const { state } = runCommands(
      [
        {
          command: draft(REDRAFTED, later, 1, incidentOf(REDRAFTED), seqOfDraft(REDRAFTED)),
          by: leadCoord,
          at: m(12),
        },
        { command: decideDraftStep({ directiveId: REDRAFTED, baseVersion: 1 }), by: head, at: m(13) },
      ],
      { state: world, firstSeq: 500 },
    );
    const directive = directiveIn(state, REDRAFTED);
    expect([inForce(directive, NOW)?.version, upcomingVersion(directive, NOW)?.version]).toEqual([1, 2]);
    expect(inForce(directive, m(60))?.version).toBe(2);
    // The upcoming version is the one co-signed, and its owners may confirm it ahead.
    const cosign = decide(
      state,
      buildDirectiveCosignCommand({ directiveId: REDRAFTED, version: 2 }),
      healthHead,
      NOW,
      region,
    );
    expect(cosign.ok).toBe(true);
    const confirm = decide(
      state,
      buildDirectiveConfirmCommand({ directiveId: REDRAFTED }),
      nackaTib,
      NOW,
      region,
    );
    expect(confirm).toEqual({
      ok: true,
      data: [
        { type: 'directive.confirmed', payload: { directiveId: REDRAFTED, itemId: NACKA_ITEM, version: 2 } },
      ],
    });
  });

  it("shows a template draft's changes against the template filled again at the time the hub first filled it", () => {
    const content = { ...SMALL_FILLED, purpose: 'Begränsa stormens konsekvenser för vården' };
    const { state } = send(
      world,
      wire(
        buildDirectiveDraftCommand({
          directiveId: NEW,
          incidentId: INCIDENT,
          content,
          templateId: 'test-small',
        }),
      ),
      leadCoord,
    );
    expect(draftTemplateContent(directiveIn(state, NEW), region, state)).toEqual(SMALL_FILLED);
    // A draft without a template, or whose template was removed since, has none.
    expect(draftTemplateContent(directiveIn(world, DRAFTED), region, world)).toBeNull();
    const removed = send(state, wire(buildTemplateRemoveCommand({ templateId: 'test-small' })), admin).state;
    expect(draftTemplateContent(directiveIn(removed, NEW), region, removed)).toBeNull();
  });

  it('refuses a draft written on an older version than the one decided since', () => {
    const redrafted = directiveIn(world, REDRAFTED);
    const waiting = redrafted.draft;
    const first = redrafted.versions[0];
    if (!waiting || !first) throw new Error('the redrafted directive has no draft or version');
    // Unreachable through `decide` (a decision clears the draft): the check guards hand-made or merged states.
    const state = {
      ...world,
      directives: {
        ...world.directives,
        [REDRAFTED]: { ...redrafted, draft: { ...waiting, baseVersion: 0 } },
      },
    };
    const decision = decide(state, decideRead(REDRAFTED, 1), head, NOW, region);
    expect(decision).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message: 'The draft was written on version 0; version 1 has been decided since',
      },
    });
  });

  it('refuses a version beyond the 200 a directive keeps', () => {
    const redrafted = directiveIn(world, REDRAFTED);
    const waiting = redrafted.draft;
    const first = redrafted.versions[0];
    if (!waiting || !first) throw new Error('the redrafted directive has no draft or version');
    const versions = Array.from({ length: 200 }, (_, i) => ({ ...first, version: i + 1 }));
    const state = {
      ...world,
      directives: {
        ...world.directives,
        [REDRAFTED]: { ...redrafted, versions, draft: { ...waiting, baseVersion: 200 } },
      },
    };
    const decision = decide(state, decideRead(REDRAFTED, 200), head, NOW, region);
    expect(decision).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'The directive has reached its 200 versions' },
    });
  });

  it('checks the directing level in the region file even when the rights would let another function decide', () => {
    const lenient = {
      ...region,
      rights: { ...region.rights, 'directive.decide': [{ functions: ['dutyOfficer'] }] },
    };
    const decision = decide(world, decideRead(DRAFTED), leadTib, NOW, lenient);
    expect(decision.ok).toBe(false);
    expect(!decision.ok && decision.error.code).toBe('forbidden');
  });
});
