import { LIMITS, type CommandPayload } from '@lagesbild/shared';
import { fromLocalInput, toLocalInput } from '../../domain/format';

/** What the person is writing in the offer form. */
export type OfferDraft = { what: string; quantity: string; availableFrom: string; note: string };

/** Why the draft cannot be sent yet, per field. */
export type OfferDraftErrors = Partial<Record<'what' | 'availableFrom', 'required' | 'badTime'>>;

/** An empty offer, available now: most help offered in a crisis is ready at once. */
export const emptyOfferDraft = (nowIso: string): OfferDraft => ({
  what: '',
  quantity: '',
  availableFrom: toLocalInput(nowIso),
  note: '',
});

/** The need an offer answers: the report the person read, and its incident and actor. */
export type OfferTarget = { incidentId: string; needActorId: string; reportId: string };

/**
 * The `offer.make` payload for a draft, or what is missing. The report id is the one the
 * person saw, so an offer on a need that changed meanwhile is refused as stale.
 */
export function offerPayload(
  draft: OfferDraft,
  target: OfferTarget,
  offerId: string,
): { ok: true; payload: CommandPayload<'offer.make'> } | { ok: false; errors: OfferDraftErrors } {
  const errors: OfferDraftErrors = {};
  const what = draft.what.trim();
  if (what === '') errors.what = 'required';
  const availableAt = fromLocalInput(draft.availableFrom);
  if (availableAt === null) errors.availableFrom = draft.availableFrom === '' ? 'required' : 'badTime';
  if (errors.what || errors.availableFrom || availableAt === null) return { ok: false, errors };
  return {
    ok: true,
    payload: {
      offerId,
      ...target,
      what: what.slice(0, LIMITS.maxShortTextLength),
      quantity: draft.quantity.trim().slice(0, LIMITS.maxShortTextLength),
      availableAt,
      note: draft.note.slice(0, LIMITS.maxTextLength),
    },
  };
}
