import type { ActorStatus } from '@lagesbild/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { MAP_STATUSES, STATUS_FILLS, type MapStatus } from './map-status-colours';

/**
 * What each colour of the municipalities means, with how many stand at each status. The
 * swatches are the map's own fills, so the legend cannot drift from the map.
 */
export function MunicipalStatusLegend({
  counts,
  heading,
  appearance = 'light',
  className = 'status-legend',
}: {
  counts: Record<MapStatus, number>;
  heading: string;
  appearance?: 'light' | 'dark';
  className?: string;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const word = (status: MapStatus) =>
    status === 'none' ? t('actorStatus.none') : t(`actorStatus.${status satisfies ActorStatus}`);
  return (
    <div className={className} role="group" aria-labelledby={headingId} data-testid="municipal-legend">
      <p id={headingId} className={`${className}__heading`}>
        {heading}
      </p>
      <ul className={`${className}__list`}>
        {MAP_STATUSES.map((status) => (
          <li key={status} data-status={status} data-count={counts[status]}>
            <span
              className={`${className}__swatch`}
              style={{ background: STATUS_FILLS[appearance][status] }}
              aria-hidden="true"
            />
            {word(status)}: {counts[status]}
          </li>
        ))}
      </ul>
    </div>
  );
}
