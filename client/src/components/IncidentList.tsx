import type { Incident } from '@lagesbild/shared';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { acknowledgementCount } from '../domain/acknowledgements';
import { isDeclinedRequest } from '../domain/ended-incidents';
import { formatTime } from '../domain/format';
import { RequestedBy } from './RequestedBy';

type IncidentListProps = {
  incidents: readonly Incident[];
  /** Every actor of the region: an empty summons summons them all. */
  regionActorIds: readonly string[];
  emptyText: string;
  /** Buttons for each incident (open, decide, decline). */
  actions?: (incident: Incident) => ReactNode;
};

/** Incidents as cards: title, kind, status and, once activated, acknowledgements. */
export function IncidentList({ incidents, regionActorIds, emptyText, actions }: IncidentListProps) {
  const { t, i18n } = useTranslation();
  if (incidents.length === 0) return <p className="empty">{emptyText}</p>;

  return (
    <ul className="incident-list">
      {incidents.map((incident) => {
        const acks = acknowledgementCount(incident, regionActorIds);
        const since =
          incident.status === 'active'
            ? incident.activatedAt
            : incident.status === 'closed'
              ? incident.closedAt
              : incident.requestedAt;
        const sinceLabel =
          incident.status === 'active'
            ? t('dashboard.activatedAt')
            : incident.status === 'closed'
              ? t('dashboard.closedAt')
              : t('dashboard.requestedAt');
        return (
          <li
            key={incident.id}
            className={`incident incident--${incident.status}`}
            data-incident-id={incident.id}
          >
            <h3 className="incident__title">{incident.title}</h3>
            <dl className="incident__facts">
              <div>
                <dt>{t('dashboard.kind')}</dt>
                <dd>{t(`incidentKind.${incident.kind}`)}</dd>
              </div>
              <div>
                <dt>{t('dashboard.status')}</dt>
                <dd>
                  {isDeclinedRequest(incident)
                    ? t('dashboard.declined')
                    : t(`incidentStatus.${incident.status}`)}
                </dd>
              </div>
              {incident.status === 'active' && (
                <div>
                  <dt>{t('dashboard.acknowledgements')}</dt>
                  <dd data-testid="acks">
                    {t('dashboard.acksOfSummoned', { acked: acks.acknowledged, summoned: acks.summoned })}
                  </dd>
                </div>
              )}
              {since && (
                <div>
                  <dt>{sinceLabel}</dt>
                  <dd>
                    <time dateTime={since}>{formatTime(since, i18n.language)}</time>
                  </dd>
                </div>
              )}
            </dl>
            {incident.status === 'requested' && <RequestedBy incident={incident} />}
            {incident.status === 'requested' && incident.reason && (
              <p className="incident__reason">
                <span className="incident__label">{t('dashboard.reason')}:</span> {incident.reason}
              </p>
            )}
            {actions && <div className="incident__actions">{actions(incident)}</div>}
          </li>
        );
      })}
    </ul>
  );
}
