import { DIRECTIVE_FIELDS, directiveDiff, type DirectiveVersion, type RegionConfig } from '@lagesbild/shared';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldValue } from './FieldValue';

/**
 * An earlier version beside the one in force, field by field: every field in both, the
 * ones that differ marked "changed" in words and in weight.
 */
export function VersionDiff({
  region,
  shown,
  current,
  currentLabel,
  onClose,
}: {
  region: RegionConfig;
  shown: DirectiveVersion;
  current: DirectiveVersion;
  /** "in force", or "latest" when the latest has expired. */
  currentLabel: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const changed = useMemo(
    () => new Set(directiveDiff(shown.content, current.content).map((c) => c.field)),
    [shown, current],
  );
  return (
    <section className="directive-diff" aria-labelledby={headingId} data-testid="version-diff">
      <h4 id={headingId}>{t('directive.diff.title', { shown: shown.version, current: current.version })}</h4>
      <p className="summary-line" data-testid="version-diff-summary">
        {changed.size === 0
          ? t('directive.diff.same')
          : t('directive.diff.summary', {
              count: changed.size,
              fields: DIRECTIVE_FIELDS.filter((f) => changed.has(f))
                .map((f) => t(`directive.field.${f}`))
                .join(', '),
            })}
      </p>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={headingId}>
        <table className="table directive-diff__table">
          <thead>
            <tr>
              <th scope="col">{t('directive.diff.field')}</th>
              <th scope="col">{t('directive.versionLabel', { version: shown.version })}</th>
              <th scope="col">
                {t('directive.versionLabel', { version: current.version })} ({currentLabel})
              </th>
            </tr>
          </thead>
          <tbody>
            {DIRECTIVE_FIELDS.map((field) => (
              <tr
                key={field}
                data-field={field}
                data-changed={changed.has(field)}
                className={changed.has(field) ? 'directive-diff__row--changed' : undefined}
              >
                <th scope="row">
                  {t(`directive.field.${field}`)}
                  {changed.has(field) && (
                    <strong className="directive-diff__mark"> – {t('directive.diff.changed')}</strong>
                  )}
                </th>
                <td>
                  <FieldValue content={shown.content} field={field} region={region} />
                </td>
                <td>
                  <FieldValue content={current.content} field={field} region={region} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" className="button button--small" onClick={onClose}>
        {t('directive.diff.close')}
      </button>
    </section>
  );
}
