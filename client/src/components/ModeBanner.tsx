import { activeIncidents, isActivatedMode } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { usePicture } from '../stores/picture';
import { useView } from '../stores/view';

/**
 * The region's mode in words nobody can misread from across a room: ORDINARIE LÄGE or
 * AKTIVERAT LÄGE, and HÖJD BEREDSKAP beside it while heightened readiness is in force.
 * Colour repeats the words, it never replaces them.
 */
export function ModeBanner() {
  const { t } = useTranslation();
  const activated = usePicture((s) => isActivatedMode(s.state));
  const state = usePicture((s) => s.state);
  const active = useMemo(() => activeIncidents(state), [state]);
  const activeCount = active.length;
  const heightened = usePicture((s) => s.state.readiness.heightened);

  return (
    <div className="mode-banner" role="status" aria-label={t('mode.label')}>
      <p className={`mode mode--${activated ? 'activated' : 'ordinary'}`} data-testid="mode">
        <span className="mode__name">{activated ? t('mode.activated') : t('mode.ordinary')}</span>
        {activated && <span className="mode__detail">{t('mode.activeCount', { count: activeCount })}</span>}
        {activated && (
          <span className="mode__incidents">
            {active.map((incident) => (
              <button
                key={incident.id}
                type="button"
                className="mode__incident"
                onClick={() => useView.getState().openIncident(incident.id, 'picture')}
              >
                {incident.title}
              </button>
            ))}
          </span>
        )}
      </p>
      {heightened && (
        <p className="mode mode--readiness" data-testid="readiness">
          <span className="mode__name">{t('mode.heightenedReadiness')}</span>
        </p>
      )}
    </div>
  );
}
