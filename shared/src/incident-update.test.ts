import { describe, expect, it } from 'vitest';
import { apply } from './apply.js';
import { parseCommand } from './commands.js';
import { decide } from './decide.js';
import { LIMITS } from './limits.js';
import type { Incident, State } from './model.js';
import type { ErrorCode } from './result.js';
import {
  buildActivateCommand,
  buildAttribution,
  buildEvent,
  buildUpdateCommand,
  cloneJson,
  minutesAfterNow,
  named,
  runCommands,
  stockholmRegion,
  testUuid,
} from './testing/test-factories.js';

// `incident.update` changing an incident mid-course from the UI: title and kind as well as
// description, area, summons and next conference. Each row states the answer by hand.

const region = stockholmRegion();
const lead = buildAttribution();
const NOW = minutesAfterNow(30);
const STORM = testUuid(7001);

/** Storm Ylva, activated for Solna (and Länsstyrelsen, which activated) at seq 1–2. */
const activated: State = runCommands([
  {
    command: buildActivateCommand({
      incidentId: STORM,
      title: 'Storm Ylva',
      kind: 'weather',
      summonedActorIds: ['solna'],
    }),
    by: lead,
  },
]).state;
const VERSION = activated.incidents[STORM]?.version ?? -1;

/** Sends the raw command as the hub gets it: parsed first, then decided and folded at seq 10. */
function send(payload: Record<string, unknown>) {
  const parsed = parseCommand({ id: testUuid(7100), type: 'incident.update', payload });
  if (!parsed.ok) return { ok: false as const, code: parsed.code as ErrorCode, state: activated };
  const decision = decide(activated, parsed.command, lead, NOW, region);
  if (!decision.ok) return { ok: false as const, code: decision.error.code, state: activated };
  const state = decision.data.reduce(
    (s, draft, i) => apply(s, buildEvent(draft, { seq: 10 + i, at: NOW, by: lead })),
    activated,
  );
  return { ok: true as const, state };
}

type Accepted = { name: string; payload: Record<string, unknown>; expected: Partial<Incident> };
const ACCEPTED: Accepted[] = [
  {
    name: 'a new title is applied and versioned',
    payload: { incidentId: STORM, title: 'Storm Ylva – Roslagen', baseVersion: VERSION },
    expected: { title: 'Storm Ylva – Roslagen', kind: 'weather', version: 10 },
  },
  {
    name: 'a new kind is applied and versioned',
    payload: { incidentId: STORM, kind: 'flooding', baseVersion: VERSION },
    expected: { title: 'Storm Ylva', kind: 'flooding', version: 10 },
  },
  {
    name: 'a title is stored trimmed',
    payload: { incidentId: STORM, title: '  Storm Ylva, dag 2  ' },
    expected: { title: 'Storm Ylva, dag 2', version: 10 },
  },
  {
    name: 'title, kind and a grown summons together, the rest untouched',
    payload: {
      incidentId: STORM,
      title: 'Skyfall',
      kind: 'flooding',
      summonedActorIds: ['solna', 'lansstyrelsen', 'nacka'],
      baseVersion: VERSION,
    },
    expected: {
      title: 'Skyfall',
      kind: 'flooding',
      summonedActorIds: ['solna', 'lansstyrelsen', 'nacka'],
      description: 'Gale force winds, falling trees',
      version: 10,
    },
  },
];

type Refused = { name: string; payload: Record<string, unknown>; code: ErrorCode };
const REFUSED: Refused[] = [
  {
    name: 'an unknown kind is refused by the schema',
    payload: { incidentId: STORM, kind: 'meteor', baseVersion: VERSION },
    code: 'bad_request',
  },
  {
    name: 'an empty title is refused',
    payload: { incidentId: STORM, title: '', baseVersion: VERSION },
    code: 'bad_request',
  },
  {
    name: 'a title of blanks only is refused',
    payload: { incidentId: STORM, title: '   ', baseVersion: VERSION },
    code: 'bad_request',
  },
  {
    name: 'a title longer than the limit is refused',
    payload: { incidentId: STORM, title: 'x'.repeat(LIMITS.maxShortTextLength + 1), baseVersion: VERSION },
    code: 'bad_request',
  },
  {
    name: 'a change made on an older version is refused as stale',
    payload: { incidentId: STORM, title: 'Old news', kind: 'fire', baseVersion: VERSION - 1 },
    code: 'stale',
  },
];

describe('incident.update of title and kind', () => {
  it.each(named(ACCEPTED))('%s', (_name, row) => {
    const result = send(row.payload);
    expect(result.ok).toBe(true);
    expect(result.state.incidents[STORM]).toMatchObject(row.expected);
  });

  it.each(named(REFUSED))('%s, and nothing changes', (_name, row) => {
    const before = cloneJson(activated);
    const result = send(row.payload);
    expect(result).toMatchObject({ ok: false, code: row.code });
    expect(activated).toEqual(before);
  });

  it('says in a stale refusal what the incident is now, so the UI can show it', () => {
    const { state } = runCommands(
      [{ command: buildUpdateCommand({ incidentId: STORM, title: 'Storm Ylva – Roslagen' }), by: lead }],
      { state: activated, firstSeq: 5 },
    );
    const parsed = parseCommand({
      id: testUuid(7101),
      type: 'incident.update',
      payload: { incidentId: STORM, kind: 'fire', baseVersion: VERSION },
    });
    if (!parsed.ok) throw new Error(parsed.message);
    const decision = decide(state, parsed.command, lead, NOW, region);
    expect(decision).toMatchObject({
      ok: false,
      error: {
        code: 'stale',
        stale: {
          item: 'incident',
          incident: { title: 'Storm Ylva – Roslagen', kind: 'weather', version: 5 },
        },
      },
    });
  });
});
