import { requestedIncidents } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { upcomingConference } from '../conference/next-conference';
import { useNow } from '../hooks/use-now';
import { LazyMap } from '../map/LazyMap';
import type { MapShape } from '../map/map-types';
import { formatDate, formatTimeOfDay } from './wall-format';
import { pendingRequests, recentLogEntries } from './wall-view';
import { WallCommonPicture } from './WallCommonPicture';
import { useWallFrame } from './wall-frame';
import type { WallDisplay } from './wall-store';

// Ordinary mode draws no features; one empty list keeps the map from redrawing each frame.
const NO_SHAPES: readonly MapShape[] = [];

/**
 * Ordinary mode, calmly: nothing flashes. The next scheduled conference, requests waiting
 * for a decision, the latest common assessment and open decisions of ordinary-mode
 * conferences (when there are any), the newest lines of the shared log (monitoring), and
 * the region's map with its municipalities, so the room sees its region before anything
 * happens in it.
 */
export function OrdinaryView({ display }: { display: WallDisplay }) {
  const { t, i18n } = useTranslation();
  const { region } = display;
  const incidents = useWallFrame((s) => s.state.incidents);
  const logEntries = useWallFrame((s) => s.state.logEntries);
  const now = useNow(60_000);
  const conferences = useWallFrame((s) => s.state.conferences);
  // The same next conference as the dashboard's, with the same grace for one running late.
  const conference = useMemo(
    () => upcomingConference({ incidents, conferences }, now),
    [incidents, conferences, now],
  );
  const requests = useMemo(() => pendingRequests({ incidents }), [incidents]);
  const requestCount = useMemo(() => requestedIncidents({ incidents }).length, [incidents]);
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
              <span className="wall-conference__title">
                {conference.incident?.title ?? conference.conference?.title}
              </span>
            </p>
          ) : (
            <p className="wall-muted">{t('wall.noConference')}</p>
          )}
          <h2 className="wall-heading">{t('wall.requests')}</h2>
          <p className="wall-requests__count" data-testid="wall-request-count">
            {requestCount > 0
              ? t('wall.requestsWaiting', { count: requestCount })
              : t('wall.noRequestsWaiting')}
          </p>
          {requests.length > 0 && (
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
          )}
        </section>
        <section
          className="wall-map wall-ordinary__map"
          aria-label={t('wall.regionMap')}
          data-testid="wall-region-map"
        >
          <LazyMap
            label={t('wall.regionMap')}
            center={region.map.center}
            zoom={region.map.zoom}
            tiles={display.tiles}
            shapes={NO_SHAPES}
            appearance="dark"
            testId="wall-region-leaflet"
          />
        </section>
        <WallCommonPicture incidentId={null} region={region} hideWhenEmpty />
        <section className="wall-panel wall-ordinary__log" aria-labelledby="wall-log-heading">
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
