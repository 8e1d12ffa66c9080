import type { Incident } from '@lagesbild/shared';
import { useTranslation } from 'react-i18next';
import { AckMatrix } from './AckMatrix';
import { ReportTicker } from './ReportTicker';
import { WallMap } from './WallMap';
import { useNow } from '../hooks/use-now';
import { formatTimeOfDay, formatWhen } from './wall-format';
import type { WallDisplay } from './wall-store';

type ActivatedViewProps = {
  incident: Incident;
  /** Which of how many incidents this is, when the wall rotates. */
  position: { index: number; count: number } | null;
  display: WallDisplay;
};

/** One incident in activated mode: what it is, who has acknowledged, the map, the newest reports. */
export function ActivatedView({ incident, position, display }: ActivatedViewProps) {
  const { t, i18n } = useTranslation();
  const now = useNow(60_000);
  const rotating = position !== null && position.count > 1;
  return (
    <div className="wall-activated" data-testid="wall-incident" data-incident-id={incident.id}>
      <div className="wall-activated__info">
        <header className="wall-incident">
          {rotating && (
            <p className="wall-incident__position">
              {t('wall.incidentOf', { index: position.index + 1, count: position.count })}
              <span className="wall-dots" aria-hidden="true">
                {Array.from({ length: position.count }, (_, i) => (
                  <span key={i} className={i === position.index ? 'wall-dot wall-dot--on' : 'wall-dot'} />
                ))}
              </span>
            </p>
          )}
          <h1 className="wall-incident__title">{incident.title}</h1>
          <p className="wall-incident__facts">
            <span>{t(`incidentKind.${incident.kind}`)}</span>
            {incident.activatedAt && (
              <span>
                {t('wall.activatedAt', { time: formatTimeOfDay(incident.activatedAt, i18n.language) })}
              </span>
            )}
          </p>
          <p className="wall-incident__conference">
            {incident.nextConferenceAt ? (
              <>
                {t('wall.nextConference')}{' '}
                <strong>
                  <time dateTime={incident.nextConferenceAt}>
                    {formatWhen(incident.nextConferenceAt, now, i18n.language)}
                  </time>
                </strong>
              </>
            ) : (
              t('wall.noConference')
            )}
          </p>
          {incident.description && <p className="wall-incident__description">{incident.description}</p>}
        </header>
        <AckMatrix incident={incident} region={display.region} />
      </div>
      <div className="wall-activated__map">
        <WallMap incident={incident} display={display} />
      </div>
      <ReportTicker region={display.region} showIncident={rotating} />
    </div>
  );
}
