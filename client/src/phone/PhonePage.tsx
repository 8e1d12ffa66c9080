import type { SessionInfo } from '@lagesbild/shared';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConnectionIndicator } from '../components/ConnectionIndicator';
import { LogNotices } from '../components/LogNotices';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { Tabs } from '../components/Tabs';
import { actorLabel } from '../domain/actors';
import { loadOutbox } from '../outbox';
import { signOut } from '../session-flow';
import { unsentCount, useOutbox } from '../stores/outbox';
import { ActivationAlert } from './ActivationAlert';
import { CheckinPanel } from './CheckinPanel';
import { PhoneModeBanner } from './PhoneModeBanner';
import { PhoneConferenceLine } from './PhoneConferenceLine';
import { PhoneOutbox } from './PhoneOutbox';
import { PhonePicture } from './PhonePicture';
import { QuickReportForm } from './QuickReportForm';
import './phone.css';

type PhoneTab = 'checkin' | 'picture' | 'report' | 'outbox';

/**
 * The field pages on a phone: the region's mode and any conference running, check in and
 * out, the picture in short, a quick report from the scene, and the outbox; an activation
 * for the person's actor covers everything until acknowledged.
 * `live` is false when the page opened offline with the remembered session.
 */
export function PhonePage({ session, live }: { session: SessionInfo; live: boolean }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<PhoneTab>('checkin');
  const unsent = useOutbox((s) => unsentCount(s.items, session.user.id));

  // Offline the outbox is not started (that needs the hub); still show what waits in it.
  useEffect(() => {
    void loadOutbox();
  }, []);

  return (
    <div className="phone" data-testid="phone" data-live={live}>
      <ActivationAlert session={session} />
      <header className="phone-bar">
        <p className="phone-bar__brand">
          {t('app.name')}{' '}
          <span className="phone-bar__actor">{actorLabel(session.region, session.actorId)}</span>
        </p>
        <p className="phone-bar__user">{session.user.name}</p>
        <ConnectionIndicator />
      </header>
      <PhoneModeBanner />
      <PhoneConferenceLine session={session} />
      <LogNotices />
      {!live && (
        <p className="phone-offline" role="status" data-testid="offline-session">
          {t('phone.offlineSession')}
        </p>
      )}
      <main className="phone-main" id="main">
        <Tabs
          label={t('phone.tabs')}
          tabs={[
            { id: 'checkin', label: t('phone.tabCheckin') },
            { id: 'picture', label: t('phone.tabPicture') },
            { id: 'report', label: t('phone.tabReport') },
            {
              id: 'outbox',
              label: unsent > 0 ? `${t('phone.tabOutbox')} (${unsent})` : t('phone.tabOutbox'),
            },
          ]}
          selected={tab}
          onSelect={setTab}
        >
          {tab === 'checkin' && <CheckinPanel session={session} />}
          {tab === 'picture' && <PhonePicture session={session} />}
          {tab === 'report' && <QuickReportForm session={session} />}
          {tab === 'outbox' && <PhoneOutbox session={session} />}
        </Tabs>
      </main>
      <footer className="phone-footer">
        <LanguageSwitch />
        {live && (
          <button type="button" className="button" onClick={() => void signOut()}>
            {t('session.signOut')}
          </button>
        )}
      </footer>
    </div>
  );
}
