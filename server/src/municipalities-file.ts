import { readFile } from 'node:fs/promises';
import { municipalAreas, parseMunicipalityCollection, type MunicipalAreas } from '@lagesbild/shared';
import { StartupError } from './hub/open-log.js';

/**
 * Reads and validates the municipal borders (`MUNICIPALITIES_FILE`) at start: a hub that
 * would write CAP areas from a broken file stops at once, with one line naming the file and
 * the problem, rather than serving alerts without their areas.
 */
export async function loadMunicipalitiesFile(file: string): Promise<MunicipalAreas> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new StartupError(`Cannot read MUNICIPALITIES_FILE ${file}: ${(error as Error).message}`);
  }
  try {
    return municipalAreas(parseMunicipalityCollection(text));
  } catch (error) {
    throw new StartupError(`MUNICIPALITIES_FILE ${file} is ${(error as Error).message}`);
  }
}
