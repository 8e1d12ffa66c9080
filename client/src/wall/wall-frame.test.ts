import { buildIncident, buildState } from '@lagesbild/shared/test-factories';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { usePicture } from '../stores/picture';
import { startWallFrames, useWallFrame } from './wall-frame';

describe('wall frames', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    usePicture.getState().reset();
  });
  afterEach(() => vi.useRealTimers());

  it('draws a burst of changes once, at most a frame later, with the newest picture', () => {
    const stop = startWallFrames(250);
    const drawn: unknown[] = [];
    const unsubscribe = useWallFrame.subscribe((frame) => drawn.push(frame.state));
    const states = [1, 2, 3].map((n) =>
      buildState({ incidents: [buildIncident({ title: `Incident ${n}` })] }),
    );
    states.forEach((state, seq) => usePicture.getState().replaceWithSnapshot({ epoch: 'e', seq, state }));

    expect(drawn).toEqual([]);
    vi.advanceTimersByTime(250);
    expect(drawn).toEqual([states[2]]);

    stop();
    usePicture.getState().reset();
    vi.advanceTimersByTime(1_000);
    expect(drawn).toHaveLength(1);
    unsubscribe();
  });
});
