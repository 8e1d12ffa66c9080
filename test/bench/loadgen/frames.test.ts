import { describe, expect, it } from 'vitest';
import { buildEvent, buildLogEntry } from '@lagesbild/shared/test-factories';
import {
  ackOk,
  ackSeq,
  eventName,
  forEachCommandId,
  frameEpoch,
  packetHeader,
  snapshotSeq,
  summariseBatch,
} from './frames.js';

// The load generator reads frames without parsing them; if it misread one, every figure
// of the benchmarks would be wrong without anyone noticing. Frames are built the way
// socket.io v4 writes them: `4` (message) `2` (event) [ack id] JSON array.
const frame = (text: string) => Buffer.from(text, 'utf8');
const eventFrame = (name: string, payload: unknown, ackId = '') =>
  frame(`42${ackId}${JSON.stringify([name, payload])}`);

// An event carries the entry as decided, without the seq the fold gives it (NewLogEntry).
const storedEvent = (seq: number, commandId: string) => {
  const { seq: _folded, ...entry } = buildLogEntry({ text: 'Möte kl 10 "seq":99' });
  return buildEvent({ type: 'logEntry.added', payload: { entry } }, { seq, commandId });
};

describe('the load generator reading socket.io frames', () => {
  it('finds the event name and the ack id of an event packet', () => {
    const f = eventFrame('command.send', { id: 'x' }, '17');
    const header = packetHeader(f);
    expect(header?.ackId).toBe(17);
    expect(header && eventName(f, header.arrayStart)).toBe('command.send');
  });

  it('reads the seqs, head and command ids of a sync.events batch, whatever the event text holds', () => {
    const events = [storedEvent(41, 'cmd-a'), storedEvent(42, 'cmd-b')];
    const f = eventFrame('sync.events', { epoch: 'e-1', events, headSeq: 45 });
    const header = packetHeader(f);
    if (!header) throw new Error('no header');
    expect(header.ackId).toBeNull();
    expect(summariseBatch(f, header.arrayStart)).toEqual({
      headSeq: 45,
      firstSeq: 41,
      lastSeq: 42,
      count: 2,
    });
    const ids: string[] = [];
    forEachCommandId(f, header.arrayStart, (id) => ids.push(id));
    expect(ids).toEqual(['cmd-a', 'cmd-b']);
    expect(frameEpoch(f, header.arrayStart)).toBe('e-1');
  });

  it('reads an empty batch as no events at the announced head', () => {
    const f = eventFrame('sync.events', { epoch: 'e-1', events: [], headSeq: 7 });
    expect(summariseBatch(f, 2)).toEqual({ headSeq: 7, firstSeq: null, lastSeq: null, count: 0 });
  });

  it('reads the seq of a snapshot before its state', () => {
    const f = eventFrame('sync.snapshot', { epoch: 'e-2', seq: 1234, state: { logEntries: {} } });
    expect(snapshotSeq(f, 2)).toBe(1234);
  });

  it('tells a successful command ack and its seq from a refusal', () => {
    const ok = frame(`433${JSON.stringify([{ ok: true, data: { seq: 88 } }])}`);
    const refused = frame(
      `434${JSON.stringify([{ ok: false, error: { code: 'forbidden', message: 'no' } }])}`,
    );
    const okHeader = packetHeader(ok);
    const refusedHeader = packetHeader(refused);
    if (!okHeader || !refusedHeader) throw new Error('no header');
    expect(okHeader.ackId).toBe(3);
    expect(ackOk(ok, okHeader.arrayStart)).toBe(true);
    expect(ackSeq(ok, okHeader.arrayStart)).toBe(88);
    expect(ackOk(refused, refusedHeader.arrayStart)).toBe(false);
  });
});
