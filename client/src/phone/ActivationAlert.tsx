import { acknowledgementOf, type Acknowledgement, type SessionInfo } from '@lagesbild/shared';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { acknowledgedByText } from '../domain/acknowledgements';
import { actorLabel } from '../domain/actors';
import { playActivationSound } from '../domain/alert-signals';
import { formatTime } from '../domain/format';
import { newId } from '../domain/ids';
import { can } from '../domain/rights';
import { submitCommand } from '../outbox';
import { useOutbox, userItems } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import { usePreferences } from '../stores/preferences';
import { pendingActivations, readDismissed, writeDismissed } from './activation-alert';

/** Long-short pattern, repeated: felt in a pocket, unlike a message. */
const VIBRATION = [600, 200, 600, 200, 600];

/** The acknowledgement tapped on this phone: its incident and its outbox item. */
type Tapped = { incidentId: string; itemId: string };

/**
 * A full-screen alert for an activation that summons the person's actor and is not yet
 * acknowledged: one tap acknowledges (through the outbox, so it works offline too). It
 * vibrates and sounds where the device allows; a person whose function may not
 * acknowledge can put it away once seen. After the tap a confirmation screen says when
 * and by whom it was acknowledged (or that it waits in the outbox) before the incident
 * and the mode show.
 */
export function ActivationAlert({ session }: { session: SessionInfo }) {
  const { t, i18n } = useTranslation();
  const incidents = usePicture((s) => s.state.incidents);
  const all = useOutbox((s) => s.items);
  const soundEnabled = usePreferences((s) => s.soundEnabled);
  const [dismissed, setDismissed] = useState(readDismissed);
  const [tapped, setTapped] = useState<Tapped | null>(null);
  const signalled = useRef(new Set<string>());
  const items = useMemo(() => userItems(all, session.user.id), [all, session.user.id]);
  const pending = useMemo(
    () => pendingActivations({ incidents }, session.region, session.actorId, items, dismissed),
    [incidents, session.region, session.actorId, items, dismissed],
  );
  const incident = pending[0];
  const mayAcknowledge = can(session, 'activation.acknowledge');

  useEffect(() => {
    if (!incident || signalled.current.has(incident.id)) return;
    signalled.current.add(incident.id);
    // Both are refused until the person has touched the page once; the screen still shows.
    try {
      navigator.vibrate?.(VIBRATION);
    } catch {
      // No vibration motor.
    }
    if (soundEnabled) playActivationSound();
  }, [incident, soundEnabled]);

  const tappedItem = tapped ? all[tapped.itemId] : undefined;
  const tappedIncident = tapped ? incidents[tapped.incidentId] : undefined;
  // A refused acknowledgement brings the alert back (pendingActivations), not a confirmation.
  if (tapped && tappedIncident && tappedItem?.status !== 'failed') {
    return (
      <AcknowledgedScreen
        session={session}
        title={tappedIncident.title}
        acknowledgement={acknowledgementOf(tappedIncident, session.actorId)}
        onContinue={() => setTapped(null)}
      />
    );
  }

  if (!incident) return null;

  const putAway = () => {
    const next = new Set(dismissed).add(incident.id);
    writeDismissed(next, (id) => incidents[id]?.status === 'active');
    setDismissed(next);
  };

  const acknowledge = () => {
    const incidentId = incident.id;
    void submitCommand(session.user.id, {
      id: newId(),
      type: 'activation.acknowledge',
      payload: { incidentId },
    }).then((item) => setTapped({ incidentId, itemId: item.id }));
  };

  return (
    <div
      className="phone-alert"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="phone-alert-title"
      aria-describedby="phone-alert-summoned"
      data-testid="activation-alert"
    >
      <p className="phone-alert__heading">{t('phone.alertHeading')}</p>
      <h2 className="phone-alert__title" id="phone-alert-title">
        {incident.title}
      </h2>
      <p className="phone-alert__kind">{t(`incidentKind.${incident.kind}`)}</p>
      <p id="phone-alert-summoned">
        {t('phone.alertSummoned', { actor: actorLabel(session.region, session.actorId) })}
      </p>
      {incident.nextConferenceAt && (
        <p>
          {t('phone.alertNextConference', { time: formatTime(incident.nextConferenceAt, i18n.language) })}
        </p>
      )}
      {mayAcknowledge ? (
        <button type="button" className="phone-alert__button" onClick={acknowledge} autoFocus>
          {t('phone.alertAcknowledge')}
        </button>
      ) : (
        <>
          <p>{t('phone.alertCannotAck')}</p>
          <button type="button" className="phone-alert__button" onClick={putAway} autoFocus>
            {t('phone.alertDismiss')}
          </button>
        </>
      )}
    </div>
  );
}

/**
 * The confirmation after the tap: "Kvitterat 07:09 av TiB Nacka" once the hub has it, or
 * that it waits in the outbox. Continuing shows the incident and the mode banner.
 */
function AcknowledgedScreen({
  session,
  title,
  acknowledgement,
  onContinue,
}: {
  session: SessionInfo;
  title: string;
  acknowledgement: Acknowledgement | null;
  onContinue: () => void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <div
      className="phone-alert phone-alert--acknowledged"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="phone-ack-title"
      aria-describedby="phone-ack-status"
      data-testid="acknowledged-screen"
    >
      <p className="phone-alert__heading">{t('phone.acknowledgedHeading')}</p>
      <h2 className="phone-alert__title" id="phone-ack-title">
        {title}
      </h2>
      <p id="phone-ack-status" role="status" data-testid="acknowledged-by">
        {acknowledgement
          ? acknowledgedByText(t, acknowledgement, session.region, i18n.language)
          : t('phone.acknowledgedQueued')}
      </p>
      <button type="button" className="phone-alert__button" onClick={onContinue} autoFocus>
        {t('phone.acknowledgedContinue')}
      </button>
    </div>
  );
}
