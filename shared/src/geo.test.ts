import { describe, expect, it } from 'vitest';
import { geometryProblem, polygonProblem, type Position, type RegionBounds } from './geo.js';
import { stockholmRegion } from './testing/test-factories.js';

const bounds: RegionBounds = stockholmRegion().bounds;

const square: Position[] = [
  [18.0, 59.3],
  [18.1, 59.3],
  [18.1, 59.4],
  [18.0, 59.4],
  [18.0, 59.3],
];
const hole = (x: number, y: number, size = 0.02): Position[] => [
  [x, y],
  [x, y + size],
  [x + size, y + size],
  [x + size, y],
  [x, y],
];

describe('polygonProblem', () => {
  const cases: [string, Position[][], string | null][] = [
    ['a square', [square], null],
    ['a square with a hole', [square, hole(18.02, 59.32)], null],
    ['two holes apart', [square, hole(18.02, 59.32), hole(18.06, 59.36)], null],
    [
      'a figure eight',
      [
        [
          [18.0, 59.3],
          [18.1, 59.4],
          [18.1, 59.3],
          [18.0, 59.4],
          [18.0, 59.3],
        ],
      ],
      'its outline crosses or touches itself',
    ],
    [
      'a spike that folds back on its own edge',
      [
        [
          [18.0, 59.3],
          [18.1, 59.3],
          [18.05, 59.3],
          [18.05, 59.4],
          [18.0, 59.3],
        ],
      ],
      'its outline crosses or touches itself',
    ],
    [
      'a flat outline',
      [
        [
          [18.0, 59.3],
          [18.1, 59.3],
          [18.0, 59.3],
          [18.0, 59.3],
        ],
      ],
      'its outline crosses or touches itself',
    ],
    ['a hole outside the outline', [square, hole(18.5, 59.5)], 'hole 1 lies outside the outline'],
    ['a hole across the outline', [square, hole(18.09, 59.35)], 'hole 1 crosses or touches the outline'],
    [
      'two holes that overlap',
      [square, hole(18.02, 59.32), hole(18.03, 59.33)],
      'hole 2 crosses or touches hole 1',
    ],
  ];
  it.each(cases)('%s: %s', (_name, rings, problem) => {
    expect(polygonProblem(rings)).toBe(problem);
  });

  it('checks the largest polygon a report may carry quickly', () => {
    const circle: Position[] = Array.from({ length: 1999 }, (_, i) => {
      const angle = (2 * Math.PI * i) / 1999;
      return [18.07 + 0.1 * Math.cos(angle), 59.33 + 0.05 * Math.sin(angle)];
    });
    circle.push(circle[0] ?? [18.07, 59.33]);
    const started = Date.now();
    expect(polygonProblem([circle])).toBeNull();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('geometryProblem', () => {
  it('accepts places in the region and just past its edge', () => {
    expect(geometryProblem({ type: 'Point', coordinates: [18.07, 59.33] }, bounds)).toBeNull();
    expect(
      geometryProblem({ type: 'Point', coordinates: [bounds.east + 0.3, bounds.north + 0.3] }, bounds),
    ).toBeNull();
  });

  it.each([
    ['New York', [-74.0, 40.7]],
    ['0,0', [0, 0]],
    ['Gothenburg', [11.97, 57.7]],
  ] as const)('refuses a point in %s', (_name, coordinates) => {
    expect(geometryProblem({ type: 'Point', coordinates: [...coordinates] }, bounds)).toBe(
      'lies outside the region',
    );
  });

  it('refuses a line with one end outside the region', () => {
    const line = { type: 'LineString' as const, coordinates: [[18.0, 59.3] as Position, [0, 0] as Position] };
    expect(geometryProblem(line, bounds)).toBe('lies outside the region');
  });
});
