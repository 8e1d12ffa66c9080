import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useLogNotices } from '../stores/log-notices';

/**
 * How long a wall display shows that the picture was reset. A wall is read-only and nobody
 * stands at it to click the notice away; left up for good, it would soon be read as "the
 * picture is still being reset". Ten minutes is long enough for the people in the room to
 * notice it and look again at what the wall shows.
 */
export const WALL_RESET_NOTICE_MS = 10 * 60_000;

/**
 * Says, across the top, what a user must know about the log behind the picture: that this
 * hub lost it (what it shows must not be trusted; it is about to hand over to another), or
 * that the picture was reset to another log's rather than merged with the one shown before.
 * `unattended` (a wall display): nobody can click, so the reset notice has no button and
 * clears itself after `WALL_RESET_NOTICE_MS`.
 */
export function LogNotices({ unattended = false }: { unattended?: boolean }) {
  const { t } = useTranslation();
  const lost = useLogNotices((s) => s.lost);
  const reset = useLogNotices((s) => s.reset);
  const resets = useLogNotices((s) => s.resets);

  useEffect(() => {
    if (!unattended || !reset) return;
    const timer = setTimeout(() => useLogNotices.getState().dismissReset(), WALL_RESET_NOTICE_MS);
    return () => clearTimeout(timer);
  }, [unattended, reset, resets]);

  if (lost === null && !reset) return null;
  return (
    <div className="banners">
      {lost !== null && (
        <div className="banner banner--log-lost" role="alert" data-testid="log-lost">
          <p className="banner__text">
            <strong className="banner__title">{t('logNotice.lost')}</strong> {t('logNotice.lostDetail')}
          </p>
        </div>
      )}
      {reset && (
        <div className="banner banner--info" role="status" data-testid="picture-reset">
          <p className="banner__text">
            <strong className="banner__title">{t('logNotice.resetTitle')}</strong>{' '}
            {t('logNotice.resetDetail')}
          </p>
          {!unattended && (
            <div className="banner__actions">
              <button
                type="button"
                className="button button--secondary"
                onClick={() => useLogNotices.getState().dismissReset()}
              >
                {t('logNotice.dismiss')}
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
