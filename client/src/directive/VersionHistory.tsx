import {
  DIRECTIVE_FIELDS,
  type Directive,
  type DirectiveVersion,
  type RegionConfig,
} from '@lagesbild/shared';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Time } from '../components/Time';
import { decidersLabel, personLabel } from './directive-labels';
import { VersionDiff } from './VersionDiff';

/**
 * Every decided version, newest first: who drafted it, who decided it and when, and what
 * it changed. Any earlier one can be shown beside the one in force (or the latest, once
 * that has expired).
 */
export function VersionHistory({
  region,
  directive,
  inForce,
}: {
  region: RegionConfig;
  directive: Directive;
  inForce: DirectiveVersion | undefined;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const [shownVersion, setShownVersion] = useState<number | null>(null);
  const current = inForce ?? directive.versions.at(-1);
  const shown = directive.versions.find((v) => v.version === shownVersion);
  if (!current) return null;
  const currentLabel = inForce ? t('directive.inForceShort') : t('directive.latestShort');
  const newestFirst = [...directive.versions].reverse();

  return (
    <section className="directive-versions" aria-labelledby={headingId} data-testid="directive-versions">
      <h4 id={headingId}>{t('directive.versions.title')}</h4>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={headingId}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('directive.versions.version')}</th>
              <th scope="col">{t('directive.versions.draftedBy')}</th>
              <th scope="col">{t('directive.versions.decidedBy')}</th>
              <th scope="col">{t('directive.versions.decidedAt')}</th>
              <th scope="col">{t('directive.versions.changed')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('directive.versions.compare')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {newestFirst.map((version) => (
              <tr key={version.version} data-version={version.version}>
                <th scope="row">
                  {t('directive.versionLabel', { version: version.version })}
                  {version.version === current.version && ` (${currentLabel})`}
                </th>
                <td>{personLabel(region, version.draftedBy)}</td>
                <td>{decidersLabel(region, version.deciders)}</td>
                <td>
                  <Time iso={version.decidedAt} />
                </td>
                <td>
                  {version.version === 1
                    ? t('directive.versions.first')
                    : version.changedFields.length === 0
                      ? t('directive.versions.none')
                      : DIRECTIVE_FIELDS.filter((f) => version.changedFields.includes(f))
                          .map((f) => t(`directive.field.${f}`))
                          .join(', ')}
                </td>
                <td>
                  {version.version !== current.version && (
                    <button
                      type="button"
                      className="button button--small"
                      aria-pressed={shownVersion === version.version}
                      onClick={() =>
                        setShownVersion(shownVersion === version.version ? null : version.version)
                      }
                    >
                      {t('directive.versions.showBeside', {
                        version: version.version,
                        current: current.version,
                      })}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown && (
        <VersionDiff
          region={region}
          shown={shown}
          current={current}
          currentLabel={currentLabel}
          onClose={() => setShownVersion(null)}
        />
      )}
    </section>
  );
}
