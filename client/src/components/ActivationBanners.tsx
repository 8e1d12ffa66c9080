import { acknowledgementOf, activeIncidents, type Incident, type SessionInfo } from '@lagesbild/shared';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { acknowledgedByText } from '../domain/acknowledgements';
import { isSummoned } from '../domain/actors';
import { can } from '../domain/rights';
import { submit } from '../features/submit';
import { errorText } from './error-text';
import { useUnacknowledged } from '../hooks/use-activation-signals';
import { useOutbox } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import { useView } from '../stores/view';

function AcknowledgeButton({ session, incident }: { session: SessionInfo; incident: Incident }) {
  const { t } = useTranslation();
  const [itemId, setItemId] = useState<string | null>(null);
  const item = useOutbox((s) => (itemId === null ? undefined : s.items[itemId]));
  // A refused acknowledgement can be tried again; one on its way cannot be sent twice.
  const busy = item !== undefined && item.status !== 'failed';
  return (
    <>
      <button
        type="button"
        className="button button--acknowledge"
        disabled={busy}
        onClick={() =>
          void submit(session, 'activation.acknowledge', { incidentId: incident.id }).then(setItemId)
        }
      >
        {item?.status === 'queued'
          ? t('alert.acknowledgeQueued')
          : busy
            ? t('alert.acknowledging')
            : t('alert.acknowledge')}
      </button>
      {item?.status === 'failed' && item.error && (
        <p className="banner__detail" role="status">
          {errorText(t, item.error)}
        </p>
      )}
    </>
  );
}

/**
 * A banner about an activation the user may put away once read: its title, what it says
 * for this user, and the buttons to open the incident and to close the banner.
 */
function DismissibleBanner({
  incident,
  className,
  testId,
  detail,
  children,
}: {
  incident: Incident;
  className: string;
  testId?: string;
  /** Said after the title, on the same line. */
  detail?: ReactNode;
  /** Shown before the buttons. */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <section
      className={`banner ${className}`}
      data-testid={testId}
      data-incident-id={incident.id}
      aria-label={incident.title}
    >
      <p className="banner__text">
        <strong className="banner__label">{t('alert.activation')}</strong>{' '}
        <span className="banner__title">{incident.title}</span>
        {detail && <> {detail}</>}
      </p>
      <div className="banner__actions">
        {children}
        <button
          type="button"
          className="button button--on-dark"
          onClick={() => useView.getState().openIncident(incident.id, 'picture')}
        >
          {t('alert.open')}
        </button>
        <button
          type="button"
          className="button button--on-dark"
          onClick={() => useView.getState().dismissBanner(incident.id)}
        >
          {t('alert.dismiss')}
        </button>
      </div>
    </section>
  );
}

/**
 * The activation banner. It stays for every incident the user's actor must acknowledge
 * until it is acknowledged (by anyone of that actor); then it says when and by whom, where
 * the button was, until closed. Actors that are not summoned see new activations too, and
 * may close the banner. An actor that has acknowledged (the activating actor does so by
 * activating) is never told it is not summoned.
 */
export function ActivationBanners({ session }: { session: SessionInfo }) {
  const { t, i18n } = useTranslation();
  const unacknowledged = useUnacknowledged(session);
  const state = usePicture((s) => s.state);
  const dismissed = useView((s) => s.dismissedBanners);
  // The activations this page asked to acknowledge: those get the confirmation. One
  // acknowledged before the page opened needs no news (the matrix shows it).
  const [awaited, setAwaited] = useState<ReadonlySet<string>>(() => new Set());
  const newlyAwaited = unacknowledged.filter((i) => !awaited.has(i.id));
  // Noted while rendering (React re-renders at once), so no frame lacks the confirmation.
  if (newlyAwaited.length > 0) setAwaited(new Set([...awaited, ...newlyAwaited.map((i) => i.id)]));
  const active = useMemo(() => activeIncidents(state), [state]);
  const confirmed = useMemo(
    () =>
      active.filter(
        (i) =>
          awaited.has(i.id) && acknowledgementOf(i, session.actorId) !== null && !dismissed.includes(i.id),
      ),
    [active, awaited, session.actorId, dismissed],
  );
  const others = useMemo(
    () =>
      active.filter(
        (i) =>
          !isSummoned(i, session.region, session.actorId) &&
          acknowledgementOf(i, session.actorId) === null &&
          !dismissed.includes(i.id),
      ),
    [active, session.region, session.actorId, dismissed],
  );
  const mayAcknowledge = can(session, 'activation.acknowledge');
  if (unacknowledged.length === 0 && confirmed.length === 0 && others.length === 0) return null;

  return (
    <div className="banners" role="alert" data-testid="activation-banners">
      {unacknowledged.map((incident) => (
        <section
          key={incident.id}
          className="banner banner--activation"
          data-testid="activation-banner"
          data-incident-id={incident.id}
          aria-label={`${t('alert.newActivation')}: ${incident.title}`}
        >
          <p className="banner__text">
            <strong className="banner__label">{t('alert.newActivation')}</strong>{' '}
            <span className="banner__title">{incident.title}</span>{' '}
            <span className="banner__detail">
              ({t(`incidentKind.${incident.kind}`)}) – {t('alert.summoned')}
            </span>
          </p>
          <div className="banner__actions">
            {mayAcknowledge ? (
              <AcknowledgeButton session={session} incident={incident} />
            ) : (
              <p className="banner__detail">{t('alert.needsDutyOfficer')}</p>
            )}
            <button
              type="button"
              className="button button--on-dark"
              onClick={() => useView.getState().openIncident(incident.id, 'picture')}
            >
              {t('alert.open')}
            </button>
          </div>
        </section>
      ))}
      {confirmed.map((incident) => {
        const acknowledgement = acknowledgementOf(incident, session.actorId);
        return (
          <DismissibleBanner
            key={incident.id}
            incident={incident}
            className="banner--acknowledged"
            testId="acknowledged-banner"
          >
            {acknowledgement && (
              <p className="banner__confirmation" data-testid="acknowledged-by">
                {acknowledgedByText(t, acknowledgement, session.region, i18n.language)}
              </p>
            )}
          </DismissibleBanner>
        );
      })}
      {others.map((incident) => (
        <DismissibleBanner
          key={incident.id}
          incident={incident}
          className="banner--info"
          detail={<span className="banner__detail">– {t('alert.notSummoned')}</span>}
        />
      ))}
    </div>
  );
}
