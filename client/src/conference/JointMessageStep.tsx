import type { Conference, SessionInfo } from '@lagesbild/shared';
import { useTranslation } from 'react-i18next';
import { LogPanel } from '../features/LogPanel';
import { useView } from '../stores/view';

/**
 * The joint message to the public: agreed orally and written in the incident's log, where
 * every actor reads the same words. An ordinary-mode conference uses the general log, which
 * the overview already shows below.
 */
export function JointMessageStep({ session, conference }: { session: SessionInfo; conference: Conference }) {
  const { t } = useTranslation();
  const draftEpoch = useView((s) => s.draftEpoch);
  return (
    <div className="conference-step-body">
      <p>{t('conference.jointMessage.intro')}</p>
      {conference.incidentId !== null && (
        <LogPanel
          key={`${conference.incidentId}-${draftEpoch}`}
          session={session}
          incidentId={conference.incidentId}
        />
      )}
    </div>
  );
}
