import { applyInPlace, initialState, stateHash, type StoredEvent } from '@lagesbild/shared';
import {
  buildAcknowledgeCommand,
  buildActivateCommand,
  buildAttribution,
  buildIncident,
  buildReadinessCommand,
  buildRequestCommand,
  buildState,
  cloneJson,
  runCommands,
  testUuid,
} from '@lagesbild/shared/test-factories';
import { beforeEach, describe, expect, it } from 'vitest';
import { hashOf, pictureHash, usePicture } from './picture';

const STORM = testUuid(1);
const nacka = buildAttribution({ userId: 'user-nacka-tib', userName: 'Nils Nord', actorId: 'nacka' });

/** A short, real history: a request, its activation, an acknowledgement, readiness. */
function history(): StoredEvent[] {
  return runCommands([
    { command: buildRequestCommand({ incidentId: STORM }), by: nacka },
    { command: buildActivateCommand({ incidentId: STORM, summonedActorIds: ['lansstyrelsen', 'nacka'] }) },
    { command: buildAcknowledgeCommand({ incidentId: STORM }), by: nacka },
    { command: buildReadinessCommand({ heightened: true, note: 'Government decision' }) },
  ]).events;
}

const batch = (events: StoredEvent[], headSeq = events.at(-1)?.seq ?? 0, epoch = 'epoch-1') => ({
  epoch,
  events,
  headSeq,
});

const folded = (events: StoredEvent[]) => applyInPlace(initialState(), cloneJson(events));

describe('usePicture', () => {
  beforeEach(() => usePicture.getState().reset());

  it('folds a batch of events into the state and moves to the head', () => {
    const events = history();
    usePicture.getState().foldEvents(batch(events));

    const picture = usePicture.getState();
    expect(picture.state).toEqual(folded(events));
    expect(picture.state.incidents[STORM]?.status).toBe('active');
    expect(picture.state.readiness.heightened).toBe(true);
    expect(picture.lastSeq).toBe(events.length);
    expect(picture.epoch).toBe('epoch-1');
  });

  it('ignores events at or below lastSeq, so a replayed batch changes nothing', () => {
    const events = history();
    usePicture.getState().foldEvents(batch(events.slice(0, 2)));
    const afterTwo = usePicture.getState().state;

    // A reconnect replays from the start while live events carry on.
    const outcome = usePicture.getState().foldEvents(batch(events));
    expect(outcome).toMatchObject({ kind: 'folded', applied: events.length - 2 });
    expect(usePicture.getState().state).toEqual(folded(events));

    // The exact same batch again: nothing applied, the very same state object.
    const stateBefore = usePicture.getState().state;
    const again = usePicture.getState().foldEvents(batch(events));
    expect(again).toMatchObject({ kind: 'folded', applied: 0 });
    expect(usePicture.getState().state).toBe(stateBefore);
    expect(afterTwo).not.toBe(stateBefore);
  });

  it('moves lastSeq to headSeq past events this viewer was not sent, and never back', () => {
    const events = history();
    usePicture.getState().foldEvents(batch(events, 40));
    expect(usePicture.getState().lastSeq).toBe(40);

    usePicture.getState().foldEvents(batch([], 12));
    expect(usePicture.getState().lastSeq).toBe(40);
  });

  it('replaces everything with a snapshot', () => {
    usePicture.getState().foldEvents(batch(history()));
    const snapshotState = buildState({ incidents: [buildIncident({ title: 'Water main burst' })] });

    usePicture.getState().replaceWithSnapshot({ epoch: 'epoch-2', seq: 500, state: snapshotState });

    const picture = usePicture.getState();
    expect(picture.state).toEqual(snapshotState);
    expect(picture.state.incidents[STORM]).toBeUndefined();
    expect(picture.lastSeq).toBe(500);
    expect(picture.epoch).toBe('epoch-2');
  });

  it('refuses a batch from another epoch instead of mixing two logs', () => {
    const events = history();
    usePicture.getState().foldEvents(batch(events.slice(0, 1)));
    const before = usePicture.getState().state;

    const outcome = usePicture.getState().foldEvents(batch(events.slice(1), undefined, 'epoch-other'));

    expect(outcome).toEqual({ kind: 'epochMismatch' });
    expect(usePicture.getState().state).toBe(before);
    expect(usePicture.getState().lastSeq).toBe(1);
  });

  it('hashes the folded state exactly as the shared stateHash does', () => {
    const events = history();
    // Events arrive in several batches, one of them replayed.
    usePicture.getState().foldEvents(batch(events.slice(0, 3)));
    usePicture.getState().foldEvents(batch(events.slice(1)));

    expect(pictureHash()).toBe(stateHash(folded(events)));
    expect(pictureHash()).not.toBe(stateHash(initialState()));
  });

  it('recomputes the hash when the state changes', () => {
    const events = history();
    usePicture.getState().foldEvents(batch(events.slice(0, 1)));
    const first = pictureHash();
    usePicture.getState().foldEvents(batch(events));
    expect(pictureHash()).not.toBe(first);
    expect(hashOf(usePicture.getState().state)).toBe(stateHash(usePicture.getState().state));
  });
});
