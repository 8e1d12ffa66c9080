import {
  adminDirectiveTemplates,
  type AdminDirectiveTemplate,
  type DirectiveTemplate,
  type SessionInfo,
} from '@lagesbild/shared';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Time } from '../components/Time';
import { submit } from '../features/submit';
import { usePicture } from '../stores/picture';
import { TemplateEditor } from './TemplateEditor';
import { emptyTemplateForm, formFromTemplate } from './template-form';
import './templates-admin.css';

/** What the page shows: the list, or one template's form. */
type Editing = { kind: 'list' } | { kind: 'new' } | { kind: 'edit'; template: DirectiveTemplate };

/**
 * Förberedda inriktningar: the prepared directives of the region file and of the app, with
 * where each comes from, for an administrator to add, change, remove or restore. Read from
 * the picture, so another administrator's change shows at once.
 */
export function TemplatesAdmin({ session }: { session: SessionInfo }) {
  const { t, i18n } = useTranslation();
  const saved = usePicture((s) => s.state.directiveTemplates);
  const list = useMemo(
    () => adminDirectiveTemplates(session.region, { directiveTemplates: saved }),
    [session.region, saved],
  );
  const [editing, setEditing] = useState<Editing>({ kind: 'list' });
  const language = i18n.language === 'en' ? 'en' : 'sv';

  if (editing.kind !== 'list') {
    const isNew = editing.kind === 'new';
    const takenIds = new Set(list.map((entry) => entry.template.id));
    return (
      <section aria-labelledby="template-editor-heading">
        <h3 id="template-editor-heading">
          {isNew
            ? t('templatesAdmin.newTitle')
            : t('templatesAdmin.editTitle', { name: editing.template.name[language] })}
        </h3>
        <TemplateEditor
          session={session}
          initial={isNew ? emptyTemplateForm() : formFromTemplate(editing.template)}
          isNew={isNew}
          takenIds={takenIds}
          onDone={() => setEditing({ kind: 'list' })}
        />
      </section>
    );
  }

  return (
    <section className="templates-admin" aria-labelledby="templates-admin-heading">
      <h3 id="templates-admin-heading" className="visually-hidden">
        {t('templatesAdmin.title')}
      </h3>
      <p className="hint">{t('templatesAdmin.intro')}</p>
      <button type="button" className="button button--primary" onClick={() => setEditing({ kind: 'new' })}>
        {t('templatesAdmin.add')}
      </button>
      <ul className="templates-admin__list">
        {list.map((entry) => (
          <TemplateRow
            key={entry.template.id}
            entry={entry}
            language={language}
            onEdit={() => setEditing({ kind: 'edit', template: entry.template })}
            onRemove={() =>
              void submit(session, 'directiveTemplate.remove', { templateId: entry.template.id })
            }
            onRestore={() => void submit(session, 'directiveTemplate.save', { template: entry.template })}
          />
        ))}
      </ul>
    </section>
  );
}

type TemplateRowProps = {
  entry: AdminDirectiveTemplate;
  language: 'sv' | 'en';
  onEdit: () => void;
  onRemove: () => void;
  onRestore: () => void;
};

/** One template: its name, where it comes from, what it holds, and what can be done with it. */
function TemplateRow({ entry, language, onEdit, onRemove, onRestore }: TemplateRowProps) {
  const { t } = useTranslation();
  const { template, origin } = entry;
  const name = template.name[language];
  return (
    <li
      className={`templates-admin__row templates-admin__row--${origin}`}
      data-testid="template-row"
      data-template-id={template.id}
    >
      <p className="templates-admin__name">
        <strong>{name}</strong>{' '}
        <span className="templates-admin__origin" data-testid="template-origin">
          {t(`templatesAdmin.origin.${origin}`)}
        </span>
      </p>
      <p className="templates-admin__facts">
        {t('templatesAdmin.facts', {
          priorities: template.priorities.length,
          items: template.items.length,
          review: template.reviewIntervalHours,
          validity: template.validityHours,
        })}
        {entry.savedAt && entry.savedBy && (
          <>
            {' · '}
            {t('templatesAdmin.savedBy', { name: entry.savedBy })} <Time iso={entry.savedAt} />
          </>
        )}
      </p>
      <div className="templates-admin__actions">
        {origin === 'removed' ? (
          <button type="button" className="button button--secondary" onClick={onRestore}>
            {t('templatesAdmin.restore', { name })}
          </button>
        ) : (
          <>
            <button type="button" className="button button--secondary" onClick={onEdit}>
              {t('templatesAdmin.edit', { name })}
            </button>
            <button type="button" className="button button--plain" onClick={onRemove}>
              {t('templatesAdmin.remove', { name })}
            </button>
          </>
        )}
      </div>
    </li>
  );
}
