import type { Readiness } from '@lagesbild/shared';
import type { TFunction } from 'i18next';

/** Heightened readiness as every surface names it: the level, and where it applies. */
/** `scope` is null when no government decision is named: where it applies was never recorded. */
export type ReadinessWords = { level: string; scope: string | null };

/**
 * "SKÄRPT BEREDSKAP" or "HÖGSTA BEREDSKAP", and "Hela landet" or the parts named in the
 * government decision; null while no readiness is in force. The scope is said only when a
 * decision is named: a readiness stored before the levels existed says only that it is
 * heightened (read as skärpt beredskap), and its scope was never recorded, so it is null.
 */
export function readinessWords(readiness: Readiness, t: TFunction): ReadinessWords | null {
  const level = readiness.level !== 'none' ? readiness.level : readiness.heightened ? 'heightened' : null;
  if (level === null) return null;
  const parts = readiness.parts.trim();
  const scope =
    readiness.decisionRef.trim() === ''
      ? null
      : readiness.scope === 'country'
        ? t('mode.readinessScope.country')
        : parts === ''
          ? t('mode.readinessScope.partsUnnamed')
          : t('mode.readinessScope.parts', { parts });
  return { level: t(`mode.readinessLevel.${level}`), scope };
}
