import { describe, expect, it } from 'vitest';
import {
  FOCUS_HOLD_MS,
  focusIncident,
  initialRotation,
  ROTATE_MS,
  rotationPosition,
  tickRotation,
} from './rotation';

const ids = ['storm', 'flood', 'fire'];

describe('tickRotation', () => {
  it('shows the first incident as soon as there is one', () => {
    expect(tickRotation(initialRotation(0), ids, 10)).toEqual({
      currentId: 'storm',
      since: 10,
      holdMs: ROTATE_MS,
    });
  });

  it('keeps the incident on screen until its turn is over', () => {
    const showing = tickRotation(initialRotation(0), ids, 0);
    expect(tickRotation(showing, ids, ROTATE_MS - 1)).toBe(showing);
    expect(tickRotation(showing, ids, ROTATE_MS).currentId).toBe('flood');
  });

  it('goes round: after the last incident comes the first', () => {
    let state = tickRotation(initialRotation(0), ids, 0);
    const seen: (string | null)[] = [];
    for (let turn = 1; turn <= 4; turn++) {
      state = tickRotation(state, ids, turn * ROTATE_MS);
      seen.push(state.currentId);
    }
    expect(seen).toEqual(['flood', 'fire', 'storm', 'flood']);
  });

  it('does not rotate a single incident', () => {
    const showing = tickRotation(initialRotation(0), ['storm'], 0);
    expect(tickRotation(showing, ['storm'], 10 * ROTATE_MS)).toBe(showing);
  });

  it('replaces a closed incident at once, without waiting for its turn to end', () => {
    const showing = { currentId: 'flood', since: 0, holdMs: ROTATE_MS };
    expect(tickRotation(showing, ['storm', 'fire'], 5)).toEqual({
      currentId: 'storm',
      since: 5,
      holdMs: ROTATE_MS,
    });
  });

  it('shows nothing when the last incident is closed, and stays put after that', () => {
    const showing = { currentId: 'storm', since: 0, holdMs: ROTATE_MS };
    const none = tickRotation(showing, [], 7);
    expect(none.currentId).toBeNull();
    expect(tickRotation(none, [], 99)).toBe(none);
  });
});

describe('focusIncident', () => {
  it('holds a new activation on screen longer than a normal turn, then rotates on', () => {
    const focused = focusIncident('fire', 1_000);
    expect(tickRotation(focused, ids, 1_000 + ROTATE_MS).currentId).toBe('fire');
    expect(tickRotation(focused, ids, 1_000 + FOCUS_HOLD_MS)).toEqual({
      currentId: 'storm',
      since: 1_000 + FOCUS_HOLD_MS,
      holdMs: ROTATE_MS,
    });
  });
});

describe('rotationPosition', () => {
  it('tells which of how many is shown', () => {
    expect(rotationPosition(ids, 'flood')).toEqual({ index: 1, count: 3 });
    expect(rotationPosition(ids, null)).toBeNull();
    expect(rotationPosition(ids, 'gone')).toBeNull();
  });
});
