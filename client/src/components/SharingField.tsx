import type { RegionConfig } from '@lagesbild/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { SHARING_SCOPES, type SharingScope } from '../domain/report-draft';
import { ActorPicker } from './ActorPicker';

type SharingFieldProps = {
  region: RegionConfig;
  ownActorId: string;
  scope: SharingScope;
  actorIds: readonly string[];
  onChange: (scope: SharingScope, actorIds: string[]) => void;
  error?: string | null;
};

/** Who may read: the whole region, named actors (and the own), or the own actor only. */
export function SharingField({ region, ownActorId, scope, actorIds, onChange, error }: SharingFieldProps) {
  const { t } = useTranslation();
  const name = useId();
  const errorId = useId();
  return (
    <div className="sharing">
      <fieldset className="choice-group">
        <legend>{t('sharing.label')}</legend>
        {SHARING_SCOPES.map((option) => (
          <label key={option} className="choice">
            <input
              type="radio"
              name={name}
              value={option}
              checked={scope === option}
              onChange={() => onChange(option, [...actorIds])}
            />{' '}
            {t(`sharing.${option}`)}
          </label>
        ))}
      </fieldset>
      {scope === 'actors' && (
        <ActorPicker
          legend={t('sharing.actorsLabel')}
          region={region}
          selected={actorIds}
          exclude={[ownActorId]}
          onChange={(ids) => onChange('actors', ids)}
          describedBy={error ? errorId : undefined}
          invalid={Boolean(error)}
        />
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}
