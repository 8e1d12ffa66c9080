import type { Readiness } from '@lagesbild/shared';
import type { TFunction } from 'i18next';

/** Heightened readiness as every surface names it: the level, and where it applies. */
export type ReadinessWords = { level: string; scope: string };

/**
 * "SKÄRPT BEREDSKAP" or "HÖGSTA BEREDSKAP", and "Hela landet" or the parts named in the
 * government decision; null while no readiness is in force. A readiness stored before the
 * levels existed says only that it is heightened, and reads as skärpt beredskap.
 */
export function readinessWords(readiness: Readiness, t: TFunction): ReadinessWords | null {
  const level = readiness.level !== 'none' ? readiness.level : readiness.heightened ? 'heightened' : null;
  if (level === null) return null;
  const parts = readiness.parts.trim();
  const scope =
    readiness.scope === 'country'
      ? t('mode.readinessScope.country')
      : parts === ''
        ? t('mode.readinessScope.partsUnnamed')
        : t('mode.readinessScope.parts', { parts });
  return { level: t(`mode.readinessLevel.${level}`), scope };
}
