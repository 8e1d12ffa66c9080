import type { DirectiveContent, DirectiveField, RegionConfig } from '@lagesbild/shared';
import { useTranslation } from 'react-i18next';
import { Time } from '../components/Time';
import { actorLabel } from '../domain/actors';

/** One field of a directive's content, as the version diff shows it side by side. */
export function FieldValue({
  content,
  field,
  region,
}: {
  content: DirectiveContent;
  field: DirectiveField;
  region: RegionConfig;
}) {
  const { t } = useTranslation();
  switch (field) {
    case 'purpose':
      return <span className="prewrap">{content.purpose}</span>;
    case 'limits':
      return <span className="prewrap">{content.limits.trim() || t('directive.nonePlain')}</span>;
    case 'priorities':
      return content.priorities.length === 0 ? (
        <>{t('directive.nonePlain')}</>
      ) : (
        <ol className="directive-priorities">
          {content.priorities.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ol>
      );
    case 'items':
      return content.items.length === 0 ? (
        <>{t('directive.nonePlain')}</>
      ) : (
        <ul className="directive-items">
          {content.items.map((item) => (
            <li key={item.id}>
              {item.text} – {actorLabel(region, item.ownerActorId)}
            </li>
          ))}
        </ul>
      );
    case 'area':
      return (
        <>
          {content.area
            ? t('directive.areaPoints', {
                count: Math.max(0, (content.area.coordinates[0]?.length ?? 1) - 1),
              })
            : t('directive.noArea')}
        </>
      );
    case 'validFrom':
      return <Time iso={content.validFrom} />;
    case 'validUntil':
      return <Time iso={content.validUntil} />;
    case 'reviewAt':
      return content.reviewAt ? <Time iso={content.reviewAt} /> : <>{t('directive.noReview')}</>;
    case 'underReadiness':
      return <>{t(content.underReadiness ? 'directive.yes' : 'directive.no')}</>;
  }
}
