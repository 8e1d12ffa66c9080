import { activeIncidents, isActivatedMode } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { readinessWords } from '../domain/readiness-words';
import { readinessDecisionText } from '../readiness/readiness-decision';
import { usePicture } from '../stores/picture';
import { useView } from '../stores/view';

/**
 * The region's mode in words nobody can misread from across a room: ORDINARIE LÄGE or
 * AKTIVERAT LÄGE, and beside it SKÄRPT or HÖGSTA BEREDSKAP while heightened readiness is in
 * force, with where it applies and the government decision. Colour repeats the words, it
 * never replaces them. Only the mode and the level are a live region, announced when they
 * change: the incident buttons and the (long) named parts of the country are not.
 */
export function ModeBanner() {
  const { t, i18n } = useTranslation();
  const activated = usePicture((s) => isActivatedMode(s.state));
  const state = usePicture((s) => s.state);
  const active = useMemo(() => activeIncidents(state), [state]);
  const activeCount = active.length;
  const readiness = usePicture((s) => s.state.readiness);
  const readinessShown = readinessWords(readiness, t);
  const decision = readinessDecisionText(readiness, t, i18n.language);

  return (
    <div className="mode-banner">
      <span className="visually-hidden" role="status" aria-label={t('mode.label')} data-testid="mode-live">
        {activated ? t('mode.activated') : t('mode.ordinary')}
        {readinessShown && `. ${readinessShown.level}`}
      </span>
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
      {readinessShown && (
        <p className="mode mode--readiness" data-testid="readiness">
          <span className="mode__name">{readinessShown.level}</span>
          {readinessShown.scope && (
            <span className="mode__detail" data-testid="readiness-scope">
              {readinessShown.scope}
            </span>
          )}
          {decision && (
            <span className="mode__decision" data-testid="readiness-decision">
              {decision}
            </span>
          )}
        </p>
      )}
    </div>
  );
}
