import {
  directiveInForceOf,
  directiveOfIncident,
  upcomingVersion,
  type Incident,
  type SessionInfo,
} from '@lagesbild/shared';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Time } from '../components/Time';
import { useNow } from '../hooks/use-now';
import { usePicture } from '../stores/picture';
import { useView } from '../stores/view';
import { decidersLabel } from './directive-labels';
import './in-force.css';

/**
 * The directive in force, at the top of the incident for everybody who opens it: purpose,
 * priorities, validity, review time, who decided it, and whether it was made under
 * heightened readiness, and a version decided to begin later. The whole directive is one
 * click away, on its tab. Nothing while none is in force.
 */
export function DirectiveInForce({ session, incident }: { session: SessionInfo; incident: Incident }) {
  const { t } = useTranslation();
  const headingId = useId();
  const directives = usePicture((s) => s.state.directives);
  const nowMs = useNow(30_000);
  // The same selector as the tab, the wall and the phone: one directive per incident.
  const { current, upcoming } = useMemo(() => {
    const now = new Date(nowMs).toISOString();
    const directive = directiveOfIncident({ directives }, incident.id);
    return {
      current: directiveInForceOf({ directives }, incident.id, now)?.version,
      upcoming: directive && upcomingVersion(directive, now),
    };
  }, [directives, incident.id, nowMs]);
  if (!current) return null;
  const { content } = current;

  return (
    <section className="directive-in-force" aria-labelledby={headingId} data-testid="directive-in-force">
      <h3 id={headingId} className="directive-in-force__title">
        {t('directive.inForceTitle', { version: current.version })}
        {content.underReadiness && (
          <>
            {' '}
            <span className="directive-in-force__readiness">{t('directive.underReadinessYes')}</span>
          </>
        )}
      </h3>
      <p className="prewrap directive-in-force__purpose">{content.purpose}</p>
      {content.priorities.length > 0 && (
        <ol className="directive-in-force__priorities" aria-label={t('directive.field.priorities')}>
          {content.priorities.map((priority, i) => (
            <li key={i}>{priority}</li>
          ))}
        </ol>
      )}
      <p className="directive-in-force__meta">
        {t('directive.validity')}: <Time iso={content.validFrom} /> – <Time iso={content.validUntil} />
        {' · '}
        {t('directive.field.reviewAt')}:{' '}
        {content.reviewAt ? <Time iso={content.reviewAt} /> : t('directive.noReview')}
        {' · '}
        {t('directive.decidedBy', { names: decidersLabel(session.region, current.deciders) })}
      </p>
      {upcoming && (
        <p className="directive-in-force__meta" data-testid="directive-upcoming-note">
          {t('directive.upcomingTitle', { version: upcoming.version })}: {t('directive.upcomingStarts')}{' '}
          <Time iso={upcoming.content.validFrom} />
        </p>
      )}
      <button
        type="button"
        className="button button--small"
        onClick={() => useView.getState().setTab('directive')}
      >
        {t('directive.showAll')}
      </button>
    </section>
  );
}
