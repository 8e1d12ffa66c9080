import type { Conference, SessionInfo } from '@lagesbild/shared';
import { useTranslation } from 'react-i18next';
import { LazyMessageTab } from '../message/lazy';
import { usePicture } from '../stores/picture';
import { useView } from '../stores/view';

/**
 * The joint message to the public: the incident's message itself, as its "Budskap" tab shows
 * it, so the conference drafts, signs off and reads the same message every actor sees. An
 * ordinary-mode conference has no incident and so no message to agree.
 */
export function JointMessageStep({ session, conference }: { session: SessionInfo; conference: Conference }) {
  const { t } = useTranslation();
  const draftEpoch = useView((s) => s.draftEpoch);
  const incident = usePicture((s) =>
    conference.incidentId === null ? undefined : s.state.incidents[conference.incidentId],
  );
  return (
    <div className="conference-step-body">
      <p>{t('conference.jointMessage.intro')}</p>
      {incident && (
        <LazyMessageTab key={`${incident.id}-${draftEpoch}`} session={session} incident={incident} />
      )}
    </div>
  );
}
