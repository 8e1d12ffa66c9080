import { initialState, stateHash } from '@lagesbild/shared';
import { buildIncident, buildState } from '@lagesbild/shared/test-factories';
import { beforeEach, describe, expect, it } from 'vitest';
import { installDebugHook } from './debug-hook';
import { useConnection } from './stores/connection';
import { usePicture } from './stores/picture';

describe('window.__lagesbild', () => {
  beforeEach(() => {
    usePicture.getState().reset();
    useConnection.getState().reset();
    installDebugHook(window);
  });

  it('reads the live position, hash and connection state', () => {
    expect(window.__lagesbild?.lastSeq).toBe(0);
    expect(window.__lagesbild?.stateHash()).toBe(stateHash(initialState()));

    const state = buildState({ incidents: [buildIncident()] });
    usePicture.getState().replaceWithSnapshot({ epoch: 'e1', seq: 42, state });
    useConnection.getState().setHello({ hubId: 'hub-b', viewer: { kind: 'device' } });

    expect(window.__lagesbild?.lastSeq).toBe(42);
    expect(window.__lagesbild?.epoch).toBe('e1');
    expect(window.__lagesbild?.stateHash()).toBe(stateHash(state));
    expect(window.__lagesbild?.connection).toBe('online');
    expect(window.__lagesbild?.hubId).toBe('hub-b');
  });

  it('cannot be used to change what it reports', () => {
    const hook = window.__lagesbild;
    expect(() => Object.assign(hook ?? {}, { lastSeq: 7 })).toThrow(TypeError);
    expect(() => Object.assign(window, { __lagesbild: null })).toThrow(TypeError);
    expect(window.__lagesbild?.lastSeq).toBe(0);
  });
});
