import type { SessionInfo } from '@lagesbild/shared';
import { useTranslation } from 'react-i18next';
import { personLabel } from '../directive/directive-labels';
import { useView } from '../stores/view';
import { noticeTitleKey, useMessageSignals } from './use-message-signals';
import '../directive/notices.css';

/**
 * A notice across the top for each new version of a joint message and each agreement since
 * the page caught up, for the communicators and duty officers of the summoned actors: which
 * version, of what, by whom, with a way to open it. Sound and system notification come with
 * it (`useMessageSignals`). Its texts are the first page's (`messageAlert`).
 */
export function MessageNotices({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const { notices, dismiss } = useMessageSignals(session);
  if (notices.length === 0) return null;
  return (
    <div className="banners" role="status" data-testid="message-notices">
      {notices.map((notice) => {
        const title = t(noticeTitleKey(notice));
        return (
          <section
            key={notice.id}
            className="banner banner--directive"
            data-testid="message-notice"
            data-kind={notice.kind}
            aria-label={`${title}: ${notice.incident.title}`}
          >
            <p className="banner__text">
              {notice.exercise && <strong className="banner__label">{t('messageAlert.exercise')}</strong>}{' '}
              <strong className="banner__label">{title}</strong>{' '}
              <span className="banner__title">{notice.incident.title}</span>{' '}
              <span className="banner__detail">
                {t(notice.kind === 'agreed' ? 'messageAlert.agreedDetail' : 'messageAlert.newDetail', {
                  version: notice.version,
                  by: personLabel(session.region, notice.by),
                  headline: notice.headline,
                })}
              </span>
            </p>
            <div className="banner__actions">
              <button
                type="button"
                className="button button--on-dark"
                onClick={() => {
                  useView.getState().openIncident(notice.incident.id, 'message');
                  dismiss(notice.id);
                }}
              >
                {t('messageAlert.open')}
              </button>
              <button type="button" className="button button--on-dark" onClick={() => dismiss(notice.id)}>
                {t('alert.dismiss')}
              </button>
            </div>
          </section>
        );
      })}
    </div>
  );
}
