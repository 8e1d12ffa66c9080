import type { RegionConfig, Report } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTimeOfDay } from './wall-format';
import { tickerReports } from './wall-view';
import { useWallFrame } from './wall-frame';

const firstLine = (report: Report): string =>
  (report.happened || report.consequences || report.needs || report.assessment).split('\n')[0] ?? '';

/**
 * The newest situation reports across the bottom, newest first. The text stands still
 * (moving text cannot be read from across a room); a new report slides in once.
 */
export function ReportTicker({ region, showIncident }: { region: RegionConfig; showIncident: boolean }) {
  const { t, i18n } = useTranslation();
  const reports = useWallFrame((s) => s.state.reports);
  const incidents = useWallFrame((s) => s.state.incidents);
  const newest = useMemo(() => tickerReports({ reports, incidents }), [reports, incidents]);
  const actorName = (id: string) => region.actors.find((a) => a.id === id)?.shortName ?? id;
  return (
    <section className="wall-ticker" aria-labelledby="wall-ticker-heading">
      <h2 id="wall-ticker-heading" className="visually-hidden">
        {t('wall.ticker')}
      </h2>
      {newest.length === 0 ? (
        <p className="wall-ticker__empty">{t('wall.noReports')}</p>
      ) : (
        <ol className="wall-ticker__list" data-testid="wall-ticker">
          {newest.map((report) => (
            <li key={report.id} className={`wall-report wall-report--${report.status}`}>
              <p className="wall-report__head">
                <time dateTime={report.at}>{formatTimeOfDay(report.at, i18n.language)}</time>{' '}
                <strong>{actorName(report.actorId)}</strong>{' '}
                <span className="wall-report__status">{t(`actorStatus.${report.status}`)}</span>
              </p>
              {showIncident && <p className="wall-report__incident">{incidents[report.incidentId]?.title}</p>}
              <p className="wall-report__text">{firstLine(report)}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
