import { initialState, type Readiness } from '@lagesbild/shared';
import { TEST_NOW, buildAttribution } from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import {
  formFromReadiness,
  isUnchanged,
  readinessFormErrors,
  readinessPayload,
  type ReadinessForm,
} from './readiness-form';

const none = initialState().readiness;
const raise = (change: Partial<ReadinessForm> = {}): ReadinessForm => ({
  ...formFromReadiness(none),
  level: 'heightened',
  decisionRef: 'Fö2026/01234',
  decisionDay: '2026-03-01',
  ...change,
});
const inForce: Readiness = {
  heightened: true,
  note: '',
  since: TEST_NOW,
  by: buildAttribution(),
  level: 'highest',
  scope: 'parts',
  parts: 'Stockholms län',
  decisionRef: 'Fö2026/01234',
  decisionDate: '2026-03-01T12:00:00.000Z',
};

describe('the readiness form', () => {
  it('sends the level, scope, decision and its date as noon UTC of that day', () => {
    expect(readinessPayload(raise({ note: '  Gäller från kl. 18  ' }))).toEqual({
      heightened: true,
      note: 'Gäller från kl. 18',
      decision: {
        level: 'heightened',
        scope: 'country',
        parts: '',
        decisionRef: 'Fö2026/01234',
        decisionDate: '2026-03-01T12:00:00.000Z',
      },
    });
  });

  it('requires the government decision to be named and dated when raising, and the parts when it covers parts', () => {
    expect(readinessFormErrors(raise({ decisionRef: '  ' }))).toEqual({ decisionRef: 'required' });
    expect(readinessFormErrors(raise({ scope: 'parts', parts: '' }))).toEqual({ parts: 'required' });
    expect(readinessFormErrors(raise({ decisionDay: '2026-02-31' }))).toEqual({ decisionDay: 'badDate' });
    // The hub refuses a raise without the decision's date.
    expect(readinessFormErrors(raise({ decisionDay: '' }))).toEqual({ decisionDay: 'required' });
    expect(readinessFormErrors(raise())).toEqual({});
  });

  it('lifts without any decision, clearing the one in force', () => {
    const lift = { ...formFromReadiness(inForce), level: 'none' as const };
    expect(readinessFormErrors({ ...lift, decisionRef: '' })).toEqual({});
    expect(readinessPayload(lift)).toEqual({
      heightened: false,
      note: '',
      decision: { level: 'none', scope: 'country', parts: '', decisionRef: '', decisionDate: null },
    });
  });

  it('starts from the readiness in force, and knows when nothing was changed', () => {
    const form = formFromReadiness(inForce);
    expect(form).toMatchObject({
      level: 'highest',
      scope: 'parts',
      parts: 'Stockholms län',
      decisionDay: '2026-03-01',
    });
    expect(isUnchanged(form, inForce)).toBe(true);
    expect(isUnchanged({ ...form, level: 'heightened' }, inForce)).toBe(false);
    expect(isUnchanged(formFromReadiness(none), none)).toBe(true);
  });

  it('reads a readiness raised before levels existed as skärpt beredskap', () => {
    const old: Readiness = { ...none, heightened: true, since: TEST_NOW };
    expect(formFromReadiness(old).level).toBe('heightened');
  });
});
