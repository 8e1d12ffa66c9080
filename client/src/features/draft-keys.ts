/** Where a user's log-entry draft for an incident (or the general log) is kept. */
export const logDraftKey = (userId: string, incidentId: string | null): string =>
  `log.${userId}.${incidentId ?? 'general'}`;

/** Where the draft of a request for joint handling is kept (suffixed with the user id). */
export const REQUEST_DRAFT_KEY = 'request';
