import type { CheckinStatus, LatLng, State } from '@lagesbild/shared';
import type { OutboxItem } from '../outbox';
import { openCheckinOf } from './roster';

/** The person's current check-in as the phone shows it: from the picture, or still in the outbox. */
export type MyCheckin = {
  checkinId: string;
  incidentId: string | null;
  status: CheckinStatus;
  position: LatLng | null;
  /** When the hub recorded it, or when it was made on this phone while it is in the outbox. */
  since: string;
  /** Whether the hub has applied it (it is in the picture). */
  inPicture: boolean;
};

/**
 * What the person is checked in as. The outbox sends in order, so a check-in made offline
 * already counts here (the hub will end the earlier one when it arrives), and a check-out
 * waiting in the outbox already ends it. Refused commands count for nothing.
 */
export function myCheckin(
  state: Pick<State, 'checkins'>,
  items: readonly OutboxItem[],
  userId: string,
): MyCheckin | null {
  const mine = items
    .filter((i) => i.userId === userId && i.status !== 'failed')
    .sort((a, b) => a.order - b.order);
  const checkedOut = new Set<string>();
  let local: MyCheckin | null = null;
  for (const item of mine) {
    const { command } = item;
    if (command.type === 'checkin.checkout') checkedOut.add(command.payload.checkinId);
    if (command.type === 'checkin.create' && !state.checkins[command.payload.checkinId]) {
      const { checkinId, incidentId, status, position } = command.payload;
      local = {
        checkinId,
        incidentId,
        status,
        position,
        since: new Date(item.createdAt).toISOString(),
        inPicture: false,
      };
    }
  }
  const fromPicture = openCheckinOf(state, userId);
  const current: MyCheckin | null =
    local ??
    (fromPicture && {
      checkinId: fromPicture.id,
      incidentId: fromPicture.incidentId,
      status: fromPicture.status,
      position: fromPicture.position,
      since: fromPicture.at,
      inPicture: true,
    });
  return current && !checkedOut.has(current.checkinId) ? current : null;
}
