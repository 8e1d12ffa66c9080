import {
  currentMessageOf,
  latestAgreedVersion,
  messagesOf,
  type JointMessage,
  type MessageText,
  type MessageVersion,
  type State,
} from '@lagesbild/shared';

// What the wall and the phone show of an incident's joint message to the public, derived
// from the picture by pure functions. Only agreed versions are shown: a draft is work in
// progress and must never be read from across the room as what the public is told.

/**
 * How long a withdrawn message stays on the wall and the phone as "Återkallat": long enough
 * for the room to notice that what it may have repeated is no longer to be said, short
 * enough that a withdrawal from the morning does not clutter the afternoon.
 */
export const WITHDRAWN_NOTICE_MS = 10 * 60_000;

/** The message shown for an incident: its agreed version in force, or a recent withdrawal. */
export type ShownMessage =
  | { kind: 'agreed'; message: JointMessage; version: MessageVersion }
  | {
      kind: 'withdrawn';
      message: JointMessage;
      /** The last agreed version, whose headline the room saw. */
      version: MessageVersion;
      withdrawnAt: string;
    };

/** Whether an agreed version's validity has ended at `now` (valid until, not including, `validUntil`). */
export const hasRunOut = (version: MessageVersion, now: number): boolean =>
  Date.parse(version.content.validUntil) <= now;

/**
 * Whether an agreed version's validity is still to begin at `now` ("gäller från 14:00").
 * One that starts no later than it was agreed has begun for anyone who sees it: the screen's
 * clock ticks every half minute and can lag the moment of agreement.
 */
export const notYetValid = (version: MessageVersion, now: number): boolean => {
  const from = Date.parse(version.content.validFrom);
  return from > now && (version.agreedAt === null || from > Date.parse(version.agreedAt));
};

/**
 * What the wall and the phone show of an incident's joint message at `now`: the latest
 * agreed version of its current message until that runs out (a later version still being
 * signed off does not replace it: the agreed one stands meanwhile), else a message withdrawn
 * within `WITHDRAWN_NOTICE_MS` that had been agreed. A message that was never agreed is
 * never shown, drafted or withdrawn.
 */
export function messageOnWall(
  state: Pick<State, 'jointMessages'>,
  incidentId: string,
  now: number,
): ShownMessage | undefined {
  const current = currentMessageOf(state, incidentId);
  const agreed = current && latestAgreedVersion(current);
  if (current && agreed && !hasRunOut(agreed, now))
    return { kind: 'agreed', message: current, version: agreed };

  // The latest withdrawal wins: a message cancelled, replaced and cancelled again says the last.
  let withdrawn: Extract<ShownMessage, { kind: 'withdrawn' }> | undefined;
  let withdrawnSeq = -1;
  for (const message of messagesOf(state, incidentId)) {
    const { cancelled } = message;
    const version = latestAgreedVersion(message);
    if (!cancelled || !version || cancelled.seq < withdrawnSeq) continue;
    const age = now - Date.parse(cancelled.at);
    if (age >= WITHDRAWN_NOTICE_MS) continue;
    withdrawn = { kind: 'withdrawn', message, version, withdrawnAt: cancelled.at };
    withdrawnSeq = cancelled.seq;
  }
  return withdrawn;
}

/**
 * The text in the reader's language: English when the screen is in English and the message
 * has it, else Swedish, which every message has.
 */
export const messageTextFor = (version: MessageVersion, language: string): MessageText =>
  (language === 'en' ? version.content.texts.en : null) ?? version.content.texts.sv;

/**
 * The point in the log at which each message last became news for the room: its latest
 * agreement, or its withdrawal once it had been agreed. 0 while there is nothing to show.
 */
const newsSeq = (message: JointMessage): number => {
  const agreed = latestAgreedVersion(message);
  if (!agreed) return 0;
  return message.cancelled ? message.cancelled.seq : (agreed.agreedSeq ?? agreed.seq);
};

/**
 * What the wall has seen of each message. `baseline` is false until the first picture
 * arrives: what was agreed before the wall started is not news.
 */
export type MessageWatch = { baseline: boolean; seen: ReadonlyMap<string, number> };

export const initialMessageWatch = (): MessageWatch => ({ baseline: false, seen: new Map() });

/**
 * Compares the picture with what the wall has seen and returns the incidents whose joint
 * message was newly agreed (a first or a later version) or withdrawn after agreement, in
 * log order, so the wall can turn to them. `hasData` is false while the picture is being
 * replaced (a new log epoch): that emptiness must neither announce nor forget anything.
 */
export function watchMessages(
  watch: MessageWatch,
  state: Pick<State, 'jointMessages'>,
  hasData: boolean,
): { watch: MessageWatch; news: string[] } {
  if (!hasData) return { watch, news: [] };
  const seen = new Map<string, number>();
  const fresh: { seq: number; incidentId: string }[] = [];
  for (const message of Object.values(state.jointMessages)) {
    const seq = newsSeq(message);
    seen.set(message.id, seq);
    if (watch.baseline && seq > (watch.seen.get(message.id) ?? 0))
      fresh.push({ seq, incidentId: message.incidentId });
  }
  fresh.sort((a, b) => a.seq - b.seq);
  return { watch: { baseline: true, seen }, news: [...new Set(fresh.map((f) => f.incidentId))] };
}
