import { activeIncidents, requestedIncidents, type SessionInfo } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { AppHeader } from '../components/AppHeader';
import { IncidentList } from '../components/IncidentList';
import { usePicture } from '../stores/picture';

/** The operator's first view: the mode, the incidents being handled and those asked for. */
export function DashboardPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const state = usePicture((s) => s.state);
  const lastSeq = usePicture((s) => s.lastSeq);
  const active = useMemo(() => activeIncidents(state), [state]);
  const requested = useMemo(() => requestedIncidents(state), [state]);
  const regionActorIds = useMemo(() => session.region.actors.map((a) => a.id), [session.region.actors]);

  return (
    <div className="page">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <AppHeader session={session} />
      <main className="dashboard" id="main" tabIndex={-1}>
        <h1 className="visually-hidden">{t('dashboard.title')}</h1>
        <section className="panel" aria-labelledby="active-heading">
          <h2 id="active-heading">{t('dashboard.active')}</h2>
          <IncidentList
            incidents={active}
            regionActorIds={regionActorIds}
            emptyText={t('dashboard.noActive')}
          />
        </section>
        <section className="panel" aria-labelledby="requested-heading">
          <h2 id="requested-heading">{t('dashboard.requested')}</h2>
          <IncidentList
            incidents={requested}
            regionActorIds={regionActorIds}
            emptyText={t('dashboard.noRequested')}
          />
        </section>
      </main>
      <footer className="status-footer">
        <span>
          {t('dashboard.eventCounter')}: <strong data-testid="last-seq">{lastSeq}</strong>
        </span>
      </footer>
    </div>
  );
}
