import { buildCheckin, minutesAfterNow, stockholmRegion, testUuid } from '@lagesbild/shared/test-factories';
import { describe, expect, it } from 'vitest';
import { checkinShapes } from './checkin-shapes';

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
