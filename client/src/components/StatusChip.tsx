import type { ActorStatus } from '@lagesbild/shared';
import { useTranslation } from 'react-i18next';

/** An actor's status in words on its colour; no report yet is grey and says so. */
export function StatusChip({ status }: { status: ActorStatus | null }) {
  const { t } = useTranslation();
  return (
    <span className={`status-chip status-chip--${status ?? 'none'}`} data-status={status ?? 'none'}>
      {status ? t(`actorStatus.${status}`) : t('actorStatus.none')}
    </span>
  );
}
