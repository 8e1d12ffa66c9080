import { activeIncidents } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../domain/format';
import { usePicture } from '../stores/picture';

/**
 * The region's mode at the top of the phone: ORDINARIE LÄGE or AKTIVERAT LÄGE (and HÖJD
 * BEREDSKAP while in force), with the incidents in activated mode and their next
 * coordination conference, so that after acknowledging the person sees what is going on.
 */
export function PhoneModeBanner() {
  const { t, i18n } = useTranslation();
  const state = usePicture((s) => s.state);
  const active = useMemo(() => activeIncidents(state), [state]);
  const activated = active.length > 0;
  const heightened = state.readiness.heightened;

  return (
    <div className="phone-mode" role="status" aria-label={t('mode.label')} data-testid="phone-mode">
      <p className={`mode mode--${activated ? 'activated' : 'ordinary'}`} data-testid="mode">
        <span className="mode__name">{activated ? t('mode.activated') : t('mode.ordinary')}</span>
      </p>
      {heightened && (
        <p className="mode mode--readiness" data-testid="readiness">
          <span className="mode__name">{t('mode.heightenedReadiness')}</span>
        </p>
      )}
      {activated && (
        <ul className="phone-mode__incidents">
          {active.map((incident) => (
            <li key={incident.id} data-testid="phone-mode-incident" data-incident-id={incident.id}>
              <strong>
                {t('phone.modeIncident', {
                  title: incident.title,
                  kind: t(`incidentKind.${incident.kind}`),
                })}
              </strong>
              {incident.nextConferenceAt && (
                <span className="phone-mode__conference">
                  {t('phone.alertNextConference', {
                    time: formatTime(incident.nextConferenceAt, i18n.language),
                  })}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
