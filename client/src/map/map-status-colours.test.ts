import { describe, expect, it } from 'vitest';
import { LABEL_INKS, MAP_STATUSES, STATUS_FILLS, statusFill, type MapStatus } from './map-status-colours';

// WCAG 2.1 relative luminance and contrast ratio.
const channel = (c: number) => {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};
const luminance = (hex: string) => {
  const [r = 0, g = 0, b = 0] = [1, 3, 5].map((i) => channel(parseInt(hex.slice(i, i + 2), 16)));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a: string, b: string) => {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((high ?? 0) + 0.05) / ((low ?? 0) + 0.05);
};

const pairs = (list: readonly MapStatus[]) =>
  list.flatMap((a, i) => list.slice(i + 1).map((b): [MapStatus, MapStatus] => [a, b]));

describe.each(['light', 'dark'] as const)('the status colours of the %s map', (appearance) => {
  const fills = STATUS_FILLS[appearance];

  it.each(pairs(MAP_STATUSES))('tells %s from %s without hue (greyscale differs)', (a, b) => {
    expect(contrast(fills[a], fills[b])).toBeGreaterThanOrEqual(1.25);
  });

  it('tells severe from normal for a reader who cannot tell red from green', () => {
    expect(contrast(fills.severe, fills.normal)).toBeGreaterThanOrEqual(2.5);
  });

  it.each(MAP_STATUSES)('writes the municipality name readably on %s', (status) => {
    expect(contrast(LABEL_INKS[appearance][status], fills[status])).toBeGreaterThanOrEqual(4.5);
  });
});

describe('the fill a municipality gets', () => {
  it('fills a reported municipality fully without tiles and lets tiles show through with them', () => {
    expect(statusFill('base', 'light', 'severe')).toEqual({
      fill: true,
      fillColor: STATUS_FILLS.light.severe,
      fillOpacity: 1,
    });
    const overTiles = statusFill('overlay', 'dark', 'strained');
    expect(overTiles.fillColor).toBe(STATUS_FILLS.dark.strained);
    expect(overTiles.fillOpacity).toBeLessThan(1);
  });

  it('leaves the plain border for a municipality without a report and on a map that colours none', () => {
    expect(statusFill('base', 'light', 'none')).toEqual({});
    expect(statusFill('overlay', 'light', undefined)).toEqual({});
  });
});
