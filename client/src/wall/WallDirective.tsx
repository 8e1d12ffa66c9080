import { directiveInForceOf } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNow } from '../hooks/use-now';
import { formatWhen } from './wall-format';
import { wallPriorities, type DirectiveInForce } from './wall-directive';
import { useWallFrame } from './wall-frame';

/**
 * The directive in force of an incident as the wall last drew it, and the clock it was
 * judged by: expiry is checked against the clock, so a directive leaves the wall when it
 * runs out.
 */
export function useWallDirective(incidentId: string): { shown: DirectiveInForce | undefined; now: number } {
  const now = useNow(30_000);
  const directives = useWallFrame((s) => s.state.directives);
  const shown = useMemo(
    () => directiveInForceOf({ directives }, incidentId, new Date(now).toISOString()),
    [directives, incidentId, now],
  );
  return { shown, now };
}

type WallDirectiveProps = {
  shown: DirectiveInForce;
  now: number;
  /** One line beside the incident's facts, while a conference has the screen. */
  compact?: boolean;
};

/**
 * The directive in force of the shown incident: its purpose and priorities in large type,
 * with when it was decided and how long it is valid.
 */
export function WallDirective({ shown, now, compact = false }: WallDirectiveProps) {
  return compact ? <DirectiveLine shown={shown} /> : <DirectivePanel shown={shown} now={now} />;
}

/** "v2 · beslutad 13:05 · gäller till 18:00": which version, and for how long. */
function DirectiveWhen({ shown, now }: { shown: DirectiveInForce; now: number }) {
  const { t, i18n } = useTranslation();
  const { version } = shown;
  const when = (at: string) => formatWhen(at, now, i18n.language);
  return (
    <>
      <time dateTime={version.decidedAt}>
        {t('wall.directive.decided', { version: version.version, time: when(version.decidedAt) })}
      </time>
      {' · '}
      <time dateTime={version.content.validUntil}>
        {t('wall.directive.validUntil', { time: when(version.content.validUntil) })}
      </time>
    </>
  );
}

function DirectivePanel({ shown, now }: { shown: DirectiveInForce; now: number }) {
  const { t } = useTranslation();
  const { content } = shown.version;
  const priorities = wallPriorities(content.priorities);
  return (
    <section
      className="wall-directive"
      aria-labelledby="wall-directive-heading"
      data-testid="wall-directive"
      data-version={shown.version.version}
    >
      <div className="wall-directive__head">
        <h2 id="wall-directive-heading" className="wall-heading">
          {t('wall.directive.heading')}
        </h2>
        <p className="wall-directive__when" data-testid="wall-directive-when">
          <DirectiveWhen shown={shown} now={now} />
          {content.underReadiness && (
            <>
              {' · '}
              <strong className="wall-directive__readiness">{t('wall.directive.underReadiness')}</strong>
            </>
          )}
        </p>
      </div>
      <p className="wall-directive__purpose" data-testid="wall-directive-purpose">
        {content.purpose}
      </p>
      {priorities.shown.length > 0 && (
        <ol className="wall-directive__priorities" aria-label={t('wall.directive.priorities')}>
          {priorities.shown.map((priority, index) => (
            <li key={index} className="wall-directive__priority">
              <span className="wall-directive__number" aria-hidden="true">
                {index + 1}
              </span>
              <span className="wall-directive__text">{priority}</span>
            </li>
          ))}
          {priorities.more > 0 && (
            <li className="wall-directive__priority wall-directive__priority--more">
              {t('wall.directive.more', { count: priorities.more })}
            </li>
          )}
        </ol>
      )}
    </section>
  );
}

/**
 * While the conference has the screen: the version and the purpose beside the incident's
 * facts, cut at the edge if they must be. The conference is what the room follows then;
 * the panel with priorities and validity comes back when it closes.
 */
function DirectiveLine({ shown }: { shown: DirectiveInForce }) {
  const { t } = useTranslation();
  return (
    <p className="wall-directive-line" data-testid="wall-directive" data-version={shown.version.version}>
      <span className="wall-directive-line__label">
        {t('wall.directive.short', { version: shown.version.version })}
      </span>{' '}
      <span className="wall-directive-line__purpose" data-testid="wall-directive-purpose">
        {shown.version.content.purpose}
      </span>
    </p>
  );
}
