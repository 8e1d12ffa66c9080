import { initialState } from '@lagesbild/shared';
import { buildIncident, buildState, minutesAfterNow, testUuid } from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import { initialActivationWatch, watchActivations } from './activation-watch';

const storm = buildIncident({ id: testUuid(1), title: 'Storm Ylva' });
const flood = buildIncident({
  id: testUuid(2),
  title: 'Flooding in Norrtälje',
  activatedAt: minutesAfterNow(5),
});

describe('watchActivations', () => {
  it('does not announce what was already active when the wall started', () => {
    const first = watchActivations(initialActivationWatch(), buildState({ incidents: [storm] }), true);
    expect(first.announced).toEqual([]);
    expect(first.watch.baseline).toBe(true);
  });

  it('announces an incident that becomes active while the wall runs', () => {
    const { watch } = watchActivations(initialActivationWatch(), buildState({ incidents: [storm] }), true);
    const next = watchActivations(watch, buildState({ incidents: [storm, flood] }), true);
    expect(next.announced.map((i) => i.title)).toEqual(['Flooding in Norrtälje']);
    // Announced once: the same picture again is not news.
    expect(watchActivations(next.watch, buildState({ incidents: [storm, flood] }), true).announced).toEqual(
      [],
    );
  });

  it('announces a request when it is activated, not when it is asked for', () => {
    const requested = { ...flood, status: 'requested' as const, activatedAt: null };
    const { watch } = watchActivations(initialActivationWatch(), buildState({ incidents: [storm] }), true);
    const asked = watchActivations(watch, buildState({ incidents: [storm, requested] }), true);
    expect(asked.announced).toEqual([]);
    expect(
      watchActivations(asked.watch, buildState({ incidents: [storm, flood] }), true).announced,
    ).toHaveLength(1);
  });

  it('waits for the first picture before taking its baseline', () => {
    const empty = watchActivations(initialActivationWatch(), initialState(), false);
    expect(empty.watch.baseline).toBe(false);
    expect(watchActivations(empty.watch, buildState({ incidents: [storm] }), true).announced).toEqual([]);
  });

  it('neither announces nor forgets while the picture is being replaced', () => {
    const { watch } = watchActivations(initialActivationWatch(), buildState({ incidents: [storm] }), true);
    const replacing = watchActivations(watch, initialState(), false);
    expect(replacing.watch).toBe(watch);
    // The snapshot brings the same incident back: still not news.
    expect(watchActivations(replacing.watch, buildState({ incidents: [storm] }), true).announced).toEqual([]);
  });

  it('forgets closed incidents, so its memory stays as small as the screen', () => {
    const { watch } = watchActivations(
      initialActivationWatch(),
      buildState({ incidents: [storm, flood] }),
      true,
    );
    const closed = watchActivations(
      watch,
      buildState({ incidents: [{ ...storm, status: 'closed' }, flood] }),
      true,
    );
    expect([...closed.watch.seen]).toEqual([flood.id]);
  });
});
