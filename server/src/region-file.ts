import { readFile } from 'node:fs/promises';
import { parseRegionConfig, type RegionConfig } from '@lagesbild/shared';

/** Reads and validates the region config; the error names the file and every problem. */
export async function loadRegionFile(file: string): Promise<RegionConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read region config ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return parseRegionConfig(raw);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
  }
}
