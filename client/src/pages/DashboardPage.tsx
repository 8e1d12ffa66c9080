import { ADMIN_FUNCTION, activeIncidents, requestedIncidents, type SessionInfo } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ActivationBanners } from '../components/ActivationBanners';
import { AppHeader } from '../components/AppHeader';
import { CommandStatus } from '../components/CommandStatus';
import { IncidentList } from '../components/IncidentList';
import { Time } from '../components/Time';
import { endedIncidents } from '../domain/ended-incidents';
import { LazyAssessmentSummary, LazyOwnActionItems } from '../conference/lazy';
import { OrdinaryConferences } from '../conference/OrdinaryConferences';
import { upcomingConference } from '../conference/next-conference';
import { can } from '../domain/rights';
import { DirectiveNotices } from '../directive/DirectiveNotices';
import { LazyCommunicatorView } from '../message/lazy';
import { MessageNotices } from '../message/MessageNotices';
import {
  LazyActivationDialog,
  LazyCloseDialog,
  LazyIncidentView,
  LazyOutboxPanel,
  LazyRequestDialog,
} from '../features/lazy-views';
import { LogPanel } from '../features/LogPanel';
import { ReadinessControl } from '../readiness/ReadinessControl';
import { TemplatesAdminControl } from '../admin/TemplatesAdminControl';
import { useActivationSignals } from '../hooks/use-activation-signals';
import { useNow } from '../hooks/use-now';
import { LazyMap } from '../map/LazyMap';
import type { MapShape } from '../map/map-types';
import { usePicture } from '../stores/picture';
import { useView } from '../stores/view';

/** How many closed incidents the overview lists, newest first. */
const CLOSED_SHOWN = 5;

