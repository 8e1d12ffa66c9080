import { useTranslation } from 'react-i18next';
import { useLogNotices } from '../stores/log-notices';

/**
 * Says, across the top, what a user must know about the log behind the picture: that this
 * hub lost it (what it shows must not be trusted; it is about to hand over to another), or
 * that the picture was reset to another log's rather than merged with the one shown before.
 */
export function LogNotices() {
  const { t } = useTranslation();
  const lost = useLogNotices((s) => s.lost);
  const reset = useLogNotices((s) => s.reset);
  if (lost === null && !reset) return null;
  return (
    <div className="banners">
      {lost !== null && (
        <div className="banner banner--log-lost" role="alert" data-testid="log-lost">
          <p className="banner__text">
            <strong className="banner__title">{t('logNotice.lost', { reason: lost })}</strong>{' '}
            {t('logNotice.lostDetail')}
          </p>
        </div>
      )}
      {reset && (
        <div className="banner banner--info" role="status" data-testid="picture-reset">
          <p className="banner__text">
            <strong className="banner__title">{t('logNotice.resetTitle')}</strong>{' '}
            {t('logNotice.resetDetail')}
          </p>
          <div className="banner__actions">
            <button
              type="button"
              className="button button--secondary"
              onClick={() => useLogNotices.getState().dismissReset()}
            >
              {t('logNotice.dismiss')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
