import {
  buildMessageContent,
  minutesAfterNow,
  stockholmRegion,
  TEST_NOW,
} from '@lagesbild/shared/test-factories';
import { toLocalInput } from '../domain/format';
import { describe, expect, it } from 'vitest';
import {
  blankMessageForm,
  contentFromForm,
  formFromContent,
  formFromVersion,
  type MessageForm,
} from './message-form';

const region = stockholmRegion();

/** A filled form: Swedish texts, valid for twelve hours from the test clock. */
const filled = (change: Partial<MessageForm> = {}): MessageForm => {
  const form = blankMessageForm(Date.parse(TEST_NOW), 'stockholm', null);
  return {
    ...form,
    texts: {
      sv: { headline: 'Stormvarning', core: 'Stormen når Stockholm i kväll.', whatToDo: '' },
      en: null,
      svEasy: null,
    },
    ...change,
  };
};

describe('the message form', () => {
  it('builds the content of a filled form, municipalities as picked', () => {
    const result = contentFromForm(filled({ municipalityCodes: ['0182', '0180'] }), null, region);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.content.area.municipalityCodes).toEqual(['0182', '0180']);
    expect(result.approverActorIds).toEqual(['stockholm']);
  });

  it('says per field what is wrong: an empty core, a validity ending first, a bad channel, no approvers', () => {
    const form = filled({
      texts: {
        sv: { headline: 'Rubrik', core: '  ', whatToDo: '' },
        en: { headline: '', core: 'x', whatToDo: '' },
        svEasy: null,
      },
      channels: [{ id: 'c1', actorId: '', url: 'ftp://example' }],
      validFrom: '2024-05-01T20:00',
      validUntil: '2024-05-01T18:00',
      approverActorIds: [],
      polygon: [
        [18, 59.3],
        [18.1, 59.3],
      ],
    });
    const result = contentFromForm(form, null, region);
    expect(result).toEqual({
      ok: false,
      problems: {
        'sv.core': 'required',
        'en.headline': 'required',
        'channel.c1.actor': 'noActor',
        'channel.c1.url': 'badUrl',
        polygon: 'areaTooSmall',
        validUntil: 'endsBeforeStart',
        approvers: 'noApprovers',
      },
    });
  });

  it('keeps a saved version’s exact times while their minutes are left as they were', () => {
    const content = buildMessageContent({ validFrom: '2024-05-01T08:00:30.500Z' });
    const form = formFromContent(content, ['stockholm', 'nacka']);
    const result = contentFromForm(form, content, region);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.content).toEqual(content);
    expect(result.approverActorIds).toEqual(['stockholm', 'nacka']);
  });

  it('refuses a validity already ended, an area outside the region, and approvers left out of the incident', () => {
    const form = filled({
      polygon: [
        [-74, 40.7],
        [-74.1, 40.7],
        [-74.1, 40.8],
      ],
      approverActorIds: ['stockholm', 'polisen'],
    });
    const takesPart = (id: string) => id !== 'polisen';
    const owner = { ownerActorId: 'stockholm', userIsOwner: true, takesPart };
    const now = Date.parse(minutesAfterNow(13 * 60));
    expect(contentFromForm(form, null, region, { now, approvers: owner })).toEqual({
      ok: false,
      problems: { polygon: 'outsideRegion', validUntil: 'untilPast', approvers: 'approverGone' },
    });
    const other = { ...owner, userIsOwner: false };
    const result = contentFromForm(filled({ approverActorIds: ['stockholm', 'polisen'] }), null, region, {
      approvers: other,
    });
    expect(result).toEqual({ ok: false, problems: { approvers: 'approverGoneAskOwner' } });
    const ownerGone = { ...owner, takesPart: (id: string) => id !== 'stockholm' };
    expect(contentFromForm(filled(), null, region, { approvers: ownerGone })).toEqual({
      ok: false,
      problems: { approvers: 'ownerGone' },
    });
  });

  it('renews an expired version’s validity from now, for as long as it was, and leaves a valid one', () => {
    const content = buildMessageContent({ validFrom: TEST_NOW, validUntil: minutesAfterNow(120) });
    const later = Date.parse(minutesAfterNow(180));
    const renewed = formFromVersion(content, ['stockholm'], later);
    expect([renewed.validFrom, renewed.validUntil]).toEqual([
      toLocalInput(minutesAfterNow(180)),
      toLocalInput(minutesAfterNow(300)),
    ]);
    const kept = formFromVersion(content, ['stockholm'], Date.parse(minutesAfterNow(60)));
    expect(kept.validUntil).toBe(toLocalInput(minutesAfterNow(120)));
  });
});
