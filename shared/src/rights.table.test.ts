import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES, type CommandType } from './commands.js';
import { parseRegionConfig } from './region.js';
import { authorize, canDecideRequests, type Sender } from './rights.js';
import { named, stockholmRegion } from './testing/test-factories.js';

/*
 * Who may send what in the Stockholm region, as its collaboration agreement reads, typed in
 * by hand: `lead` is allowed only at the lead actor (Länsstyrelsen), `any` at every actor,
 * `-` nowhere. Nothing here reads the rules out of the region file or rights.ts; a command or
 * function added to either fails the coverage tests until someone states it here.
 * Conference commands are `any`: whichever actor convenes a conference chairs it, and
 * `decide` refuses the others (decide-conference.test.ts). Directives: coordinators draft,
 * the directing level (head or deputy) of any actor decides and co-signs, the owner actor's
 * duty officer or coordinator confirms and reports its items (`decide` checks the owner),
 * administrators keep the prepared directives. Joint messages to the public: communicators,
 * coordinators and duty officers draft; communicators and duty officers sign off, publish and
 * cancel for their own actor (`decide` checks that it is summoned and named).
 */
const STOCKHOLM_RIGHTS = `
                           directing  dutyOfficer  coordinator  communicator  field  viewer  admin
incident.request           -          any          -            -             -      -       -
incident.activate          -          lead         lead         -             -      -       -
incident.update            -          lead         lead         -             -      -       -
incident.close             -          lead         lead         -             -      -       -
readiness.set              -          lead         -            -             -      -       -
activation.acknowledge     -          any          -            -             -      -       -
report.submit              -          any          any          -             -      -       -
fieldReport.submit         -          any          any          -             any    -       -
checkin.create             any        any          any          any           any    -       -
checkin.checkout           any        any          any          any           any    -       -
logEntry.add               -          any          any          any           -      -       -
conference.schedule        -          any          any          -             -      -       -
conference.reschedule      -          any          any          -             -      -       -
conference.open            -          any          any          -             -      -       -
conference.step            -          any          any          -             -      -       -
conference.rollCall        -          any          any          -             -      -       -
conference.round           -          any          any          -             -      -       -
conference.assess          -          any          any          -             -      -       -
conference.setNext         -          any          any          -             -      -       -
conference.close           -          any          any          -             -      -       -
conference.approveMinutes  -          any          any          -             -      -       -
actionItem.record          -          any          any          -             -      -       -
actionItem.setStatus       -          any          any          -             -      -       -
offer.make                 -          any          any          -             -      -       -
offer.answer               -          any          any          -             -      -       -
need.settle                -          any          any          -             -      -       -
directive.draft            -          any          any          -             -      -       -
directive.decide           any        -            -            -             -      -       -
directive.cosign           any        -            -            -             -      -       -
directive.confirm          -          any          any          -             -      -       -
directive.reportItem       -          any          any          -             -      -       -
directiveTemplate.save     -          -            -            -             -      -       any
directiveTemplate.remove   -          -            -            -             -      -       any
directiveTemplate.restore  -          -            -            -             -      -       any
jointMessage.draft         -          any          any          any           -      -       -
jointMessage.approve       -          any          -            any           -      -       -
jointMessage.requestChange -          any          -            any           -      -       -
jointMessage.publish       -          any          -            any           -      -       -
jointMessage.cancel        -          any          -            any           -      -       -
`;

type Cell = 'lead' | 'any' | '-';
const isCell = (text: string): text is Cell => text === 'lead' || text === 'any' || text === '-';

/** The grid above as cells: one per command and function. */
function readGrid(grid: string) {
  const [header, ...lines] = grid
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));
  if (!header) throw new Error('the rights table has no header');
  return lines.flatMap(([command, ...cells]) => {
    if (!command || cells.length !== header.length)
      throw new Error(`rights table row ${command}: wrong width`);
    return cells.map((cell, i) => {
      const functionId = header[i];
      if (!functionId || !isCell(cell)) throw new Error(`rights table row ${command}: bad cell ${cell}`);
      return { command, functionId, cell };
    });
  });
}

const region = stockholmRegion();
const LEAD = 'lansstyrelsen';
/** The lead, a municipality, a national agency and the health region: `any` means all four. */
const ACTORS = [LEAD, 'nacka', 'polisen', 'region-stockholm'];
const cells = readGrid(STOCKHOLM_RIGHTS);

const sender = (actorId: string, functionIds: readonly string[]): Sender => ({
  userId: `user-${actorId}`,
  userName: 'Test Person',
  actorId,
  functionIds,
});

const cases = cells.flatMap(({ command, functionId, cell }) =>
  ACTORS.map((actorId) => {
    const allowed = cell === 'any' || (cell === 'lead' && actorId === LEAD);
    return {
      name: `${functionId} at ${actorId} ${allowed ? 'may' : 'may not'} ${command}`,
      command: command as CommandType,
      functionId,
      actorId,
      allowed,
    };
  }),
);

