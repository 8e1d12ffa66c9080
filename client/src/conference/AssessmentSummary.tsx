import { latestAssessment } from '@lagesbild/shared';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Time } from '../components/Time';
import { usePicture } from '../stores/picture';
import './summary.css';

/** The parts of the assessment after the situation, shown on request. */
const MORE_PARTS = ['expectedDevelopment', 'consequences', 'uncertainties'] as const;

/**
 * The latest common assessment (samlad bedömning) of an incident's conferences, or with
 * `null` of the ordinary-mode ones, at the top of the common picture: the situation in
 * full, the rest behind one click. Nothing until a conference has made one.
 */
export function AssessmentSummary({
  incidentId,
  headingLevel = 3,
}: {
  incidentId: string | null;
  headingLevel?: 2 | 3;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const conferences = usePicture((s) => s.state.conferences);
  const latest = useMemo(() => latestAssessment({ conferences }, incidentId), [conferences, incidentId]);
  if (!latest) return null;
  const { assessment, conference } = latest;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';

  return (
    <section className="assessment-summary" aria-labelledby={headingId} data-testid="assessment-summary">
      <Heading id={headingId} className="assessment-summary__title">
        {t('assessmentSummary.title')}
      </Heading>
      <p className="assessment-summary__meta">
        {t('assessmentSummary.meta', { version: assessment.version, conference: conference.title })},{' '}
        <Time iso={assessment.at} />
      </p>
      <p className="prewrap assessment-summary__situation">{assessment.situation}</p>
      {MORE_PARTS.some((part) => assessment[part].trim() !== '') && (
        <details className="assessment-summary__more">
          <summary>{t('assessmentSummary.more')}</summary>
          <dl>
            {MORE_PARTS.map((part) => (
              <div key={part}>
                <dt>{t(`conference.assessment.${part}`)}</dt>
                <dd className="prewrap">{assessment[part].trim() || '–'}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </section>
  );
}
