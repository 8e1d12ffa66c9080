import { useState } from 'react';
import type { z } from 'zod';
import { clearDraft, loadDraft, saveDraft } from '../domain/drafts';

/** The conference forms whose unsent text is kept across a step change, a tab switch and a reload. */
export type ConferenceDraftPart = 'assessment' | 'actionItem' | 'correction' | 'round';

/**
 * Where a draft is kept: per user and conference, and for a round note per actor too, so a
 * chair at two screens, or two conferences, never share a draft.
 */
export const conferenceDraftKey = (
  part: ConferenceDraftPart,
  userId: string,
  conferenceId: string,
  actorId?: string,
): string => `conference.${part}.${userId}.${conferenceId}${actorId === undefined ? '' : `.${actorId}`}`;

/**
 * A form's draft kept in localStorage (domain/drafts) as the person types. `kept` says
 * whether the form started from a kept draft; `discard` drops it, as when it was sent.
 */
export function useConferenceDraft<S extends z.ZodType>(
  key: string,
  schema: S,
  fresh: () => z.infer<S>,
): {
  draft: z.infer<S>;
  kept: boolean;
  change: (next: z.infer<S>) => void;
  discard: (next?: z.infer<S>) => void;
} {
  const [start] = useState(() => loadDraft(key, schema));
  const [draft, setDraft] = useState<z.infer<S>>(() => start ?? fresh());
  const [kept, setKept] = useState(start !== null);
  const change = (next: z.infer<S>) => {
    saveDraft(key, next);
    setDraft(next);
    setKept(true);
  };
  const discard = (next?: z.infer<S>) => {
    clearDraft(key);
    setDraft(next ?? fresh());
    setKept(false);
  };
  return { draft, kept, change, discard };
}
