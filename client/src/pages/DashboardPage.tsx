import { activeIncidents, requestedIncidents, type SessionInfo } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ActivationBanners } from '../components/ActivationBanners';
import { AppHeader } from '../components/AppHeader';
import { CommandStatus } from '../components/CommandStatus';
import { IncidentList } from '../components/IncidentList';
import { can } from '../domain/rights';
import {
  LazyActivationDialog,
  LazyCloseDialog,
  LazyIncidentView,
  LazyOutboxPanel,
  LazyRequestDialog,
} from '../features/lazy-views';
import { LogPanel } from '../features/LogPanel';
import { useActivationSignals } from '../hooks/use-activation-signals';
import { usePicture } from '../stores/picture';
import { useView } from '../stores/view';

/** How many closed incidents the overview lists, newest first. */
const CLOSED_SHOWN = 5;

/** The overview: the incidents being handled, those asked for, recently closed ones, the log. */
function Overview({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const state = usePicture((s) => s.state);
  const draftEpoch = useView((s) => s.draftEpoch);
  const active = useMemo(() => activeIncidents(state), [state]);
  const requested = useMemo(() => requestedIncidents(state), [state]);
  const closed = useMemo(
    () =>
      Object.values(state.incidents)
        .filter((i) => i.status === 'closed')
        .sort((a, b) => (b.closedAt ?? '').localeCompare(a.closedAt ?? ''))
        .slice(0, CLOSED_SHOWN),
    [state],
  );
  const regionActorIds = useMemo(() => session.region.actors.map((a) => a.id), [session.region.actors]);
  const mayActivate = can(session, 'incident.activate');
  const mayClose = can(session, 'incident.close');
  const open = (id: string) => useView.getState().openIncident(id, 'picture');

  return (
    <div className="overview">
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
                    onClick={() => useView.getState().openDialog({ kind: 'close', incidentId: incident.id })}
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
      {closed.length > 0 && (
        <section className="panel" aria-labelledby="closed-heading">
          <details className="disclosure">
            <summary>
              <h2 id="closed-heading" className="inline-heading">
                {t('dashboard.closed')}
              </h2>
            </summary>
            <IncidentList
              incidents={closed}
              regionActorIds={regionActorIds}
              emptyText=""
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
      )}
      <div className="panel">
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
          <CommandStatus itemId={lastSubmitted} />
        </div>
        {incident && incident.status !== 'requested' ? (
          <LazyIncidentView session={session} incident={incident} />
        ) : (
          <Overview session={session} />
        )}
      </main>
      <footer className="status-footer">
        <span>
          {t('dashboard.eventCounter')}: <strong data-testid="last-seq">{lastSeq}</strong>
        </span>
      </footer>
      {dialog?.kind === 'request' && <LazyRequestDialog session={session} />}
      {dialog?.kind === 'activate' && <LazyActivationDialog session={session} requestId={dialog.requestId} />}
      {dialog?.kind === 'close' && <LazyCloseDialog session={session} incidentId={dialog.incidentId} />}
      {outboxOpen && <LazyOutboxPanel session={session} />}
    </div>
  );
}
