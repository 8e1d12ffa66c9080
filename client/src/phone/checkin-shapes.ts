import type { Checkin, CheckinStatus, FieldReport, RegionConfig } from '@lagesbild/shared';
import { actorColour, actorShortLabel } from '../domain/actors';
import type { FieldReportPoint } from '../domain/picture';
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

/**
 * Field reports with a position, as points on the operator's and the wall's map, in the
 * colour of the reporting actor. Each map names them its own way (full or short actor
 * names), so the title comes from the caller.
 */
export function fieldReportShapes(
  points: Iterable<FieldReportPoint>,
  region: RegionConfig,
  title: (fieldReport: FieldReport) => string,
): MapShape[] {
  const shapes: MapShape[] = [];
  for (const point of points) {
    shapes.push({
      key: point.key,
      geometry: point.geometry,
      colour: actorColour(region, point.fieldReport.actorId),
      kind: 'other',
      title: title(point.fieldReport),
    });
  }
  return shapes;
}
