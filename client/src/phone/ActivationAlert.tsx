import type { SessionInfo } from '@lagesbild/shared';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
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

/**
 * A full-screen alert for an activation that summons the person's actor and is not yet
 * acknowledged: one tap acknowledges (through the outbox, so it works offline too). It
 * vibrates and sounds where the device allows; a person whose function may not
 * acknowledge can put it away once seen.
 */
export function ActivationAlert({ session }: { session: SessionInfo }) {
  const { t, i18n } = useTranslation();
  const incidents = usePicture((s) => s.state.incidents);
  const all = useOutbox((s) => s.items);
  const soundEnabled = usePreferences((s) => s.soundEnabled);
  const [dismissed, setDismissed] = useState(readDismissed);
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

  if (!incident) return null;

  const putAway = () => {
    const next = new Set(dismissed).add(incident.id);
    writeDismissed(next, (id) => incidents[id]?.status === 'active');
    setDismissed(next);
  };

  const acknowledge = () => {
    void submitCommand(session.user.id, {
      id: newId(),
      type: 'activation.acknowledge',
      payload: { incidentId: incident.id },
    });
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
