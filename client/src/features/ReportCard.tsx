import type { Report, SessionInfo } from '@lagesbild/shared';
import { useTranslation } from 'react-i18next';
import { StatusChip } from '../components/StatusChip';
import { Time } from '../components/Time';
import { actorLabel } from '../domain/actors';
import { functionNames } from '../domain/session-labels';
import { currentLanguage } from '../i18n/i18n';
import { REPORT_TEXT_FIELDS } from '../domain/report-draft';

/** One situation report as read in a conference: who, when, status, then the five parts. */
export function ReportCard({ session, report }: { session: SessionInfo; report: Report }) {
  const { t } = useTranslation();
  const fn = functionNames({ ...session, functionIds: [report.by.functionId] }, currentLanguage())[0];
  const sharing =
    report.sharing.scope === 'actors'
      ? t('sharing.withActors', {
          actors: report.sharing.actorIds.map((a) => actorLabel(session.region, a)).join(', '),
        })
      : t(`sharing.${report.sharing.scope}`);
  return (
    <article
      className="report"
      data-testid="report"
      data-report-id={report.id}
      data-actor-id={report.actorId}
    >
      <header className="report__head">
        <h4 className="report__actor">{actorLabel(session.region, report.actorId)}</h4>
        <StatusChip status={report.status} />
        <p className="report__meta">
          <Time iso={report.at} /> · {report.by.userName}
          {fn ? `, ${fn}` : ''} · {sharing}
        </p>
      </header>
      <dl className="report__body">
        {REPORT_TEXT_FIELDS.filter((field) => report[field].trim() !== '').map((field) => (
          <div key={field}>
            <dt>{t(`reportForm.${field}`)}</dt>
            <dd className="prewrap">{report[field]}</dd>
          </div>
        ))}
        {report.features.length > 0 && (
          <div>
            <dt>{t('reportForm.features')}</dt>
            <dd>
              {report.features
                .map((f) => `${t(`featureKind.${f.kind}`)}${f.label ? ` (${f.label})` : ''}`)
                .join('; ')}
            </dd>
          </div>
        )}
      </dl>
    </article>
  );
}
