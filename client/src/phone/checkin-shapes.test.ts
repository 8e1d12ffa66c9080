import {
  buildCheckin,
  buildFieldReport,
  buildState,
  minutesAfterNow,
  stockholmRegion,
  testUuid,
} from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import { actorColour } from '../domain/actors';
import { fieldReportPoints } from '../domain/picture';
import { checkinShapes, fieldReportShapes } from './checkin-shapes';

describe('checkinShapes', () => {
  it('draws each open check-in with a position as a titled point', () => {
    const shapes = checkinShapes(
      [
        buildCheckin({ id: testUuid(1), status: 'onSite', position: { lat: 59.31, lng: 18.16 } }),
        buildCheckin({ id: testUuid(2), position: null }),
        buildCheckin({
          id: testUuid(3),
          position: { lat: 59.4, lng: 18.2 },
          checkedOutAt: minutesAfterNow(5),
        }),
      ],
      stockholmRegion(),
      (status) => (status === 'onSite' ? 'På plats' : status),
    );
    expect(shapes).toEqual([
      {
        key: `checkin/${testUuid(1)}`,
        geometry: { type: 'Point', coordinates: [18.16, 59.31] },
        colour: '#1a7f37',
        kind: 'resource',
        title: 'Frida Fält – Nacka – På plats',
      },
    ]);
  });
});

describe('fieldReportShapes', () => {
  it("draws each field report with a position in its actor's colour, titled by the map", () => {
    const region = stockholmRegion();
    const incidentId = testUuid(10);
    const placed = buildFieldReport({
      id: testUuid(11),
      incidentId,
      eventType: 'Träd över vägen',
      position: { lat: 59.31, lng: 18.16 },
    });
    const unplaced = buildFieldReport({ id: testUuid(12), incidentId, position: null });
    const points = fieldReportPoints(buildState({ fieldReports: [placed, unplaced] }), incidentId);

    expect(fieldReportShapes(points, region, (f) => `${f.eventType} – ${f.actorId}`)).toEqual([
      {
        key: `field-report/${placed.id}`,
        geometry: { type: 'Point', coordinates: [18.16, 59.31] },
        colour: actorColour(region, placed.actorId),
        kind: 'other',
        title: `Träd över vägen – ${placed.actorId}`,
      },
    ]);
  });
});
