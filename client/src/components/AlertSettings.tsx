import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  notificationPermission,
  playActivationSound,
  requestNotificationPermission,
} from '../domain/alert-signals';
import { setSoundEnabled } from '../preferences';
import { usePreferences } from '../stores/preferences';

/** How an activation may reach this user: sound on or off, system notifications. */
export function AlertSettings() {
  const { t } = useTranslation();
  const sound = usePreferences((s) => s.soundEnabled);
  const [permission, setPermission] = useState(notificationPermission);

  return (
    <details className="settings">
      <summary>{t('settings.title')}</summary>
      <div className="settings__body">
        <label className="choice">
          <input
            type="checkbox"
            checked={sound}
            onChange={(e) => {
              setSoundEnabled(e.target.checked);
              // Also unlocks audio: browsers allow sound only after a click.
              if (e.target.checked) playActivationSound();
            }}
          />{' '}
          {t('settings.sound')}
        </label>
        {permission === 'default' ? (
          <button
            type="button"
            className="button button--small"
            onClick={() => void requestNotificationPermission().then(setPermission)}
          >
            {t('settings.enableNotifications')}
          </button>
        ) : (
          <p className="settings__note">{t(`settings.notifications.${permission}`)}</p>
        )}
      </div>
    </details>
  );
}
