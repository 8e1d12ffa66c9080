import { describe, expect, it } from 'vitest';
import { emptyOfferDraft, offerPayload } from './offer-draft';

const target = {
  incidentId: '00000000-0000-4000-8000-000000000001',
  needActorId: 'huddinge',
  reportId: '00000000-0000-4000-8000-000000000002',
};
const offerId = '00000000-0000-4000-8000-000000000003';

describe('offerPayload', () => {
  it('makes the offer.make payload with the texts trimmed and the time in UTC', () => {
    const draft = {
      what: '  Reservelverk ',
      quantity: ' 2 st ',
      availableFrom: '2024-05-01T12:00',
      note: 'Med operatör',
    };
    expect(offerPayload(draft, target, offerId)).toEqual({
      ok: true,
      payload: {
        offerId,
        ...target,
        what: 'Reservelverk',
        quantity: '2 st',
        availableAt: '2024-05-01T12:00:00.000Z',
        note: 'Med operatör',
      },
    });
  });

  it('rejects an offer that says nothing about what is offered', () => {
    const draft = { ...emptyOfferDraft('2024-05-01T08:00:00.000Z'), what: '   ' };
    expect(offerPayload(draft, target, offerId)).toEqual({ ok: false, errors: { what: 'required' } });
  });

  it('rejects a missing or unreadable time', () => {
    const draft = { what: 'Pumpar', quantity: '', note: '' };
    expect(offerPayload({ ...draft, availableFrom: '' }, target, offerId)).toEqual({
      ok: false,
      errors: { availableFrom: 'required' },
    });
    expect(offerPayload({ ...draft, availableFrom: 'i morgon' }, target, offerId)).toEqual({
      ok: false,
      errors: { availableFrom: 'badTime' },
    });
  });

  it('starts an offer as available now', () => {
    expect(emptyOfferDraft('2024-05-01T08:05:00.000Z').availableFrom).toBe('2024-05-01T08:05');
  });
});
