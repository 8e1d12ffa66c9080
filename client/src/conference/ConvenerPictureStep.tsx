import { latestReportOf, type Conference, type SessionInfo } from '@lagesbild/shared';
import { useTranslation } from 'react-i18next';
import { actorLabel } from '../domain/actors';
import { ReportCard } from '../features/ReportCard';
import { usePicture } from '../stores/picture';

/** The convening actor's picture of the event: its newest situation report on the incident. */
export function ConvenerPictureStep({
  session,
  conference,
}: {
  session: SessionInfo;
  conference: Conference;
}) {
  const { t } = useTranslation();
  const incidentId = conference.incidentId;
  const report = usePicture((s) =>
    incidentId === null ? undefined : latestReportOf(s.state.reports, incidentId, conference.convenerActorId),
  );
  if (incidentId === null) return <p className="notice">{t('conference.convenerPicture.ordinary')}</p>;
  if (!report)
    return (
      <p className="empty">
        {t('conference.convenerPicture.none', {
          actor: actorLabel(session.region, conference.convenerActorId),
        })}
      </p>
    );
  return <ReportCard session={session} report={report} />;
}
