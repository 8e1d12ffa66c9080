import { PROTOCOL_VERSION, type StoredEvent } from '@lagesbild/shared';
import {
  buildActivateCommand,
  buildIncident,
  buildState,
  runCommands,
  testUuid,
} from '@lagesbild/shared/test-factories';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useConnection } from '../stores/connection';
import { usePicture } from '../stores/picture';
import { classifyConnectError, handleEvents, handleHello, handleHubStatus, handleSnapshot } from './handlers';

const STORM = testUuid(1);
const events = (): StoredEvent[] =>
  runCommands([{ command: buildActivateCommand({ incidentId: STORM }) }]).events;

const hello = {
  protocolVersion: PROTOCOL_VERSION,
  hubId: 'hub-a',
  epoch: 'e1',
  headSeq: 0,
  viewer: { kind: 'actor', actorId: 'nacka' },
};

describe('realtime handlers', () => {
  beforeEach(() => {
    usePicture.getState().reset();
    useConnection.getState().reset();
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });

  it('goes online on hello and remembers which hub answered', () => {
    expect(handleHello(hello)).toBe('none');
    expect(useConnection.getState()).toMatchObject({ status: 'online', hubId: 'hub-a' });
  });

  it('follows what the hub says about storing commands, and assumes a new hub can', () => {
    handleHello(hello);
    handleHubStatus({ canStore: false });
    expect(useConnection.getState().canStore).toBe(false);
    handleHubStatus({ canStore: true });
    expect(useConnection.getState().canStore).toBe(true);
    handleHubStatus({ canStore: false });
    handleHello({ ...hello, hubId: 'hub-b' });
    expect(useConnection.getState().canStore).toBe(true);
  });

  it('ignores an unreadable hub status and counts it', () => {
    handleHubStatus({ canStore: 'no' });
    expect(useConnection.getState()).toMatchObject({ canStore: true, invalidMessages: 1 });
  });

  it('asks for a reload when the hello names another protocol version', () => {
    expect(handleHello({ ...hello, protocolVersion: PROTOCOL_VERSION + 1 })).toBe('protocolMismatch');
    expect(useConnection.getState().status).toBe('connecting');
  });

  it('folds events and stamps the time of the last one', () => {
    const batch = events();
    expect(handleEvents({ epoch: 'e1', events: batch, headSeq: batch.length }, 1_000)).toBe('none');
    expect(usePicture.getState().state.incidents[STORM]?.status).toBe('active');
    expect(useConnection.getState().lastEventAt).toBe(1_000);
  });

  it('does not stamp a batch that only repeats what we have', () => {
    const batch = events();
    handleEvents({ epoch: 'e1', events: batch, headSeq: batch.length }, 1_000);
    handleEvents({ epoch: 'e1', events: batch, headSeq: batch.length }, 2_000);
    expect(useConnection.getState().lastEventAt).toBe(1_000);
  });

  it('asks for a fresh sync when events come from another epoch', () => {
    const batch = events();
    handleEvents({ epoch: 'e1', events: batch, headSeq: batch.length }, 1_000);
    expect(handleEvents({ epoch: 'e2', events: [], headSeq: 9 }, 2_000)).toBe('resync');
  });

  it('refuses a malformed event instead of folding it, and counts it', () => {
    const [event] = events();
    const broken = { ...event, payload: { incidentId: 'not-a-uuid' } };
    expect(handleEvents({ epoch: 'e1', events: [broken], headSeq: 1 }, 1_000)).toBe('none');
    expect(usePicture.getState().lastSeq).toBe(0);
    expect(useConnection.getState().invalidMessages).toBe(1);
    expect(useConnection.getState().lastProblem?.code).toBe('invalid_message');
  });

  it('replaces the state with a snapshot', () => {
    const state = buildState({ incidents: [buildIncident({ title: 'Water main burst' })] });
    expect(handleSnapshot({ epoch: 'e3', seq: 77, state }, 5_000)).toBe('none');
    expect(usePicture.getState()).toMatchObject({ state, lastSeq: 77, epoch: 'e3' });
    expect(useConnection.getState().lastEventAt).toBe(5_000);
  });

  it('refuses a snapshot whose state does not parse', () => {
    expect(handleSnapshot({ epoch: 'e3', seq: 77, state: { incidents: 'lots' } }, 5_000)).toBe('none');
    expect(usePicture.getState().lastSeq).toBe(0);
    expect(useConnection.getState().invalidMessages).toBe(1);
  });
});

describe('classifyConnectError', () => {
  const refusal = (code: string) => ({ message: 'refused', data: { code, message: `hub says ${code}` } });

  it('recognises the refusals that need the app', () => {
    expect(classifyConnectError(refusal('protocol_mismatch'), false)).toEqual({ kind: 'protocolMismatch' });
    expect(classifyConnectError(refusal('unauthenticated'), false)).toEqual({ kind: 'unauthenticated' });
  });

  it('tells a hub waiting for its log from other refusals, so it is tried again soon', () => {
    expect(classifyConnectError(refusal('log_unavailable'), false)).toEqual({
      kind: 'logUnavailable',
      message: 'hub says log_unavailable',
    });
  });

  it('treats other refusals as retry-later, with the hub explanation', () => {
    expect(classifyConnectError(refusal('bad_request'), false)).toEqual({
      kind: 'refused',
      code: 'bad_request',
      message: 'hub says bad_request',
    });
  });

  it('leaves network failures to socket.io retrying', () => {
    expect(classifyConnectError({ message: 'xhr poll error' }, true)).toEqual({
      kind: 'transient',
      message: 'xhr poll error',
    });
  });
});
