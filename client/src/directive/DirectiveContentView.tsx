import type { DirectiveContent, DirectiveField, RegionConfig } from '@lagesbild/shared';
import { useTranslation } from 'react-i18next';
import { Time } from '../components/Time';
import { actorLabel } from '../domain/actors';
import { TemplateMark } from './TemplateMark';

type DirectiveContentViewProps = {
  content: DirectiveContent;
  region: RegionConfig;
  /**
   * For a draft started from a template: the fields changed from it. Every field is then
   * marked, "from the template" or "changed", in words (not by colour alone).
   */
  changedFromTemplate?: ReadonlySet<DirectiveField>;
  testId?: string;
};

/** What a directive says, field by field: a decided version or a draft, read-only. */
export function DirectiveContentView({
  content,
  region,
  changedFromTemplate,
  testId,
}: DirectiveContentViewProps) {
  const { t } = useTranslation();
  const mark = (field: DirectiveField) =>
    changedFromTemplate && <TemplateMark changed={changedFromTemplate.has(field)} />;
  return (
    <dl className="directive-content" data-testid={testId}>
      <div data-field="purpose">
        <dt>
          {t('directive.field.purpose')} {mark('purpose')}
        </dt>
        <dd className="prewrap">{content.purpose}</dd>
      </div>
      <div data-field="priorities">
        <dt>
          {t('directive.field.priorities')} {mark('priorities')}
        </dt>
        <dd>
          {content.priorities.length === 0 ? (
            t('directive.nonePlain')
          ) : (
            <ol className="directive-priorities">
              {content.priorities.map((priority, i) => (
                <li key={i}>{priority}</li>
              ))}
            </ol>
          )}
        </dd>
      </div>
      <div data-field="items">
        <dt>
          {t('directive.field.items')} {mark('items')}
        </dt>
        <dd>
          {content.items.length === 0 ? (
            t('directive.nonePlain')
          ) : (
            <ul className="directive-items">
              {content.items.map((item) => (
                <li key={item.id}>
                  {item.text}{' '}
                  <span className="directive-items__owner">– {actorLabel(region, item.ownerActorId)}</span>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </div>
      <div data-field="area">
        <dt>
          {t('directive.field.area')} {mark('area')}
        </dt>
        <dd>
          {content.area
            ? t('directive.areaPoints', {
                count: Math.max(0, (content.area.coordinates[0]?.length ?? 1) - 1),
              })
            : t('directive.noArea')}
        </dd>
      </div>
      <div data-field="limits">
        <dt>
          {t('directive.field.limits')} {mark('limits')}
        </dt>
        <dd className="prewrap">{content.limits.trim() || t('directive.nonePlain')}</dd>
      </div>
      <div data-field="validity">
        <dt>
          {t('directive.validity')}{' '}
          {changedFromTemplate && (
            <TemplateMark
              changed={changedFromTemplate.has('validFrom') || changedFromTemplate.has('validUntil')}
            />
          )}
        </dt>
        <dd>
          <Time iso={content.validFrom} /> – <Time iso={content.validUntil} />
        </dd>
      </div>
      <div data-field="reviewAt">
        <dt>
          {t('directive.field.reviewAt')} {mark('reviewAt')}
        </dt>
        <dd>{content.reviewAt ? <Time iso={content.reviewAt} /> : t('directive.noReview')}</dd>
      </div>
      {content.underReadiness && (
        <div data-field="underReadiness">
          <dt>{t('directive.field.underReadiness')}</dt>
          <dd>
            <strong className="directive-readiness">{t('directive.underReadinessYes')}</strong>
          </dd>
        </div>
      )}
    </dl>
  );
}
