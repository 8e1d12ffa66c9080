import type { DirectiveTemplate, Incident } from '@lagesbild/shared';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

type TemplateChooserProps = {
  incident: Incident;
  /** The templates offered, those for the incident's kind first (`directiveTemplatesFor`). */
  templates: readonly DirectiveTemplate[];
  /** The chosen template, or null for a blank directive. */
  onChoose: (template: DirectiveTemplate | null) => void;
  onCancel: () => void;
};

const BLANK = '';

/**
 * Where a new directive begins: a prepared directive (those made for the incident's kind
 * first, the first of them chosen), or a blank one.
 */
export function TemplateChooser({ incident, templates, onChoose, onCancel }: TemplateChooserProps) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  // Grouped under two headings, so the person sees which were made for this kind of event.
  const suited = templates.filter((x) => x.incidentKinds.includes(incident.kind));
  const others = templates.filter((x) => !x.incidentKinds.includes(incident.kind));
  const [chosen, setChosen] = useState<string>(suited[0]?.id ?? BLANK);
  const language = i18n.language === 'en' ? 'en' : 'sv';
  const option = (template: DirectiveTemplate) => (
    <li key={template.id}>
      <label>
        <input
          type="radio"
          name={headingId}
          value={template.id}
          checked={chosen === template.id}
          onChange={() => setChosen(template.id)}
        />{' '}
        {template.name[language]}{' '}
        <span className="hint">
          (
          {template.incidentKinds.length === 0
            ? t('directive.template.anyKind')
            : template.incidentKinds.map((kind) => t(`incidentKind.${kind}`)).join(', ')}
          ; {t('directive.template.review', { count: template.reviewIntervalHours })})
        </span>
      </label>
    </li>
  );

  return (
    <section className="directive-chooser" aria-labelledby={headingId} data-testid="template-chooser">
      <h4 id={headingId}>{t('directive.template.title')}</h4>
      <fieldset>
        <legend className="visually-hidden">{t('directive.template.title')}</legend>
        {suited.length > 0 && (
          <>
            <p className="directive-chooser__group">
              {t('directive.template.suited', { kind: t(`incidentKind.${incident.kind}`) })}
            </p>
            <ul className="directive-chooser__list">{suited.map(option)}</ul>
          </>
        )}
        {others.length > 0 && (
          <>
            <p className="directive-chooser__group">
              {suited.length > 0 ? t('directive.template.others') : t('directive.template.all')}
            </p>
            <ul className="directive-chooser__list">{others.map(option)}</ul>
          </>
        )}
        <ul className="directive-chooser__list">
          <li>
            <label>
              <input
                type="radio"
                name={headingId}
                value={BLANK}
                checked={chosen === BLANK}
                onChange={() => setChosen(BLANK)}
              />{' '}
              {t('directive.template.blank')}
            </label>
          </li>
        </ul>
      </fieldset>
      <div className="form__actions">
        <button
          type="button"
          className="button button--primary"
          onClick={() => onChoose(templates.find((x) => x.id === chosen) ?? null)}
        >
          {t('directive.template.start')}
        </button>
        <button type="button" className="button button--plain" onClick={onCancel}>
          {t('app.cancel')}
        </button>
      </div>
    </section>
  );
}
