import { useTranslation } from 'react-i18next';
import { formatAge } from '../domain/format';
import { readinessWords } from '../domain/readiness-words';
import { readinessDecisionText } from '../readiness/readiness-decision';
import { useNow } from '../hooks/use-now';
import { useConnection } from '../stores/connection';
import { useWallFrame } from './wall-frame';
import type { WallDisplay } from './wall-store';

/**
 * Small print at the bottom: which display this is, the link, the last event's age, and
 * where heightened readiness applies (the top bar names its level).
 */
export function WallStatusLine({ display }: { display: WallDisplay }) {
  const { t, i18n } = useTranslation();
  const status = useConnection((s) => s.status);
  const lastEventAt = useConnection((s) => s.lastEventAt);
  const now = useNow(10_000);
  const readinessState = useWallFrame((s) => s.state.readiness);
  const readiness = readinessWords(readinessState, t);
  const decision = readinessDecisionText(readinessState, t, i18n.language);
  return (
    <p className={`wall-status wall-status--${status}`} data-testid="wall-connection" data-status={status}>
      <span>{t('wall.display', { name: display.identity.name })}</span>
      <span>{t(`connection.${status}`)}</span>
      <span>
        {lastEventAt === null
          ? t('connection.noEvents')
          : t('connection.lastEvent', { age: formatAge(now - lastEventAt, i18n.language) })}
      </span>
      {readiness?.scope && (
        <span className="wall-status__readiness" data-testid="wall-readiness-scope">
          {t('wall.readinessScope', { scope: readiness.scope })}
          {decision && ` · ${decision}`}
        </span>
      )}
    </p>
  );
}
