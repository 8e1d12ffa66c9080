import type { ActorStatus } from '@lagesbild/shared';

/** A municipality's status on the map; 'none' is a municipality without a report. */
export type MapStatus = ActorStatus | 'none';

/** The order the legend names them: the most severe first, as the status grid does. */
export const MAP_STATUSES: readonly MapStatus[] = ['severe', 'strained', 'normal', 'none'];

type Appearance = 'light' | 'dark';

/**
 * The fills of a coloured municipality: the app's status hues (green, yellow, red), with
 * lightness chosen so that the four also differ in greyscale, and red and green (the
 * pair colour-blind readers confuse) differ by at least 2.5:1 in luminance. "No report"
 * is the land itself, so the statuses stand out from it. map-status-colours.test.ts
 * holds the numbers.
 */
export const STATUS_FILLS: Record<Appearance, Record<MapStatus, string>> = {
  light: { none: '#f7f5ef', normal: '#52b788', strained: '#ffd500', severe: '#a4161a' },
  dark: { none: '#26313f', normal: '#17603a', strained: '#ffd500', severe: '#ff6161' },
};

/**
 * The municipality name's ink on each fill, with a halo in the fill's own colour: a name
 * that runs over a neighbour or the sea stays readable (4.5:1 at least).
 */
export const LABEL_INKS: Record<Appearance, Record<MapStatus, string>> = {
  light: { none: '#374151', normal: '#111111', strained: '#111111', severe: '#ffffff' },
  dark: { none: '#dbe4ee', normal: '#ffffff', strained: '#111111', severe: '#111111' },
};

/** Over tiles the fill lets the background map show through. */
const OVERLAY_FILL_OPACITY = 0.45;

/** What a municipal border is drawn as: the land itself (no tiles) or a line over tiles. */
export type BorderKind = 'base' | 'overlay';

/**
 * The fill to add to a municipality's border style. A municipality without a report keeps
 * the plain border style (land without tiles, no fill over them); so does every
 * municipality when the map colours none (`status` undefined, as in ordinary mode).
 */
export function statusFill(
  kind: BorderKind,
  appearance: Appearance,
  status: MapStatus | undefined,
): { fill?: boolean; fillColor?: string; fillOpacity?: number } {
  if (status === undefined || status === 'none') return {};
  return {
    fill: true,
    fillColor: STATUS_FILLS[appearance][status],
    fillOpacity: kind === 'base' ? 1 : OVERLAY_FILL_OPACITY,
  };
}
