import type { FieldReport, SessionInfo } from '@lagesbild/shared';
import { useTranslation } from 'react-i18next';
import { Time } from '../components/Time';
import { actorLabel } from '../domain/actors';
import { functionNames } from '../domain/session-labels';
import { currentLanguage } from '../i18n/i18n';
import { formatPosition } from '../phone/methane';

/** The METHANE parts of a field report after the type of event and the location. */
const TEXT_FIELDS = ['hazards', 'access', 'casualties', 'servicesPresent', 'servicesNeeded'] as const;

/**
 * One field report in the timeline: an observation from the scene, marked as such so that
 * nobody reads it as the actor's situation report. It has no status of the actor.
 */
export function FieldReportCard({
  session,
  fieldReport,
}: {
  session: SessionInfo;
  fieldReport: FieldReport;
}) {
  const { t } = useTranslation();
  const fn = functionNames({ ...session, functionIds: [fieldReport.by.functionId] }, currentLanguage())[0];
  const sharing =
    fieldReport.sharing.scope === 'actors'
      ? t('sharing.withActors', {
          actors: fieldReport.sharing.actorIds.map((a) => actorLabel(session.region, a)).join(', '),
        })
      : t(`sharing.${fieldReport.sharing.scope}`);
  const where = [
    fieldReport.locationText,
    fieldReport.position ? `(${formatPosition(fieldReport.position)})` : '',
  ]
    .filter((part) => part !== '')
    .join(' ');
  return (
    <article
      className="report report--field"
      data-testid="field-report"
      data-field-report-id={fieldReport.id}
      data-actor-id={fieldReport.actorId}
    >
      <header className="report__head">
        <h4 className="report__actor">{actorLabel(session.region, fieldReport.actorId)}</h4>
        <span className="report__badge">{t('fieldReport.title')}</span>
        <p className="report__meta">
          <Time iso={fieldReport.at} /> · {fieldReport.by.userName}
          {fn ? `, ${fn}` : ''} · {sharing}
        </p>
      </header>
      <dl className="report__body">
        <div>
          <dt>{t('phone.eventType')}</dt>
          <dd className="prewrap">{fieldReport.eventType}</dd>
        </div>
        {where !== '' && (
          <div>
            <dt>{t('fieldReport.location')}</dt>
            <dd>{where}</dd>
          </div>
        )}
        {TEXT_FIELDS.filter((field) => fieldReport[field] !== '').map((field) => (
          <div key={field}>
            <dt>{t(`phone.${field}`)}</dt>
            <dd className="prewrap">{fieldReport[field]}</dd>
          </div>
        ))}
      </dl>
    </article>
  );
}
