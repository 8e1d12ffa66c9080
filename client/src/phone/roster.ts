import type { Attribution, Checkin, State } from '@lagesbild/shared';

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

/** Who is on duty on an incident, and how the shifts have changed. */
export type Roster = {
  /** Open check-ins that are not "off duty", by actor, then function, then who came first. */
  onDuty: Checkin[];
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
  const checkins = Object.values(state.checkins)
    .filter((c) => c.incidentId === incidentId)
    .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));

  const onDuty = checkins
    .filter((c) => c.checkedOutAt === null && c.status !== 'offDuty')
    .sort(
      (a, b) =>
        a.by.actorId.localeCompare(b.by.actorId) ||
        a.by.functionId.localeCompare(b.by.functionId) ||
        a.at.localeCompare(b.at),
    );

  const shiftChanges: ShiftChange[] = [];
  const latestBySlot = new Map<string, Checkin>();
  for (const checkin of checkins) {
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
  return { onDuty, shiftChanges };
}

/** The person's own open check-in, if any: what the phone shows and checks out. */
export const openCheckinOf = (state: Pick<State, 'checkins'>, userId: string): Checkin | null =>
  Object.values(state.checkins)
    .filter((c) => c.by.userId === userId && c.checkedOutAt === null)
    .sort((a, b) => b.at.localeCompare(a.at))[0] ?? null;

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
