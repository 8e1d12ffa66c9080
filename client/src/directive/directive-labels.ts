import type { Attribution, RegionConfig } from '@lagesbild/shared';
import { actorLabel } from '../domain/actors';

/** "Lena Lindqvist (Länsstyrelsen Stockholm)": a person and the actor they acted for. */
export const personLabel = (region: RegionConfig, by: Attribution): string =>
  `${by.userName} (${actorLabel(region, by.actorId)})`;

/** Every decider of a version, the first first, as one line. */
export const decidersLabel = (region: RegionConfig, deciders: readonly Attribution[]): string =>
  deciders.map((by) => personLabel(region, by)).join(', ');
