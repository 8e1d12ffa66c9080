import type { Checkin, CheckinStatus, RegionConfig } from '@lagesbild/shared';
import { actorShortLabel } from '../domain/actors';
import type { MapShape } from '../map/map-types';

/** Status colours, dark enough on a light map; the title says the status in words too. */
const STATUS_COLOUR: Record<CheckinStatus, string> = {
  onSite: '#1a7f37',
  onTheWay: '#9a6700',
  available: '#0b4f8a',
  offDuty: '#4b5563',
};

/**
 * Checked-in people with a position, as points on the operator's and the wall's map:
 * "Frida Fält – Nacka – På plats". Checked-out and position-less check-ins are not drawn.
 */
export function checkinShapes(
  checkins: Iterable<Checkin>,
  region: RegionConfig,
  statusName: (status: CheckinStatus) => string,
): MapShape[] {
  const shapes: MapShape[] = [];
  for (const c of checkins) {
    if (c.position === null || c.checkedOutAt !== null) continue;
    shapes.push({
      key: `checkin/${c.id}`,
      geometry: { type: 'Point', coordinates: [c.position.lng, c.position.lat] },
      colour: STATUS_COLOUR[c.status],
      kind: 'resource',
      title: `${c.by.userName} – ${actorShortLabel(region, c.by.actorId)} – ${statusName(c.status)}`,
    });
  }
  return shapes;
}
