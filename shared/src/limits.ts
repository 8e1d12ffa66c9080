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
  /** Longest meeting link or dial-in text of a conference (characters). */
  maxDialInLength: 500,
  /** Most decisions and action items one conference may record. */
  maxActionItemsPerConference: 500,
  /** Most versions of the common assessment one conference may keep. */
  maxAssessmentVersions: 100,
  /** Most approved versions of one conference's minutes. */
  maxMinutesVersions: 50,
  /**
   * Largest one version of a conference's minutes may be, as JSON (bytes): every version is a
   * whole copy, kept in the conference and in every snapshot.
   */
  maxMinutesBytes: 256 * 1024,
  /** Most offers one need may receive. */
  maxOffersPerNeed: 200,
  /** Most priorities one directive (or template) may list. */
  maxDirectivePriorities: 30,
  /** Most responsibilities one directive (or template) may hold. */
  maxDirectiveItems: 100,
  /** Most decided versions one directive may keep. */
  maxDirectiveVersions: 200,
  /** Longest headline of a joint message (a push notice shows about this much). */
  maxMessageHeadlineLength: 160,
  /** Longest core message or "what to do" of a joint message, per language: short and plain. */
  maxMessageTextLength: 1500,
  /** Most "more information" channels one joint message may list. */
  maxMessageChannels: 40,
  /** Most municipalities one joint message's area may name. */
  maxMessageMunicipalities: 60,
  /** Most versions one joint message may keep. */
  maxMessageVersions: 200,
} as const;
