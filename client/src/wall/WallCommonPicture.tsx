import { latestAssessment, type RegionConfig } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNow } from '../hooks/use-now';
import { formatWhen } from './wall-format';
import { wallDecisions } from './wall-conference';
import { useWallFrame } from './wall-frame';

const PARTS = ['situation', 'expectedDevelopment', 'consequences', 'uncertainties'] as const;

type WallCommonPictureProps = {
  /** null: the ordinary-mode conferences of the whole region. */
  incidentId: string | null;
  region: RegionConfig;
  /** Draw nothing while there is neither an assessment nor an open decision (a calm ordinary mode). */
  hideWhenEmpty?: boolean;
  /**
   * False while a directive in force has the room: the decisions still show, the assessment
   * it was based on stays on the dashboard and the phone.
   */
  showAssessment?: boolean;
};

/**
 * Between conferences: the latest common assessment and the decisions still open, of an
 * incident or of ordinary mode. Both come from the log, so the wall says what every
 * dashboard says.
 */
export function WallCommonPicture({
  incidentId,
  region,
  hideWhenEmpty = false,
  showAssessment = true,
}: WallCommonPictureProps) {
  const { t, i18n } = useTranslation();
  const now = useNow(60_000);
  const conferences = useWallFrame((s) => s.state.conferences);
  const actionItems = useWallFrame((s) => s.state.actionItems);
  const latest = useMemo(() => latestAssessment({ conferences }, incidentId), [conferences, incidentId]);
  const decisions = useMemo(() => wallDecisions({ actionItems }, incidentId), [actionItems, incidentId]);
  const actorName = (id: string) => region.actors.find((a) => a.id === id)?.shortName ?? id;
  if (hideWhenEmpty && !latest && decisions.shown.length === 0) return null;

  return (
    <div
      className={`wall-common wall-common--${incidentId === null ? 'ordinary' : 'incident'}`}
      data-testid="wall-common-picture"
    >
      {showAssessment && (
        <section
          className="wall-assessment"
          aria-labelledby="wall-assessment-heading"
          data-testid="wall-assessment"
        >
          <h2 id="wall-assessment-heading" className="wall-heading">
            {t('wall.assessment.heading')}
            {latest && (
              <span className="wall-assessment__from">
                {t('wall.assessment.from', {
                  title: latest.conference.title,
                  time: formatWhen(latest.assessment.at, now, i18n.language),
                })}
              </span>
            )}
          </h2>
          {latest ? (
            <dl className="wall-assessment__parts">
              {PARTS.filter((part) => latest.assessment[part].trim() !== '').map((part) => (
                <div key={part} className="wall-assessment__part">
                  <dt>{t(`conference.assessment.${part}`)}</dt>
                  <dd>{latest.assessment[part]}</dd>
                </div>
              ))}
            </dl>
          ) : (
            <p className="wall-muted">{t('wall.assessment.none')}</p>
          )}
        </section>
      )}
      <section className="wall-decisions" aria-labelledby="wall-decisions-heading">
        <h2 id="wall-decisions-heading" className="wall-heading">
          {t('wall.decisions.heading')}
        </h2>
        {decisions.shown.length === 0 ? (
          <p className="wall-muted">{t('wall.decisions.none')}</p>
        ) : (
          <ul className="wall-decisions__list" data-testid="wall-decisions">
            {decisions.shown.map((item) => (
              <li key={item.id} className="wall-decision" data-testid={`wall-decision-${item.id}`}>
                {/* Owner and due first: the text may be cut at the edge, they may not. */}
                <span className="wall-decision__kind">{t(`conference.items.kind.${item.kind}`)}</span>{' '}
                <span className="wall-decision__owner">
                  {t('wall.decisions.owner', { actor: actorName(item.ownerActorId) })}
                  {item.dueAt && (
                    <>
                      {', '}
                      <time dateTime={item.dueAt}>
                        {t('wall.decisions.due', { time: formatWhen(item.dueAt, now, i18n.language) })}
                      </time>
                    </>
                  )}
                  :
                </span>{' '}
                <span className="wall-decision__text">{item.text}</span>
              </li>
            ))}
            {decisions.more > 0 && (
              <li className="wall-decision wall-decision--more">
                {t('wall.decisions.more', { count: decisions.more })}
              </li>
            )}
          </ul>
        )}
      </section>
    </div>
  );
}
