import { latestAssessment, openActionItems, openConferenceOf, type Incident } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { AckMatrix } from './AckMatrix';
import { ReportTicker } from './ReportTicker';
import { WallCommonPicture } from './WallCommonPicture';
import { WallConference } from './WallConference';
import { useWallDirective, WallDirective } from './WallDirective';
import { useWallJointMessage, WallJointMessage } from './WallJointMessage';
import { WallMap } from './WallMap';
import { useWallFrame } from './wall-frame';
import { useNow } from '../hooks/use-now';
import { formatTimeOfDay, formatWhen } from './wall-format';
import type { WallDisplay } from './wall-store';

type ActivatedViewProps = {
  incident: Incident;
  /** Which of how many incidents this is, when the wall rotates. */
  position: { index: number; count: number } | null;
  display: WallDisplay;
};

/**
 * One incident in activated mode: what it is, the map and the newest reports; while its
 * coordination conference runs, the step and the roll call (and the directive in force and
 * the joint message on one line each), otherwise the directive in force in large type, who
 * has acknowledged, the latest common assessment and the decisions still open, with the
 * agreed joint message to the public above the map.
 */
export function ActivatedView({ incident, position, display }: ActivatedViewProps) {
  const { t, i18n } = useTranslation();
  const now = useNow(60_000);
  const rotating = position !== null && position.count > 1;
  const conferences = useWallFrame((s) => s.state.conferences);
  const actionItems = useWallFrame((s) => s.state.actionItems);
  const conference = useMemo(
    () => openConferenceOf({ conferences }, incident.id),
    [conferences, incident.id],
  );
  const followingUp = useMemo(
    () =>
      latestAssessment({ conferences }, incident.id) !== undefined ||
      openActionItems({ actionItems }, { incidentId: incident.id }).length > 0,
    [conferences, actionItems, incident.id],
  );
  const directive = useWallDirective(incident.id);
  const jointMessage = useWallJointMessage(incident.id);
  // With a directive in force, only those still to acknowledge: the direction needs the room.
  const onlyPendingAcks = followingUp || directive.shown !== undefined;
  return (
    <div
      className={`wall-activated${conference ? ' wall-activated--conference' : ''}`}
      data-testid="wall-incident"
      data-incident-id={incident.id}
    >
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
          {/* The conference keeps the screen; the direction it works under stays in sight. */}
          {conference && directive.shown && (
            <WallDirective shown={directive.shown} now={directive.now} compact />
          )}
          {conference && jointMessage.shown && (
            <WallJointMessage shown={jointMessage.shown} now={jointMessage.now} compact />
          )}
          {/* While the conference runs, its panel says so; "next" would name the one running. */}
          {!conference && (
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
          )}
          {/* The roll call, or the assessment and decisions, need the height more. */}
          {incident.description && !conference && !onlyPendingAcks && (
            <p className="wall-incident__description">{incident.description}</p>
          )}
        </header>
        {conference ? (
          <WallConference conference={conference} incident={incident} region={display.region} />
        ) : (
          <>
            {directive.shown && <WallDirective shown={directive.shown} now={directive.now} />}
            <AckMatrix
              incident={incident}
              region={display.region}
              onlyPending={onlyPendingAcks}
              compact={directive.shown !== undefined}
            />
            <WallCommonPicture
              incidentId={incident.id}
              region={display.region}
              showAssessment={directive.shown === undefined}
            />
          </>
        )}
      </div>
      {/* What the public is told sits over the map of where: the map gives way to it. */}
      <div className="wall-activated__side">
        {!conference && jointMessage.shown && (
          <WallJointMessage shown={jointMessage.shown} now={jointMessage.now} />
        )}
        <div className="wall-activated__map">
          <WallMap incident={incident} display={display} />
        </div>
      </div>
      <ReportTicker region={display.region} showIncident={rotating} />
    </div>
  );
}
