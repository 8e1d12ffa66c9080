import { byLogOrder, newestFirst, type Attribution, type Checkin, type State } from '@lagesbild/shared';

/** A change of shift: someone took over an actor's function from someone else. */
export type ShiftChange = {
  actorId: string;
  functionId: string;
  from: Attribution;
  to: Attribution;
  /** When the new person checked in. */
  at: string;
  /** The incoming person's check-in note: what they were handed over. */
  note: string;
};

/**
 * What the viewer may know of an actor whose people did not share their check-ins with it:
 * how many are on duty, in which functions — not who or where.
 */
export type ActorSummary = {
  actorId: string;
  count: number;
  /** Each function with how many hold it, in function order. */
  functions: { functionId: string; count: number }[];
};

/** Who is on duty on an incident, and how the shifts have changed. */
export type Roster = {
  /** Open check-ins that are not "off duty", by actor, then function, then who checked in first. */
  onDuty: Checkin[];
  /** Actors with people on duty the viewer only sees counted (check-in summaries), by actor. */
  summaries: ActorSummary[];
  /** Newest first. */
  shiftChanges: ShiftChange[];
};

const slot = (c: Checkin) => `${c.by.actorId}\u0000${c.by.functionId}`;

/**
 * The roster of one incident (or of no incident, for `null`): everyone checked in and on
 * duty, and each shift change — a check-in by another person for the same actor and
 * function, after the earlier one was checked out (a hand-over may overlap: the newcomer
 * arrives before the other leaves).
 */
export function rosterFor(state: Pick<State, 'checkins'>, incidentId: string | null): Roster {
  // In the order they were logged: a hand-over is a check-in logged after the one it follows.
  const checkins = Object.values(state.checkins)
    .filter((c) => c.incidentId === incidentId)
    .sort(byLogOrder);

  const open = checkins.filter((c) => c.checkedOutAt === null && c.status !== 'offDuty');
  const onDuty = open
    .filter((c) => c.regionSummary !== true)
    .sort(
      (a, b) =>
        a.by.actorId.localeCompare(b.by.actorId) ||
        a.by.functionId.localeCompare(b.by.functionId) ||
        byLogOrder(a, b),
    );

  const shiftChanges: ShiftChange[] = [];
  const latestBySlot = new Map<string, Checkin>();
  // A summary names nobody, so it can show no hand-over.
  for (const checkin of checkins.filter((c) => c.regionSummary !== true)) {
    const key = slot(checkin);
    const before = latestBySlot.get(key);
    if (before && before.by.userId !== checkin.by.userId && before.checkedOutAt !== null) {
      shiftChanges.push({
        actorId: checkin.by.actorId,
        functionId: checkin.by.functionId,
        from: before.by,
        to: checkin.by,
        at: checkin.at,
        note: checkin.note,
      });
    }
    latestBySlot.set(key, checkin);
  }
  shiftChanges.reverse();
  return { onDuty, summaries: summariesOf(open.filter((c) => c.regionSummary === true)), shiftChanges };
}

function summariesOf(checkins: readonly Checkin[]): ActorSummary[] {
  const byActor = new Map<string, Map<string, number>>();
  for (const c of checkins) {
    const functions = byActor.get(c.by.actorId) ?? new Map<string, number>();
    functions.set(c.by.functionId, (functions.get(c.by.functionId) ?? 0) + 1);
    byActor.set(c.by.actorId, functions);
  }
  return [...byActor]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([actorId, functions]) => ({
      actorId,
      count: [...functions.values()].reduce((sum, n) => sum + n, 0),
      functions: [...functions]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([functionId, count]) => ({ functionId, count })),
    }));
}

/** The person's own open check-in, if any (the last logged): what the phone shows and checks out. */
export const openCheckinOf = (state: Pick<State, 'checkins'>, userId: string): Checkin | null =>
  Object.values(state.checkins)
    .filter((c) => c.by.userId === userId && c.checkedOutAt === null)
    .sort(newestFirst)[0] ?? null;

/**
 * Who else of my actor and function is on duty on the incident: the person I take over
 * from, whose shift my check-in note hands over.
 */
export const onDutyInMySlot = (
  state: Pick<State, 'checkins'>,
  incidentId: string | null,
  me: Pick<Attribution, 'userId' | 'actorId' | 'functionId'>,
): Checkin[] =>
  rosterFor(state, incidentId).onDuty.filter(
    (c) => c.by.actorId === me.actorId && c.by.functionId === me.functionId && c.by.userId !== me.userId,
  );