describe('the Stockholm region’s rights (stated by hand)', () => {
  it('states every command type and every function of the region', () => {
    expect([...new Set(cells.map((c) => c.command))].sort()).toEqual([...COMMAND_TYPES].sort());
    expect([...new Set(cells.map((c) => c.functionId))].sort()).toEqual(
      region.functions.map((f) => f.id).sort(),
    );
    expect(region.leadActorId).toBe(LEAD);
  });

  it.each(named(cases))('%s', (_name, { command, functionId, actorId, allowed }) => {
    const result = authorize(region, sender(actorId, [functionId]), command);
    if (allowed) expect(result).toEqual({ ok: true, functionId });
    else expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  // Deciding on a request is activating or closing it: Länsstyrelsen's duty officer or coordinator.
  // prettier-ignore
  const deciders = [
    { name: 'the lead duty officer decides on requests', actorId: LEAD, functionIds: ['dutyOfficer'], decides: true },
    { name: 'the lead coordinator decides on requests', actorId: LEAD, functionIds: ['coordinator'], decides: true },
    { name: 'the lead communicator does not', actorId: LEAD, functionIds: ['communicator'], decides: false },
    { name: "Nacka's duty officer does not", actorId: 'nacka', functionIds: ['dutyOfficer'], decides: false },
    { name: 'a viewer who is also lead coordinator does', actorId: LEAD, functionIds: ['viewer', 'coordinator'], decides: true },
  ];
  it.each(named(deciders))('%s', (_name, { actorId, functionIds, decides }) => {
    expect(canDecideRequests(region, sender(actorId, functionIds))).toBe(decides);
  });
});

/*
 * How a region file's rules combine, on a small region of three actors and three functions:
 * rules of one command are alternatives, a rule with actors holds only at those actors, and
 * a person with several functions acts under the first of theirs that a rule allows.
 */
const small = parseRegionConfig({
  id: 'testregion',
  name: 'Test region',
  shortName: 'Test',
  map: { center: { lat: 59.33, lng: 18.06 }, zoom: 9 },
  leadActorId: 'alfa',
  actors: ['alfa', 'beta', 'gamma'].map((id) => ({
    id,
    name: `Actor ${id}`,
    shortName: id,
    kind: 'other',
    home: { lat: 59.33, lng: 18.06 },
  })),
  functions: ['one', 'two', 'three'].map((id) => ({ id, name: { sv: id, en: id } })),
  rights: {
    'logEntry.add': [{ functions: ['one'] }, { functions: ['two'], actors: ['beta'] }],
    'report.submit': [{ functions: ['one', 'two'], actors: ['alfa', 'beta'] }],
    'checkin.create': [],
  },
});

// prettier-ignore
const SMALL_CASES: readonly { name: string; actorId: string; functionIds: string[]; type: CommandType; under: string | null }[] = [
  { name: 'one at alfa adds log entries (first rule)',       actorId: 'alfa',  functionIds: ['one'],          type: 'logEntry.add',   under: 'one' },
  { name: 'one at gamma adds log entries (no actor limit)',  actorId: 'gamma', functionIds: ['one'],          type: 'logEntry.add',   under: 'one' },
  { name: 'two at beta adds log entries (second rule)',      actorId: 'beta',  functionIds: ['two'],          type: 'logEntry.add',   under: 'two' },
  { name: 'two at alfa may not (second rule is beta only)',  actorId: 'alfa',  functionIds: ['two'],          type: 'logEntry.add',   under: null },
  { name: 'three anywhere may not',                          actorId: 'beta',  functionIds: ['three'],        type: 'logEntry.add',   under: null },
  { name: 'three+two at beta acts as two',                   actorId: 'beta',  functionIds: ['three', 'two'], type: 'logEntry.add',   under: 'two' },
  { name: 'two+one at beta acts as two, the first allowed',  actorId: 'beta',  functionIds: ['two', 'one'],   type: 'logEntry.add',   under: 'two' },
  { name: 'two+one at alfa acts as one',                     actorId: 'alfa',  functionIds: ['two', 'one'],   type: 'logEntry.add',   under: 'one' },
  { name: 'no function may not',                             actorId: 'alfa',  functionIds: [],               type: 'logEntry.add',   under: null },
  { name: 'two at beta reports',                             actorId: 'beta',  functionIds: ['two'],          type: 'report.submit',  under: 'two' },
  { name: 'one at gamma may not report (actor limit)',       actorId: 'gamma', functionIds: ['one'],          type: 'report.submit',  under: null },
  { name: 'an empty rule list allows nobody',                actorId: 'alfa',  functionIds: ['one'],          type: 'checkin.create', under: null },
  { name: 'a command the file leaves out allows nobody',     actorId: 'alfa',  functionIds: ['one', 'two'],   type: 'incident.activate', under: null },
];

describe('how a region file’s rules combine (stated by hand)', () => {
  it.each(named(SMALL_CASES))('%s', (_name, { actorId, functionIds, type, under }) => {
    const result = authorize(small, sender(actorId, functionIds), type);
    if (under === null) {
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    } else {
      expect(result).toEqual({ ok: true, functionId: under });
    }
  });
});
