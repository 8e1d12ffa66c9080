import { requestedIncidents, type SessionInfo } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { actorName, functionNames, levelsOf } from '../domain/session-labels';
import { currentLanguage } from '../i18n/i18n';
import { signOut } from '../session-flow';
import { usePicture } from '../stores/picture';
import { useView } from '../stores/view';
import { AlertSettings } from './AlertSettings';
import { ConnectionIndicator } from './ConnectionIndicator';
import { LanguageSwitch } from './LanguageSwitch';
import { LogNotices } from './LogNotices';
import { ModeBanner } from './ModeBanner';
import { OutboxButton } from './OutboxButton';

/** The top of every signed-in page: the mode, the link's health and who is signed in. */
export function AppHeader({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const functions = functionNames(session, currentLanguage());
  const levels = levelsOf(session).map((level) => t(`session.level.${level}`));
  const state = usePicture((s) => s.state);
  const pending = useMemo(() => requestedIncidents(state).length, [state]);

  return (
    <header className="app-header">
      <ModeBanner />
      <LogNotices />
      <div className="app-bar">
        <p className="app-bar__brand">
          {t('app.name')} <span className="app-bar__region">{session.region.shortName}</span>
        </p>
        <ConnectionIndicator />
        <div className="app-bar__requests" aria-live="polite">
          {pending > 0 && (
            <button
              type="button"
              className="button button--secondary request-count"
              data-testid="pending-requests"
              onClick={showPendingRequests}
            >
              {t('requestCard.pending', { count: pending })}
            </button>
          )}
        </div>
        <dl className="app-bar__who" aria-label={t('session.signedInAs')}>
          <div>
            <dt className="visually-hidden">{t('session.signedInAs')}</dt>
            <dd className="app-bar__user">{session.user.name}</dd>
          </div>
          <div>
            <dt className="visually-hidden">{t('session.actor')}</dt>
            <dd>{actorName(session)}</dd>
          </div>
          {functions.length > 0 && (
            <div>
              <dt className="visually-hidden">{t('session.functions')}</dt>
              <dd>{functions.join(', ')}</dd>
            </div>
          )}
          {levels.length > 0 && (
            <div>
              <dt className="visually-hidden">{t('session.levelLabel')}</dt>
              <dd className="app-bar__level" data-testid="session-level">
                {levels.join(', ')}
              </dd>
            </div>
          )}
        </dl>
        <div className="app-bar__actions">
          <OutboxButton session={session} />
          <AlertSettings />
          <LanguageSwitch />
          <button type="button" className="button button--secondary" onClick={() => void signOut()}>
            {t('session.signOut')}
          </button>
        </div>
      </div>
    </header>
  );
}

/** Back to the overview, scrolled to the requests waiting for a decision. */
function showPendingRequests() {
  useView.getState().openIncident(null);
  requestAnimationFrame(() => document.getElementById('requested-heading')?.scrollIntoView());
}
