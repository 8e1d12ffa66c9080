import {
  acknowledgementOf,
  DUTY_OFFICER_FUNCTION,
  type Acknowledgement,
  type Incident,
  type RegionConfig,
} from '@lagesbild/shared';
import type { TFunction } from 'i18next';
import { formatTimeOfDay } from '../wall/wall-format';
import { actorShortLabel } from './actors';

/**
 * How many of the summoned actors have acknowledged an activation. An empty summons means
 * every actor of the region (commands.ts), so the region's actor list is needed.
 */
export function acknowledgementCount(
  incident: Incident,
  regionActorIds: readonly string[],
): { acknowledged: number; summoned: number } {
  const summoned = incident.summonedActorIds.length > 0 ? incident.summonedActorIds : regionActorIds;
  const acknowledged = summoned.filter((id) => acknowledgementOf(incident, id) !== null).length;
  return { acknowledged, summoned: summoned.length };
}

/**
 * "Kvitterat 07:09 av TiB Nacka": when and by whom an actor acknowledged. People take part
 * by function, not as persons (DOMAIN.md), so it names the function and the actor; the
 * duty officer goes by its everyday short name, TiB. The account's display name follows in
 * brackets when it says more ("… av TiB Nacka (Nils Nord)"); a function account such as
 * "TiB Nacka" is not repeated.
 */
export function acknowledgedByText(
  t: TFunction,
  acknowledgement: Acknowledgement,
  region: RegionConfig,
  language: string,
): string {
  const { functionId, actorId, userName } = acknowledgement.by;
  const lang = language === 'en' ? 'en' : 'sv';
  const functionLabel =
    functionId === DUTY_OFFICER_FUNCTION
      ? t('alert.dutyOfficerShort')
      : (region.functions.find((f) => f.id === functionId)?.name[lang] ?? functionId);
  const actor = actorShortLabel(region, actorId);
  const text = t('alert.acknowledgedBy', {
    time: formatTimeOfDay(acknowledgement.at, language),
    function: functionLabel,
    actor,
  });
  const swedishShort =
    functionId === DUTY_OFFICER_FUNCTION ? t('alert.dutyOfficerShort', { lng: 'sv' }) : functionLabel;
  const sameAsAccount = [
    `${functionLabel} ${actor}`,
    `${actor} ${functionLabel}`,
    `${swedishShort} ${actor}`,
  ].includes(userName);
  return sameAsAccount ? text : `${text} (${userName})`;
}