/** The region map of the overview: its municipalities and the areas of active incidents. */
function RegionMap({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const incidents = usePicture((s) => s.state.incidents);
  const areas = useMemo<MapShape[]>(
    () =>
      Object.values(incidents).flatMap((incident) =>
        incident.status === 'active' && incident.area
          ? [
              {
                key: incident.id,
                geometry: incident.area,
                colour: '#111111',
                kind: 'area',
                title: incident.title,
              },
            ]
          : [],
      ),
    [incidents],
  );
  return (
    <section className="panel overview__map" aria-labelledby="region-map-heading">
      <h2 id="region-map-heading">{t('dashboard.regionMap')}</h2>
      <LazyMap
        label={t('dashboard.regionMapLabel')}
        center={session.region.map.center}
        zoom={session.region.map.zoom}
        tiles={session.tiles}
        shapes={areas}
        testId="overview-map"
      />
    </section>
  );
}

/**
 * The next coordination conference, of ordinary mode or of any active incident, read from
 * the log's conferences, so nobody has to open each incident.
 */
function NextConference() {
  const { t } = useTranslation();
  const incidents = usePicture((s) => s.state.incidents);
  const conferences = usePicture((s) => s.state.conferences);
  const now = useNow(60_000);
  const next = useMemo(
    () => upcomingConference({ incidents, conferences }, now),
    [incidents, conferences, now],
  );
  return (
    <section className="panel overview__conference" aria-labelledby="next-conference-heading">
      <h2 id="next-conference-heading">{t('dashboard.nextConference')}</h2>
      {next ? (
        <p className="overview__conference-time" data-testid="next-conference">
          <strong>
            <Time iso={next.at} />
          </strong>{' '}
          – {next.incident?.title ?? next.conference?.title}
        </p>
      ) : (
        <p className="empty" data-testid="next-conference">
          {t('dashboard.noConference')}
        </p>
      )}
    </section>
  );
}

/**
 * The overview: the incidents being handled, those asked for, the next conference and the
 * region map side by side; recently closed incidents and the log below. Every box has its
 * place (and the map its height) before data or the map arrive, so nothing jumps.
 */
function Overview({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const state = usePicture((s) => s.state);
  const draftEpoch = useView((s) => s.draftEpoch);
  const active = useMemo(() => activeIncidents(state), [state]);
  const requested = useMemo(() => requestedIncidents(state), [state]);
  const closed = useMemo(() => endedIncidents(state.incidents, CLOSED_SHOWN), [state]);
  const regionActorIds = useMemo(() => session.region.actors.map((a) => a.id), [session.region.actors]);
  const mayActivate = can(session, 'incident.activate');
  const mayClose = can(session, 'incident.close');
  const open = (id: string) => useView.getState().openIncident(id, 'picture');

  return (
    <div className="overview">
      <div className="overview__lists">
        <LazyAssessmentSummary incidentId={null} headingLevel={2} />
        <NextConference />
        <LazyOwnActionItems session={session} />
        <section className="panel" aria-labelledby="active-heading">
          <h2 id="active-heading">{t('dashboard.active')}</h2>
          <IncidentList
            incidents={active}
            regionActorIds={regionActorIds}
            emptyText={t('dashboard.noActive')}
            actions={(incident) => (
              <button type="button" className="button button--primary" onClick={() => open(incident.id)}>
                {t('incident.open')}
                <span className="visually-hidden">: {incident.title}</span>
              </button>
            )}
          />
        </section>
        <section className="panel" aria-labelledby="requested-heading">
          <h2 id="requested-heading">{t('dashboard.requested')}</h2>
          <IncidentList
            incidents={requested}
            regionActorIds={regionActorIds}
            emptyText={t('dashboard.noRequested')}
            actions={(incident) =>
              (mayActivate || mayClose) && (
                <>
                  {mayActivate && (
                    <button
                      type="button"
                      className="button button--primary"
                      onClick={() =>
                        useView.getState().openDialog({ kind: 'activate', requestId: incident.id })
                      }
                    >
                      {t('actions.decide')}
                      <span className="visually-hidden">: {incident.title}</span>
                    </button>
                  )}
                  {mayClose && (
                    <button
                      type="button"
                      className="button button--secondary-light"
                      onClick={() =>
                        useView.getState().openDialog({ kind: 'close', incidentId: incident.id })
                      }
                    >
                      {t('actions.decline')}
                      <span className="visually-hidden">: {incident.title}</span>
                    </button>
                  )}
                </>
              )
            }
          />
        </section>
      </div>
      <RegionMap session={session} />
      <OrdinaryConferences session={session} />
      {/* Communicators and duty officers: every joint message, what awaits them, what they have not published. */}
      {(can(session, 'jointMessage.draft') || can(session, 'jointMessage.approve')) && (
        <LazyCommunicatorView session={session} />
      )}
      <section
        className="panel overview__wide"
        aria-labelledby="closed-heading"
        data-testid="closed-incidents"
      >
        {/* Collapsed: in the first minutes what is open matters; the count says what is inside. */}
        <details className="disclosure">
          <summary>
            <h2 id="closed-heading" className="inline-heading">
              {t('dashboard.closed')} <span className="count">({closed.length})</span>
            </h2>
          </summary>
          <IncidentList
            incidents={closed}
            regionActorIds={regionActorIds}
            emptyText={t('dashboard.noClosed')}
            actions={(incident) => (
              <button
                type="button"
                className="button button--secondary-light"
                onClick={() => open(incident.id)}
              >
                {t('incident.open')}
                <span className="visually-hidden">: {incident.title}</span>
              </button>
            )}
          />
        </details>
      </section>
      <div className="panel overview__wide">
        <LogPanel key={`general-${draftEpoch}`} session={session} incidentId={null} />
      </div>
    </div>
  );
}

/** The operator's screen: the mode, activations to acknowledge, and the picture. */
export function DashboardPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const lastSeq = usePicture((s) => s.lastSeq);
  const incidentId = useView((s) => s.incidentId);
  const incident = usePicture((s) => (incidentId ? s.state.incidents[incidentId] : undefined));
  const dialog = useView((s) => s.dialog);
  const outboxOpen = useView((s) => s.outboxOpen);
  const lastSubmitted = useView((s) => s.lastSubmitted);
  useActivationSignals(session);

  return (
    <div className="page">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <AppHeader session={session} />
      <ActivationBanners session={session} />
      <DirectiveNotices session={session} />
      <MessageNotices session={session} />
      <main className="dashboard" id="main" tabIndex={-1}>
        <h1 className="visually-hidden">{t('dashboard.title')}</h1>
        <div className="action-bar">
          {can(session, 'incident.request') && (
            <button
              type="button"
              className="button button--go"
              onClick={() => useView.getState().openDialog({ kind: 'request' })}
            >
              {t('actions.request')}
            </button>
          )}
          {can(session, 'incident.activate') && (
            <button
              type="button"
              className="button button--danger-strong"
              onClick={() => useView.getState().openDialog({ kind: 'activate', requestId: null })}
            >
              {t('actions.activate')}
            </button>
          )}
          <ReadinessControl session={session} />
          <TemplatesAdminControl session={session} />
          <CommandStatus itemId={lastSubmitted} />
        </div>
        {incident && incident.status !== 'requested' ? (
          <LazyIncidentView session={session} incident={incident} />
        ) : (
          <Overview session={session} />
        )}
      </main>
      {/* The log's sequence number helps an administrator compare screens; to anyone else a
          running number next to "incidents" reads as a count of incidents. */}
      {session.functionIds.includes(ADMIN_FUNCTION) && (
        <footer className="status-footer">
          <span>
            {t('dashboard.updateNumber')}: <strong data-testid="last-seq">{lastSeq}</strong>
          </span>
        </footer>
      )}
      {dialog?.kind === 'request' && <LazyRequestDialog session={session} />}
      {dialog?.kind === 'activate' && <LazyActivationDialog session={session} requestId={dialog.requestId} />}
      {dialog?.kind === 'close' && <LazyCloseDialog session={session} incidentId={dialog.incidentId} />}
      {outboxOpen && <LazyOutboxPanel session={session} />}
    </div>
  );
}
