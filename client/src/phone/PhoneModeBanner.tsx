import { activeIncidents } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../domain/format';
import { readinessWords } from '../domain/readiness-words';
import { readinessDecisionText } from '../readiness/readiness-decision';
import { usePicture } from '../stores/picture';

/**
 * The region's mode at the top of the phone: ORDINARIE LÄGE or AKTIVERAT LÄGE (and SKÄRPT or
 * HÖGSTA BEREDSKAP with where it applies, while in force), with the incidents in activated mode and their next
 * coordination conference, so that after acknowledging the person sees what is going on.
 */
export function PhoneModeBanner() {
  const { t, i18n } = useTranslation();
  const state = usePicture((s) => s.state);
  const active = useMemo(() => activeIncidents(state), [state]);
  const activated = active.length > 0;
  const readiness = readinessWords(state.readiness, t);
  const decision = readinessDecisionText(state.readiness, t, i18n.language);

  return (
    <div className="phone-mode" role="status" aria-label={t('mode.label')} data-testid="phone-mode">
      <p className={`mode mode--${activated ? 'activated' : 'ordinary'}`} data-testid="mode">
        <span className="mode__name">{activated ? t('mode.activated') : t('mode.ordinary')}</span>
      </p>
      {readiness && (
        <p className="mode mode--readiness" data-testid="readiness">
          <span className="mode__name">{readiness.level}</span>
          {readiness.scope && <span className="phone-mode__scope">{readiness.scope}</span>}
          {decision && <span className="phone-mode__scope">{decision}</span>}
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
