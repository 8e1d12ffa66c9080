import {
  currentMessageOf,
  latestAgreedVersion,
  latestMessageVersion,
  type Incident,
} from '@lagesbild/shared';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Time } from '../components/Time';
import { useNow } from '../hooks/use-now';
import { usePicture } from '../stores/picture';
import { useView } from '../stores/view';
import { isExpired } from './message-labels';
import { ExerciseMark } from './MessageContentView';
import './current.css';

/**
 * The incident's agreed joint message at the top of the incident, for everybody who opens it:
 * headline, core message and what to do in Swedish, ÖVNING for an exercise, the validity,
 * and whether a change awaits approval. Nothing before a version is agreed, nor once the
 * message is withdrawn: what is shown here is what the public may be told. Once its validity
 * has ended it says so ("gällde till …") rather than passing for what stands now.
 */
export function CurrentMessage({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const headingId = useId();
  const jointMessages = usePicture((s) => s.state.jointMessages);
  const nowMs = useNow(60_000);
  const shown = useMemo(() => {
    const message = currentMessageOf({ jointMessages }, incident.id);
    const agreed = message && latestAgreedVersion(message);
    const latest = message && latestMessageVersion(message);
    return agreed && latest
      ? { agreed, pending: latest.version !== agreed.version ? latest : undefined }
      : null;
  }, [jointMessages, incident.id]);
  if (!shown) return null;
  const { agreed, pending } = shown;
  const text = agreed.content.texts.sv;
  const expired = isExpired(agreed, nowMs);

  return (
    <section
      className={expired ? 'message-current message-current--expired' : 'message-current'}
      aria-labelledby={headingId}
      data-testid="message-current"
      data-expired={expired}
    >
      <h3 id={headingId} className="message-current__title">
        {t(expired ? 'message.expiredTitle' : 'message.currentTitle', { version: agreed.version })}
        {agreed.content.exercise && (
          <>
            {' '}
            <ExerciseMark />
          </>
        )}
      </h3>
      <p className="message-current__headline">{text.headline}</p>
      <p className="prewrap message-current__core">{text.core}</p>
      {text.whatToDo && <p className="prewrap message-current__what">{text.whatToDo}</p>}
      <p className="message-current__meta">
        {expired ? (
          <span data-testid="message-current-expired">
            {t('message.validUntilPast')} <Time iso={agreed.content.validUntil} />
          </span>
        ) : (
          <>
            {t('message.validity')}: <Time iso={agreed.content.validFrom} /> –{' '}
            <Time iso={agreed.content.validUntil} />
          </>
        )}
        {pending && (
          <>
            {' · '}
            <span data-testid="message-current-pending">
              {t('message.currentPending', { version: pending.version })}
            </span>
          </>
        )}
      </p>
      <button
        type="button"
        className="button button--small"
        onClick={() => useView.getState().setTab('message')}
      >
        {t('message.showAll')}
      </button>
    </section>
  );
}
