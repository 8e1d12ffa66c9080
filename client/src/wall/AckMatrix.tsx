import type { Incident, RegionConfig } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ackMatrix } from './wall-view';

type AckMatrixProps = {
  incident: Incident;
  region: RegionConfig;
  /**
   * Only the actors still to acknowledge: once conferences have given the incident an
   * assessment or decisions, those need the room, and the count still says how many have.
   */
  onlyPending?: boolean;
  /**
   * One line: the count, then the actors still to acknowledge by name, cut at the edge. A
   * directive in force needs the height, and the count still says how many are missing.
   */
  compact?: boolean;
};

/**
 * Every summoned actor as a cell, in a fixed order so a cell never moves: a tick and a
 * filled cell once acknowledged, an open cell until then. The count says it in words.
 */
export function AckMatrix({ incident, region, onlyPending = false, compact = false }: AckMatrixProps) {
  const { t } = useTranslation();
  const cells = useMemo(() => ackMatrix(incident, region), [incident, region]);
  const acked = cells.filter((c) => c.acknowledgedAt !== null).length;
  const pending = cells.filter((c) => c.acknowledgedAt === null);
  const shown = onlyPending ? pending : cells;
  return (
    <section
      className={`wall-acks${compact ? ' wall-acks--compact' : ''}`}
      aria-labelledby="wall-acks-heading"
    >
      <h2 id="wall-acks-heading" className="wall-heading">
        {t('wall.acks')}{' '}
        <span className="wall-acks__count" data-testid="wall-ack-count">
          {t('wall.acksOfSummoned', { acked, summoned: cells.length })}
        </span>
      </h2>
      {compact ? (
        pending.length > 0 && (
          <p className="wall-acks__pending" data-testid="wall-acks-pending">
            {t('wall.acksPending', { names: pending.map((c) => c.name).join(', ') })}
          </p>
        )
      ) : (
        <ul className="wall-acks__grid">
          {shown.map((cell) => {
            const done = cell.acknowledgedAt !== null;
            return (
              <li key={cell.actorId} className={`wall-ack wall-ack--${done ? 'done' : 'pending'}`}>
                <span className="wall-ack__mark" aria-hidden="true">
                  {done ? '✓' : '…'}
                </span>
                <span className="wall-ack__name">{cell.name}</span>
                <span className="visually-hidden">{done ? t('wall.acked') : t('wall.notAcked')}</span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
