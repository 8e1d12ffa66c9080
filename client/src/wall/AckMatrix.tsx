import type { Incident, RegionConfig } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ackMatrix } from './wall-view';

/**
 * Every summoned actor as a cell, in a fixed order so a cell never moves: a tick and a
 * filled cell once acknowledged, an open cell until then. The count says it in words.
 */
export function AckMatrix({ incident, region }: { incident: Incident; region: RegionConfig }) {
  const { t } = useTranslation();
  const cells = useMemo(() => ackMatrix(incident, region), [incident, region]);
  const acked = cells.filter((c) => c.acknowledgedAt !== null).length;
  return (
    <section className="wall-acks" aria-labelledby="wall-acks-heading">
      <h2 id="wall-acks-heading" className="wall-heading">
        {t('wall.acks')}{' '}
        <span className="wall-acks__count" data-testid="wall-ack-count">
          {t('wall.acksOfSummoned', { acked, summoned: cells.length })}
        </span>
      </h2>
      <ul className="wall-acks__grid">
        {cells.map((cell) => {
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
    </section>
  );
}
