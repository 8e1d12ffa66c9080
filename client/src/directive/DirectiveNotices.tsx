import type { SessionInfo } from '@lagesbild/shared';
import { useTranslation } from 'react-i18next';
import { useView } from '../stores/view';
import { personLabel } from './directive-labels';
import { useDirectiveSignals } from './use-directive-signals';
import './notices.css';

/**
 * A notice across the top for each directive decided since the page caught up, for the
 * actors the incident summons: which version, of what, decided by whom, with a way to read
 * it. The sound and the system notification come with it (`useDirectiveSignals`).
 */
export function DirectiveNotices({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const { notices, dismiss } = useDirectiveSignals(session);
  if (notices.length === 0) return null;
  return (
    <div className="banners" role="status" data-testid="directive-notices">
      {notices.map((notice) => (
        <section
          key={notice.id}
          className="banner banner--directive"
          data-testid="directive-notice"
          aria-label={`${t('directive.alert.title')}: ${notice.incident.title}`}
        >
          <p className="banner__text">
            <strong className="banner__label">{t('directive.alert.title')}</strong>{' '}
            <span className="banner__title">{notice.incident.title}</span>{' '}
            <span className="banner__detail">
              {t('directive.alert.detail', {
                version: notice.version,
                by: personLabel(session.region, notice.decidedBy),
              })}
            </span>
          </p>
          <div className="banner__actions">
            <button
              type="button"
              className="button button--on-dark"
              onClick={() => {
                useView.getState().openIncident(notice.incident.id, 'directive');
                dismiss(notice.id);
              }}
            >
              {t('directive.alert.open')}
            </button>
            <button type="button" className="button button--on-dark" onClick={() => dismiss(notice.id)}>
              {t('alert.dismiss')}
            </button>
          </div>
        </section>
      ))}
    </div>
  );
}
