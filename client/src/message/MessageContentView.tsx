import { MESSAGE_LANGUAGES, type MessageContent, type RegionConfig } from '@lagesbild/shared';
import { useTranslation } from 'react-i18next';
import { Time } from '../components/Time';
import { actorLabel } from '../domain/actors';
import './current.css';

/** "ÖVNING", in words and in a colour of its own, wherever an exercise message shows. */
export function ExerciseMark() {
  const { t } = useTranslation();
  return (
    <strong className="message-exercise" data-testid="message-exercise">
      {t('message.exercise')}
    </strong>
  );
}

/**
 * What a version says, in full: each written language's headline, core message and what to
 * do, where to find more, the area, the validity, whether it is an exercise and whether it
 * cites the directive in force.
 */
export function MessageContentView({
  content,
  region,
  testId,
}: {
  content: MessageContent;
  region: RegionConfig;
  testId?: string;
}) {
  const { t } = useTranslation();
  const municipalities = region.actors.filter(
    (a) => a.municipalityCode && content.area.municipalityCodes.includes(a.municipalityCode),
  );
  const polygonCorners = (content.area.polygon?.coordinates[0]?.length ?? 1) - 1;
  return (
    <div className="message-content" data-testid={testId}>
      {content.exercise && <ExerciseMark />}
      {MESSAGE_LANGUAGES.map((language) => {
        const text = content.texts[language];
        if (!text) return null;
        return (
          <section
            key={language}
            className="message-content__language"
            lang={language === 'en' ? 'en' : 'sv'}
            aria-label={t(`message.language.${language}`)}
            data-language={language}
          >
            <p className="message-content__language-name">{t(`message.language.${language}`)}</p>
            <p className="message-content__headline">{text.headline}</p>
            <p className="prewrap message-content__core">{text.core}</p>
            {text.whatToDo && <p className="prewrap message-content__what">{text.whatToDo}</p>}
          </section>
        );
      })}
      <dl className="message-content__facts">
        <div>
          <dt>{t('message.field.moreInfo')}</dt>
          <dd>
            <ul className="message-content__links">
              {content.moreInfo.channels.map((channel, i) => (
                <li key={i}>
                  {actorLabel(region, channel.actorId)}:{' '}
                  <a href={channel.url} rel="noopener noreferrer" target="_blank">
                    {channel.url}
                  </a>
                </li>
              ))}
              {content.moreInfo.phone11313 && <li>{t('message.field.phone11313')}</li>}
              {content.moreInfo.krisinformation && <li>{t('message.field.krisinformation')}</li>}
            </ul>
          </dd>
        </div>
        <div>
          <dt>{t('message.field.area')}</dt>
          <dd>
            {content.area.description && <span>{content.area.description}. </span>}
            {municipalities.length > 0 && <span>{municipalities.map((a) => a.name).join(', ')}. </span>}
            {polygonCorners >= 3 && <span>{t('message.areaPoints', { count: polygonCorners })}. </span>}
            {!content.area.description &&
              municipalities.length === 0 &&
              polygonCorners < 3 &&
              t('message.noArea')}
          </dd>
        </div>
        <div>
          <dt>{t('message.validity')}</dt>
          <dd>
            <Time iso={content.validFrom} /> – <Time iso={content.validUntil} />
          </dd>
        </div>
        {content.directiveId && (
          <div>
            <dt>{t('message.field.directive')}</dt>
            <dd>{t('message.yes')}</dd>
          </div>
        )}
      </dl>
    </div>
  );
}
