import { useTranslation } from 'react-i18next';

/** Says in words whether a field of a draft is as the template filled it, or changed. */
export function TemplateMark({ changed }: { changed: boolean }) {
  const { t } = useTranslation();
  return (
    <span
      className={changed ? 'template-mark template-mark--changed' : 'template-mark'}
      data-testid="template-mark"
      data-changed={changed}
    >
      {t(changed ? 'directive.changedFromTemplate' : 'directive.fromTemplate')}
    </span>
  );
}
