import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNow } from '../hooks/use-now';
import { formatWhen } from './wall-format';
import { useWallFrame } from './wall-frame';
import { messageOnWall, messageTextFor, notYetValid, type ShownMessage } from './wall-message';

/**
 * The joint message of an incident as the wall last drew it, and the clock it was judged
 * by: validity and the withdrawal notice end by the clock, so the message leaves the wall
 * when it runs out.
 */
export function useWallJointMessage(incidentId: string): { shown: ShownMessage | undefined; now: number } {
  const now = useNow(30_000);
  const jointMessages = useWallFrame((s) => s.state.jointMessages);
  const shown = useMemo(
    () => messageOnWall({ jointMessages }, incidentId, now),
    [jointMessages, incidentId, now],
  );
  return { shown, now };
}

type WallJointMessageProps = {
  shown: ShownMessage;
  now: number;
  /** One line beside the incident's facts, while a conference has the screen. */
  compact?: boolean;
};

/**
 * The agreed joint message to the public: the headline and what the public should do in
 * large type, the core message smaller, an exercise marked as such; a withdrawn one struck
 * through under "Återkallat" for a while.
 */
export function WallJointMessage({ shown, now, compact = false }: WallJointMessageProps) {
  return compact ? <MessageLine shown={shown} now={now} /> : <MessagePanel shown={shown} now={now} />;
}

/** "ÖVNING", never to be missed: an exercise must not be read as a real event. */
function ExerciseMark({ shown }: { shown: ShownMessage }) {
  const { t } = useTranslation();
  if (!shown.version.content.exercise) return null;
  return (
    <strong className="wall-joint-message__exercise" data-testid="wall-joint-message-exercise">
      {t('wall.message.exercise')}
    </strong>
  );
}

/** "v2 · överenskommet 13:05 · gäller till 18:00", or when it was withdrawn. */
function MessageWhen({ shown, now }: { shown: ShownMessage; now: number }) {
  const { t, i18n } = useTranslation();
  const when = (at: string) => formatWhen(at, now, i18n.language);
  if (shown.kind === 'withdrawn') {
    return (
      <strong className="wall-joint-message__withdrawn">
        <time dateTime={shown.withdrawnAt}>
          {t('wall.message.withdrawn', { time: when(shown.withdrawnAt) })}
        </time>
      </strong>
    );
  }
  const { version } = shown;
  const { validFrom, validUntil } = version.content;
  return (
    <>
      {version.agreedAt && (
        <>
          <time dateTime={version.agreedAt}>
            {t('wall.message.agreed', { version: version.version, time: when(version.agreedAt) })}
          </time>
          {' · '}
        </>
      )}
      <time dateTime={validUntil}>
        {notYetValid(version, now)
          ? t('wall.message.validFromUntil', { from: when(validFrom), until: when(validUntil) })
          : t('wall.message.validUntil', { time: when(validUntil) })}
      </time>
    </>
  );
}

function MessagePanel({ shown, now }: { shown: ShownMessage; now: number }) {
  const { t, i18n } = useTranslation();
  const text = messageTextFor(shown.version, i18n.language);
  const exercise = shown.version.content.exercise;
  const withdrawn = shown.kind === 'withdrawn';
  return (
    <section
      className={`wall-joint-message${exercise ? ' wall-joint-message--exercise' : ''}${withdrawn ? ' wall-joint-message--withdrawn' : ''}`}
      aria-labelledby="wall-joint-message-heading"
      data-testid="wall-joint-message"
      data-kind={shown.kind}
      data-version={shown.version.version}
    >
      <div className="wall-joint-message__head">
        <h2 id="wall-joint-message-heading" className="wall-heading">
          {t('wall.message.heading')}
        </h2>
        <ExerciseMark shown={shown} />
        <p className="wall-joint-message__when" data-testid="wall-joint-message-when">
          <MessageWhen shown={shown} now={now} />
        </p>
      </div>
      <p className="wall-joint-message__headline" data-testid="wall-joint-message-headline">
        {withdrawn ? <del>{text.headline}</del> : text.headline}
      </p>
      {/* Withdrawn: the headline says which message; the rest is no longer to be said. */}
      {!withdrawn && text.whatToDo !== '' && (
        <p className="wall-joint-message__todo" data-testid="wall-joint-message-todo">
          <span className="wall-joint-message__label">{t('wall.message.whatToDo')}</span> {text.whatToDo}
        </p>
      )}
      {!withdrawn && (
        <p className="wall-joint-message__core" data-testid="wall-joint-message-core">
          {text.core}
        </p>
      )}
    </section>
  );
}

/**
 * While the conference runs: the version and the headline beside the incident's facts, cut
 * at the edge if they must be, like the directive's line. The whole message comes back
 * when the conference closes.
 */
function MessageLine({ shown, now }: { shown: ShownMessage; now: number }) {
  const { t, i18n } = useTranslation();
  const text = messageTextFor(shown.version, i18n.language);
  const withdrawn = shown.kind === 'withdrawn';
  return (
    <p
      className="wall-joint-message-line"
      data-testid="wall-joint-message"
      data-kind={shown.kind}
      data-version={shown.version.version}
    >
      {shown.version.content.exercise && (
        <>
          <ExerciseMark shown={shown} />{' '}
        </>
      )}
      <span className="wall-joint-message-line__label">
        {withdrawn
          ? t('wall.message.withdrawnShort', { time: formatWhen(shown.withdrawnAt, now, i18n.language) })
          : t('wall.message.short', { version: shown.version.version })}
      </span>{' '}
      <span className="wall-joint-message-line__headline" data-testid="wall-joint-message-headline">
        {withdrawn ? <del>{text.headline}</del> : text.headline}
      </span>
    </p>
  );
}
