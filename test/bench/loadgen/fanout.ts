import { newHistogram, recordMs, summarise } from '../support/latency.js';
import { pause, wallMs } from '../support/clock.js';
import type { EldMonitor } from '../support/eld-monitor.js';
import { activate } from '../../support/commands.js';
import type { BenchClient } from './bench-client.js';
import { ackOk, forEachCommandId } from './frames.js';
import type { Groups } from './groups.js';
import type { FanoutResult, Params } from './protocol.js';

type Round = FanoutResult['rounds'][number];

/**
 * Publishes one message per round and times its arrival at every receiver: S1 and the
 * hub's "event to 1,000 clients on two hubs". The send time is taken in this process just
 * before the publish, the receive time when the frame is read; both use one clock.
 */
export async function runFanout(
  groups: Groups,
  params: Params<'fanout'>,
  eld: EldMonitor,
): Promise<FanoutResult> {
  const publishers = groups.get(params.publisherGroup).filter((c) => c.isReady);
  if (publishers.length === 0) throw new Error(`no ready publisher in ${params.publisherGroup}`);
  if (params.hubCommands && params.hubCommands.length < params.rounds) {
    throw new Error(`${params.rounds} rounds but only ${params.hubCommands.length} commands`);
  }
  const all = newHistogram();
  const rounds: Round[] = [];
  eld.reset();
  for (let r = 0; r < params.rounds; r++) {
    rounds.push(await oneRound(groups, params, publishers, r, all));
    await pause(params.gapMs);
  }
  return { rounds, all: summarise(all), generatorEld: eld.summary() };
}

async function oneRound(
  groups: Groups,
  params: Params<'fanout'>,
  publishers: BenchClient[],
  round: number,
  all: ReturnType<typeof newHistogram>,
): Promise<Round> {
  const receivers = new Set(params.receiverGroups.flatMap((g) => groups.get(g)).filter((c) => c.isReady));
  const expected = receivers.size;
  const histogram = newHistogram();
  const seen = new Set<BenchClient>();
  let last = 0;
  let ackMs: number | null = null;
  let sentAt = 0;

  // The raw ceiling has no acks; the others finish a round only once the ack is in too.
  let acked = params.system === 'raw';
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  let refusal: string | undefined;
  const { id, send } = publication(groups, params, publishers, round, (at, refused) => {
    if (refused !== undefined) {
      // Nothing will arrive: waiting out the timeout would only slow the run down.
      refusal = refused;
      finish();
      return;
    }
    ackMs = at - sentAt;
    acked = true;
    if (seen.size === expected) finish();
  });
  const stop = groups.onBatch((client, frame, from, _summary, at) => {
    if (!receivers.has(client) || seen.has(client)) return;
    forEachCommandId(frame, from, (commandId) => {
      if (commandId !== id || seen.has(client)) return;
      seen.add(client);
      const latency = at - sentAt;
      recordMs(histogram, latency);
      recordMs(all, latency);
      last = Math.max(last, latency);
      if (seen.size === expected && acked) finish();
    });
  });
  const timer = setTimeout(finish, params.timeoutMs);
  sentAt = wallMs();
  send();
  await done;
  clearTimeout(timer);
  stop();
  const s = summarise(histogram);
  return {
    expected,
    received: seen.size,
    lost: expected - seen.size,
    p50: s.p50,
    p99: s.p99,
    last: Math.round(last * 1000) / 1000,
    ackMs: ackMs === null ? null : Math.round(ackMs * 1000) / 1000,
    ...(refusal === undefined ? {} : { refusal }),
  };
}

/** What round `round` sends, and the id receivers will see. */
function publication(
  groups: Groups,
  params: Params<'fanout'>,
  publishers: BenchClient[],
  round: number,
  /** Called with the answer's text when the hub refused the command. */
  onAck: (at: number, refused?: string) => void,
): { id: string; send: () => void } {
  const first = publishers[0];
  if (!first) throw new Error('no publisher');
  if (params.system === 'hub') {
    const given = params.hubCommands?.[round];
    const command = given ?? activate();
    const json = given?.json ?? JSON.stringify(command);
    return {
      id: command.id,
      send: () =>
        groups.emitWithAck(first, 'command.send', json, (frame, from, at) => {
          if (ackOk(frame, from)) onAck(at);
          else onAck(at, frame.toString('utf8', from, Math.min(frame.length, from + 300)));
        }),
    };
  }
  const id = crypto.randomUUID();
  const payload = params.frameTemplate.replace('__COMMAND_ID__', id);
  if (params.system === 'sio') {
    return { id, send: () => groups.emitWithAck(first, 'publish', payload, (_f, _from, at) => onAck(at)) };
  }
  // The raw ceiling has no inter-process hop: the publisher hands the frame to every process.
  const frame = Buffer.from(`P42["sync.events",${payload}]`);
  return {
    id,
    send: () => {
      for (const p of publishers) p.sendRaw(frame);
    },
  };
}
