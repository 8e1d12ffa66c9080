import type { RegionConfig } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNow } from '../hooks/use-now';
import { formatDate, formatTimeOfDay } from './wall-format';
import { nextConference, pendingRequests, recentLogEntries } from './wall-view';
import { useWallFrame } from './wall-frame';

/**
 * Ordinary mode, calmly: nothing flashes. The next scheduled conference, requests waiting
 * for a decision, and the newest lines of the shared log (monitoring).
 */
export function OrdinaryView({ region }: { region: RegionConfig }) {
  const { t, i18n } = useTranslation();
  const incidents = useWallFrame((s) => s.state.incidents);
  const logEntries = useWallFrame((s) => s.state.logEntries);
  const now = useNow(60_000);
  const conference = useMemo(() => nextConference({ incidents }, now), [incidents, now]);
  const requests = useMemo(() => pendingRequests({ incidents }), [incidents]);
  const entries = useMemo(() => recentLogEntries({ logEntries }), [logEntries]);
  const actorName = (id: string) => region.actors.find((a) => a.id === id)?.shortName ?? id;

  return (
    <div className="wall-ordinary" data-testid="wall-ordinary">
      <p className="wall-ordinary__calm">{t('wall.ordinaryCalm')}</p>
      <div className="wall-ordinary__columns">
        <section className="wall-panel" aria-labelledby="wall-conference-heading">
          <h2 id="wall-conference-heading" className="wall-heading">
            {t('wall.nextConference')}
          </h2>
          {conference ? (
            <p className="wall-conference">
              <time className="wall-conference__time" dateTime={conference.at}>
                {formatTimeOfDay(conference.at, i18n.language)}
              </time>
              <span className="wall-conference__date">
                {formatDate(Date.parse(conference.at), i18n.language)}
              </span>
              <span className="wall-conference__title">{conference.incident.title}</span>
            </p>
          ) : (
            <p className="wall-muted">{t('wall.noConference')}</p>
          )}
          {requests.length > 0 && (
            <>
              <h2 className="wall-heading">{t('wall.requests')}</h2>
              <ul className="wall-list">
                {requests.map((incident) => (
                  <li key={incident.id}>
                    <strong>{incident.title}</strong>
                    {incident.requestedBy && (
                      <span className="wall-muted"> · {actorName(incident.requestedBy.actorId)}</span>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
        <section className="wall-panel" aria-labelledby="wall-log-heading">
          <h2 id="wall-log-heading" className="wall-heading">
            {t('wall.monitoring')}
          </h2>
          {entries.length === 0 ? (
            <p className="wall-muted">{t('wall.noLogEntries')}</p>
          ) : (
            <ol className="wall-list" data-testid="wall-log">
              {entries.map((entry) => (
                <li key={entry.id}>
                  <time className="wall-list__time" dateTime={entry.at}>
                    {formatTimeOfDay(entry.at, i18n.language)}
                  </time>{' '}
                  <span className="wall-muted">{actorName(entry.by.actorId)}</span>{' '}
                  {entry.text.split('\n')[0]}
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </div>
  );
}
