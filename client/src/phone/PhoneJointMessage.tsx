import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNow } from '../hooks/use-now';
import { usePicture } from '../stores/picture';
import { formatWhen } from '../wall/wall-format';
import { messageOnWall, messageTextFor, notYetValid } from '../wall/wall-message';

/**
 * The incident's agreed joint message to the public as the phone shows it: what someone in
 * the field may tell the people they meet. The same message the wall shows (never a draft),
 * with the agreed version's time, and "Återkallat" for a while once it is withdrawn.
 */
export function PhoneJointMessage({ incidentId }: { incidentId: string }) {
  const { t, i18n } = useTranslation();
  const now = useNow(30_000);
  const jointMessages = usePicture((s) => s.state.jointMessages);
  const shown = useMemo(
    () => messageOnWall({ jointMessages }, incidentId, now),
    [jointMessages, incidentId, now],
  );
  if (!shown) return null;
  const { version } = shown;
  const text = messageTextFor(version, i18n.language);
  const when = (at: string) => formatWhen(at, now, i18n.language);
  const withdrawn = shown.kind === 'withdrawn';
  return (
    <div
      className={`phone-message${version.content.exercise ? ' phone-message--exercise' : ''}`}
      data-testid="phone-joint-message"
      data-kind={shown.kind}
      data-version={version.version}
    >
      <h4>
        {t('phone.message.heading')}{' '}
        {version.agreedAt && (
          <span className="phone-picture__meta" data-testid="phone-joint-message-when">
            {t(notYetValid(version, now) ? 'phone.message.whenLater' : 'phone.message.when', {
              version: version.version,
              agreed: when(version.agreedAt),
              from: when(version.content.validFrom),
              until: when(version.content.validUntil),
            })}
          </span>
        )}
      </h4>
      {version.content.exercise && (
        <p className="phone-message__exercise" data-testid="phone-joint-message-exercise">
          <strong>{t('phone.message.exercise')}</strong> – {t('phone.message.exerciseNote')}
        </p>
      )}
      {withdrawn && (
        <p className="phone-message__withdrawn" role="status">
          {t('phone.message.withdrawn', { time: when(shown.withdrawnAt) })}
        </p>
      )}
      <p className="phone-message__headline" data-testid="phone-joint-message-headline">
        {withdrawn ? <del>{text.headline}</del> : text.headline}
      </p>
      {!withdrawn && (
        <>
          <p className="phone-message__core">{text.core}</p>
          {text.whatToDo !== '' && (
            <p className="phone-message__todo">
              <strong>{t('phone.message.whatToDo')}:</strong> {text.whatToDo}
            </p>
          )}
        </>
      )}
    </div>
  );
}
