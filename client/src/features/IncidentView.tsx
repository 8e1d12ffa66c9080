import type { Incident, SessionInfo } from '@lagesbild/shared';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../components/CommandStatus';
import { Tabs } from '../components/Tabs';
import { Time } from '../components/Time';
import { acknowledgementCount } from '../domain/acknowledgements';
import { actorLabel } from '../domain/actors';
import { can } from '../domain/rights';
import { INCIDENT_TABS, useView, type IncidentTab } from '../stores/view';
import { AcknowledgementMatrix } from './AcknowledgementMatrix';
import { LogPanel } from './LogPanel';
import { NextConferenceForm } from './NextConferenceForm';
import { PicturePanel } from './PicturePanel';
import { ReportForm } from './ReportForm';
import { ReportTimeline } from './ReportTimeline';
import { LazyConferenceTab } from '../conference/lazy';
import { AssessmentSummary } from '../conference/AssessmentSummary';
import { DirectiveInForce } from '../directive/DirectiveInForce';
import { LazyDirectiveTab } from '../directive/lazy';
import { CurrentMessage } from '../message/CurrentMessage';
import { LazyMessageTab } from '../message/lazy';
import { messageEn } from '../message/i18n-en';
import { messageSv } from '../message/i18n-sv';
import { registerTranslations } from '../i18n/register';
import { incidentViewsEn } from './i18n-en';
import { incidentViewsSv } from './i18n-sv';
import { conferenceEn } from '../conference/i18n-en';
import { conferenceSv } from '../conference/i18n-sv';
import { directiveEn } from '../directive/i18n-en';
import { directiveSv } from '../directive/i18n-sv';
import { phoneEn } from '../phone/phone-en';
import { phoneSv } from '../phone/phone-sv';

// This view's texts load with it; the first page carries none of them.
registerTranslations(incidentViewsSv, incidentViewsEn);
registerTranslations(conferenceSv, conferenceEn);
registerTranslations(directiveSv, directiveEn);
registerTranslations(messageSv, messageEn);
// Check-ins and field reports on the picture are worded as on the phone.
registerTranslations({ phone: phoneSv }, { phone: phoneEn });

// Loaded on first use: only those who may change the incident ever open it.
const IncidentEditDialog = lazy(() =>
  import('./IncidentEditDialog').then((m) => ({ default: m.IncidentEditDialog })),
);

/** One incident: what it is, then its picture, acknowledgements, reports and log. */
export function IncidentView({ session, incident }: { session: SessionInfo; incident: Incident }) {
  const { t } = useTranslation();
  const tab = useView((s) => s.tab);
  const draftEpoch = useView((s) => s.draftEpoch);
  const mayReport = incident.status === 'active' && can(session, 'report.submit');
  const tabs = INCIDENT_TABS.filter((id) => id !== 'newReport' || mayReport).map((id) => ({
    id,
    label: t(`tabs.${id}`),
  }));
  const current: IncidentTab = tabs.some((x) => x.id === tab) ? tab : 'picture';
  const regionActorIds = session.region.actors.map((a) => a.id);
  const acks = acknowledgementCount(incident, regionActorIds);
  const mayEdit = incident.status === 'active' && can(session, 'incident.update');
  const [editing, setEditing] = useState(false);
  const [editItem, setEditItem] = useState<string | null>(null);
  const closeEdit = () => setEditing(false);

  return (
    <article className="incident-view" aria-labelledby="incident-heading" data-testid="incident-view">
      <header className="incident-view__head">
        <button
          type="button"
          className="button button--plain"
          onClick={() => useView.getState().openIncident(null)}
        >
          ← {t('incident.back')}
        </button>
        <h2 id="incident-heading" className="incident-view__title">
          {incident.title}
        </h2>
        <dl className="incident__facts">
          <div>
            <dt>{t('dashboard.status')}</dt>
            <dd>{t(`incidentStatus.${incident.status}`)}</dd>
          </div>
          <div>
            <dt>{t('dashboard.kind')}</dt>
            <dd>{t(`incidentKind.${incident.kind}`)}</dd>
          </div>
          {incident.activatedAt && (
            <div>
              <dt>{t('dashboard.activatedAt')}</dt>
              <dd>
                <Time iso={incident.activatedAt} />
                {incident.activatedBy && ` (${actorLabel(session.region, incident.activatedBy.actorId)})`}
              </dd>
            </div>
          )}
          <div>
            <dt>{t('incident.nextConference')}</dt>
            <dd data-testid="next-conference">
              {incident.nextConferenceAt ? <Time iso={incident.nextConferenceAt} /> : t('incident.notSet')}
            </dd>
          </div>
          {incident.status === 'active' && (
            <div>
              <dt>{t('dashboard.acknowledgements')}</dt>
              <dd data-testid="incident-acks">
                {t('dashboard.acksOfSummoned', { acked: acks.acknowledged, summoned: acks.summoned })}
              </dd>
            </div>
          )}
        </dl>
        {incident.description && <p className="prewrap incident-view__description">{incident.description}</p>}
        {incident.status === 'closed' && incident.closingSummary && (
          <p className="notice prewrap">
            <strong>{t('incident.closingSummary')}:</strong> {incident.closingSummary}
          </p>
        )}
        {mayEdit && <NextConferenceForm session={session} incident={incident} />}
        {mayEdit && (
          <div className="form__inline">
            <button type="button" className="button button--secondary" onClick={() => setEditing(true)}>
              {t('incidentEdit.open')}
            </button>
            {!editing && <CommandStatus itemId={editItem} />}
          </div>
        )}
        {mayEdit && editing && (
          <Suspense fallback={null}>
            <IncidentEditDialog
              key={incident.id}
              session={session}
              incident={incident}
              onClose={closeEdit}
              onSubmitted={setEditItem}
            />
          </Suspense>
        )}
        {incident.status !== 'closed' && can(session, 'incident.close') && (
          <button
            type="button"
            className="button button--danger"
            onClick={() => useView.getState().openDialog({ kind: 'close', incidentId: incident.id })}
          >
            {t('actions.close')}
          </button>
        )}
      </header>
      <DirectiveInForce session={session} incident={incident} />
      <CurrentMessage incident={incident} />
      <AssessmentSummary incidentId={incident.id} />
      <Tabs
        label={t('tabs.label')}
        tabs={tabs}
        selected={current}
        onSelect={(id) => useView.getState().setTab(id)}
      >
        {current === 'picture' && <PicturePanel session={session} incident={incident} />}
        {current === 'acknowledgements' && <AcknowledgementMatrix session={session} incident={incident} />}
        {current === 'reports' && <ReportTimeline session={session} incident={incident} />}
        {current === 'newReport' && (
          <ReportForm key={`${incident.id}-${draftEpoch}`} session={session} incident={incident} />
        )}
        {current === 'log' && (
          <LogPanel key={`${incident.id}-${draftEpoch}`} session={session} incidentId={incident.id} />
        )}
        {current === 'conference' && <LazyConferenceTab session={session} incident={incident} />}
        {current === 'directive' && <LazyDirectiveTab session={session} incident={incident} />}
        {current === 'message' && (
          <LazyMessageTab key={`${incident.id}-${draftEpoch}`} session={session} incident={incident} />
        )}
      </Tabs>
    </article>
  );
}
