import { fillTemplate } from '@lagesbild/shared';
import {
  buildDirectiveTemplate,
  stockholmRegion,
  testUuid,
  TEST_NOW,
} from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import { changedFromTemplate, shiftedToNow, TEMPLATE_START_SLACK_MS } from './template-changes';

const region = stockholmRegion();
const DIRECTIVE = testUuid(77);
const at = (minutes: number) => new Date(Date.parse(TEST_NOW) + minutes * 60_000).toISOString();
/** What the form filled when drafting began, and what the hub filled when the draft was saved. */
const formFill = fillTemplate(buildDirectiveTemplate(), region, TEST_NOW, DIRECTIVE);
const hubFill = (minutes: number) => fillTemplate(buildDirectiveTemplate(), region, at(minutes), DIRECTIVE);

describe('what a draft changed from its template', () => {
  it('is nothing for the template as filled, even by another clock within the slack', () => {
    expect([...changedFromTemplate(formFill, hubFill(2))]).toEqual([]);
  });

  it('names an edited priority and nothing else', () => {
    const edited = { ...formFill, priorities: ['Liv, hälsa och värme'] };
    expect([...changedFromTemplate(edited, formFill)]).toEqual(['priorities']);
  });

  it('reads the times as a start "from now" and lengths from it', () => {
    const later = { ...formFill, validFrom: at(TEMPLATE_START_SLACK_MS / 60_000 + 60) };
    expect(changedFromTemplate(later, formFill).has('validFrom')).toBe(true);
    const longer = { ...formFill, validUntil: at(48 * 60) };
    expect([...changedFromTemplate(longer, formFill)]).toEqual(['validUntil']);
    const noReview = { ...formFill, reviewAt: null };
    expect([...changedFromTemplate(noReview, formFill)]).toEqual(['reviewAt']);
  });

  it('moves untouched times to the saving moment, keeping an edited end where the person put it', () => {
    const saved = shiftedToNow(formFill, formFill, Date.parse(at(20)));
    expect(saved.validFrom).toBe(at(20));
    expect([...changedFromTemplate(saved, hubFill(20))]).toEqual([]);

    const ownEnd = { ...formFill, validUntil: at(10 * 60) };
    const shifted = shiftedToNow(ownEnd, formFill, Date.parse(at(20)));
    expect(shifted.validUntil).toBe(at(10 * 60));
    expect(shifted.reviewAt).toBe(at(20 + 4 * 60));
  });

  it('leaves a start the person chose alone', () => {
    const chosen = { ...formFill, validFrom: at(12 * 60), validUntil: at(30 * 60), reviewAt: null };
    expect(shiftedToNow(chosen, formFill, Date.parse(at(20)))).toEqual(chosen);
  });
});
