import { useTranslation } from 'react-i18next';
import { StatusChip } from '../components/StatusChip';
import type { MunicipalStatus } from '../domain/map-municipalities';

/**
 * The municipalities with their statuses as buttons: what a click on the map does, for a
 * keyboard or a screen reader (the map itself is a canvas).
 */
export function MunicipalityStatusList({
  municipalities,
  selectedActorId,
  onSelect,
}: {
  municipalities: readonly MunicipalStatus[];
  selectedActorId: string | null;
  onSelect: (actorId: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <details className="disclosure">
      <summary>{t('map.municipalityList', { count: municipalities.length })}</summary>
      <ul className="municipality-list" data-testid="municipality-list">
        {municipalities.map((m) => (
          <li key={m.actorId}>
            <button
              type="button"
              className="municipality-list__button"
              aria-pressed={m.actorId === selectedActorId}
              data-actor-id={m.actorId}
              onClick={() => onSelect(m.actorId)}
            >
              <span className="municipality-list__name">{m.name}</span>
              <StatusChip status={m.status} />
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
