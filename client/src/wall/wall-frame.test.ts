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

  it('draws the first change at once, then a burst within the frame once at its end, with the newest picture', () => {
    const stop = startWallFrames(250);
    const drawn: unknown[] = [];
    const unsubscribe = useWallFrame.subscribe((frame) => drawn.push(frame.state));
    const states = [1, 2, 3, 4].map((n) =>
      buildState({ incidents: [buildIncident({ title: `Incident ${n}` })] }),
    );
    const [first, ...burst] = states;
    if (!first) throw new Error('no states');
    usePicture.getState().replaceWithSnapshot({ epoch: 'e', seq: 1, state: first });
    expect(drawn).toEqual([first]);

    burst.forEach((state, i) => usePicture.getState().replaceWithSnapshot({ epoch: 'e', seq: i + 2, state }));
    expect(drawn).toEqual([first]);
    vi.advanceTimersByTime(250);
    expect(drawn).toEqual([first, states[3]]);

    // A quiet frame passes; the next change is drawn at once again.
    vi.advanceTimersByTime(250);
    const later = buildState({ incidents: [buildIncident({ title: 'Later' })] });
    usePicture.getState().replaceWithSnapshot({ epoch: 'e', seq: 9, state: later });
    expect(drawn).toEqual([first, states[3], later]);

    stop();
    usePicture.getState().reset();
    vi.advanceTimersByTime(1_000);
    expect(drawn).toHaveLength(3);
    unsubscribe();
  });
});
