/** Upper bounds for everything a client can send; the hub and the forms use the same numbers. */
export const LIMITS = {
  /** Longest free-text field of a report, incident or log entry (characters). */
  maxTextLength: 4000,
  /** Longest title, reason, label or name (characters). */
  maxShortTextLength: 200,
  /** Most map features one situation report may carry. */
  maxFeaturesPerReport: 200,
  /** Most coordinate pairs in one geometry (line or polygon, all rings together). */
  maxPositionsPerGeometry: 2000,
  /** Most actors a sharing list or a summons may name. */
  maxActorsPerList: 200,
  /** Largest serialised command the hub accepts over HTTP or the socket (bytes). */
  maxCommandBytes: 64 * 1024,
  /** Most events one `GET /api/events` page returns. */
  maxEventsPerPage: 1000,
} as const;
