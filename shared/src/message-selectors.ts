import type { JointMessage, MessageVersion, SignOff } from './message-model.js';
import type { State } from './model.js';

// Derived views of joint messages, shared by `decide`, the CAP writer and every client
// surface, so the incident view, the wall, the phone and the communicator's own view agree
// on which message is current, which version is agreed and who still has to answer.

/** Where a message first appeared in the log: its first version's seq. */
const firstSeq = (m: JointMessage) => m.versions[0]?.seq ?? Infinity;

const byId = (a: JointMessage, b: JointMessage) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The messages of an incident, in the order they were begun. */
export const messagesOf = (state: Pick<State, 'jointMessages'>, incidentId: string): JointMessage[] =>
  Object.values(state.jointMessages)
    .filter((m) => m.incidentId === incidentId)
    .sort((a, b) => firstSeq(a) - firstSeq(b) || byId(a, b));

/**
 * The incident's current message: the latest begun that is not cancelled. `decide` lets an
 * incident have one uncancelled message at a time, so a cancelled one is replaced by a new one.
 */
export const currentMessageOf = (
  state: Pick<State, 'jointMessages'>,
  incidentId: string,
): JointMessage | undefined => messagesOf(state, incidentId).findLast((m) => m.cancelled === null);

/** The latest saved version, agreed or not; undefined only for a message without versions. */
export const latestMessageVersion = (m: JointMessage): MessageVersion | undefined => m.versions.at(-1);

/** Whether every named actor had approved the version (the `agreed` event came). */
export const isAgreed = (v: MessageVersion): boolean => v.agreedAt !== null;

/** The latest agreed version: what the public may be told. It stands while a later edit is signed off. */
export const latestAgreedVersion = (m: JointMessage): MessageVersion | undefined =>
  m.versions.findLast(isAgreed);

/** Every agreed version, oldest first: each is a CAP alert, the later ones updates of the earlier. */
export const agreedVersions = (m: JointMessage): MessageVersion[] => m.versions.filter(isAgreed);

/** Where a message stands, for badges and lists. */
export type MessageStage = 'draft' | 'changeRequested' | 'agreed' | 'reopened' | 'cancelled';

/**
 * Where a message stands: cancelled; agreed when its latest version is; changeRequested when a
 * named actor asked for a change on the latest version (that is what must happen next, so it
 * goes before "reopened"); reopened when an earlier version was agreed but the latest is not
 * yet; else draft.
 */
export function messageStage(m: JointMessage): MessageStage {
  if (m.cancelled) return 'cancelled';
  const latest = latestMessageVersion(m);
  if (!latest) return 'draft';
  if (isAgreed(latest)) return 'agreed';
  if (Object.values(latest.signOffs).some((s) => s.decision === 'changeRequested')) return 'changeRequested';
  return latestAgreedVersion(m) ? 'reopened' : 'draft';
}

/** A named actor's latest answer to a version, or undefined before it answered. */
export const signOffOf = (v: MessageVersion, actorId: string): SignOff | undefined =>
  Object.hasOwn(v.signOffs, actorId) ? v.signOffs[actorId] : undefined;

/** Whether the actor has approved the version (its latest answer is an approval). */
export const hasApproved = (v: MessageVersion, actorId: string): boolean =>
  signOffOf(v, actorId)?.decision === 'approved';

/**
 * The approvers of a version in the order a sign-off view lists them: the owner of the matter
 * first when it is named, then the others as the drafter named them.
 */
export function approversInOrder(m: JointMessage, v: MessageVersion): string[] {
  const ids = v.approverActorIds;
  return ids.includes(m.ownerActorId)
    ? [m.ownerActorId, ...ids.filter((id) => id !== m.ownerActorId)]
    : [...ids];
}

/** One row of the sign-off matrix: an actor, and its answer to each version (null: none). */
export type SignOffRow = { actorId: string; cells: (SignOff | null)[] };

/** Who approved which version and when: rows of actors, columns of versions (oldest first). */
export type SignOffMatrix = { versions: number[]; rows: SignOffRow[] };

/**
 * The sign-off matrix: one row per actor any version names, one cell per version with that
 * actor's answer to it, or null where it gave none (or was not named). The latest version's
 * actors come first (owner first), then those named only on earlier versions, the more
 * recently named first: an actor the owner dropped, and the change it asked for, stay visible.
 */
export function signOffMatrix(m: JointMessage): SignOffMatrix {
  const actorIds = [...new Set(m.versions.toReversed().flatMap((v) => approversInOrder(m, v)))];
  return {
    versions: m.versions.map((v) => v.version),
    rows: actorIds.map((actorId) => ({
      actorId,
      cells: m.versions.map((v) => signOffOf(v, actorId) ?? null),
    })),
  };
}

/** Messages in log order across incidents, for the communicator's own view. */
const allMessages = (state: Pick<State, 'jointMessages'>): JointMessage[] =>
  Object.values(state.jointMessages).sort((a, b) => firstSeq(a) - firstSeq(b) || byId(a, b));

/**
 * What awaits the actor's approval: messages not cancelled whose latest version is not agreed,
 * names the actor, and has no approval from it (a change it asked for still awaits it).
 */
export const awaitingApprovalBy = (state: Pick<State, 'jointMessages'>, actorId: string): JointMessage[] =>
  allMessages(state).filter((m) => {
    const latest = latestMessageVersion(m);
    return (
      m.cancelled === null &&
      latest !== undefined &&
      !isAgreed(latest) &&
      latest.approverActorIds.includes(actorId) &&
      !hasApproved(latest, actorId)
    );
  });

/** Whether the actor has recorded any publication of the version. */
export const hasPublished = (m: JointMessage, actorId: string, version: number): boolean =>
  Object.values(m.publications).some((p) => p.actorId === actorId && p.version === version);

/**
 * What the actor has not yet published: messages not cancelled with an agreed version of which
 * the actor has recorded no publication on any channel.
 */
export const unpublishedBy = (state: Pick<State, 'jointMessages'>, actorId: string): JointMessage[] =>
  allMessages(state).filter((m) => {
    const agreed = latestAgreedVersion(m);
    return m.cancelled === null && agreed !== undefined && !hasPublished(m, actorId, agreed.version);
  });

/**
 * The CAP `identifier` of an agreed version: unique per region, message and version, and
 * free of what CAP forbids in it (spaces, commas, `<` and `&`): region ids are slugs and
 * message ids uuids. E.g. `lagesbild.stockholm.<messageId>.v3`.
 */
export const capIdentifier = (regionId: string, messageId: string, version: number): string =>
  `lagesbild.${regionId}.${messageId}.v${version}`;

/** The CAP `identifier` of a message's cancellation (`msgType` Cancel). */
export const capCancelIdentifier = (regionId: string, messageId: string): string =>
  `lagesbild.${regionId}.${messageId}.cancel`;
