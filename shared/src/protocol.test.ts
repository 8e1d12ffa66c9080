import { describe, expect, it } from 'vitest';
import {
  CommandAck,
  HandshakeAuth,
  PROTOCOL_VERSION,
  parseServerMessage,
  serverMessages,
  type ServerMessageName,
} from './protocol.js';
import {
  buildActivateCommand,
  buildState,
  buildIncident,
  runCommands,
  testUuid,
} from './testing/test-factories.js';

const STORM = testUuid(1);
const { events } = runCommands([{ command: buildActivateCommand({ incidentId: STORM }) }]);

const hello = {
  protocolVersion: PROTOCOL_VERSION,
  hubId: 'hub-a',
  epoch: 'e1',
  headSeq: 2,
  viewer: { kind: 'actor', actorId: 'nacka' },
};

/** One well-formed payload of every message the hub sends. */
const wellFormed: { [K in ServerMessageName]: unknown } = {
  'sync.hello': hello,
  'sync.events': { epoch: 'e1', events, headSeq: 2 },
  'sync.snapshot': { epoch: 'e1', seq: 2, state: buildState({ incidents: [buildIncident()] }) },
  'hub.status': { canStore: false },
};

const names = Object.keys(serverMessages) as ServerMessageName[];

describe('the handshake', () => {
  it('accepts a fresh client and one that resumes from its position', () => {
    expect(HandshakeAuth.parse({ protocolVersion: PROTOCOL_VERSION })).toEqual({
      protocolVersion: PROTOCOL_VERSION,
    });
    const resuming = { protocolVersion: PROTOCOL_VERSION, lastSeq: 40, epoch: 'e1' };
    expect(HandshakeAuth.parse(resuming)).toEqual(resuming);
  });

  it.each([
    ['an unknown field', { protocolVersion: 1, admin: true }],
    ['a negative position', { protocolVersion: 1, lastSeq: -1, epoch: 'e1' }],
    ['a fractional version', { protocolVersion: 1.5 }],
    ['an epoch too long to be one', { protocolVersion: 1, lastSeq: 1, epoch: 'x'.repeat(101) }],
    ['no version', { lastSeq: 1 }],
  ])('refuses %s', (_name, auth) => {
    expect(HandshakeAuth.safeParse(auth).success).toBe(false);
  });
});

describe("the hub's messages", () => {
  it('reads every message the hub sends', () => {
    for (const name of names) {
      expect(parseServerMessage(name, wellFormed[name])).toEqual({ ok: true, value: wellFormed[name] });
    }
  });

  it('drops a field a newer hub added instead of refusing the message', () => {
    for (const name of names) {
      const payload = wellFormed[name];
      const parsed = parseServerMessage(name, { ...(payload as object), addedLater: 'ignored' });
      expect(parsed).toEqual({ ok: true, value: payload });
    }
  });

  it.each([
    ['sync.hello', { ...hello, viewer: { kind: 'robot' } }, 'viewer'],
    ['sync.hello', { ...hello, headSeq: -1 }, 'headSeq'],
    ['sync.events', { epoch: 'e1', events: 'all of them', headSeq: 2 }, 'events'],
    ['hub.status', { canStore: 'no' }, 'canStore'],
    ['sync.snapshot', { epoch: 'e1', seq: 2, state: { incidents: 'lots' } }, 'state'],
  ] as const)('refuses a malformed %s and says where (%#)', (name, payload, where) => {
    const parsed = parseServerMessage(name, payload);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.message.startsWith(`${name}: `)).toBe(true);
    expect(parsed.message).toContain(where);
  });

  it('refuses a batch with one malformed event whole, and an event with an unknown field', () => {
    const [event] = events;
    const broken = { ...event, payload: { incidentId: 'not-a-uuid' } };
    expect(parseServerMessage('sync.events', { epoch: 'e1', events: [broken], headSeq: 1 }).ok).toBe(false);
    const padded = { ...event, extra: true };
    expect(parseServerMessage('sync.events', { epoch: 'e1', events: [padded], headSeq: 1 }).ok).toBe(false);
  });

  it('refuses a message that is not an object at all', () => {
    for (const name of names) {
      expect(parseServerMessage(name, null).ok).toBe(false);
      expect(parseServerMessage(name, '{"canStore":true}').ok).toBe(false);
    }
  });
});

describe('the ack of command.send', () => {
  it('carries the seq of the last event, or the refusal', () => {
    expect(CommandAck.parse({ ok: true, data: { seq: 7 } })).toEqual({ ok: true, data: { seq: 7 } });
    const refused = { ok: false, error: { code: 'forbidden', message: 'Not yours to activate' } };
    expect(CommandAck.parse(refused)).toEqual(refused);
  });

  it.each([
    ['the seq beside ok', { ok: true, seq: 7 }],
    ['an unknown error code', { ok: false, error: { code: 'oops', message: 'x' } }],
    ['a refusal without a reason', { ok: false }],
    ['success with an extra field', { ok: true, data: { seq: 7, extra: 1 } }],
  ])('refuses %s', (_name, ack) => {
    expect(CommandAck.safeParse(ack).success).toBe(false);
  });
});
