import {
  adminDirectiveTemplates,
  type AdminDirectiveTemplate,
  type DirectiveTemplate,
  type SessionInfo,
} from '@lagesbild/shared';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Time } from '../components/Time';
import { submit } from '../features/submit';
import { usePicture } from '../stores/picture';
import { TemplateEditor } from './TemplateEditor';
import { emptyTemplateForm, formFromTemplate } from './template-form';
import './templates-admin.css';
import { registerTranslations } from '../i18n/register';
import { templatesAdminEn } from './i18n-en';
import { templatesAdminSv } from './i18n-sv';

// This view's texts load with it; the first page carries none of them.
registerTranslations(templatesAdminSv, templatesAdminEn);

/** What the page shows: the list, or one template's form. */
type Editing =
  { kind: 'list' } | { kind: 'new' } | { kind: 'edit'; template: DirectiveTemplate; seq: number | null };

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
          baseSeq={isNew ? null : editing.seq}
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
            onEdit={() => setEditing({ kind: 'edit', template: entry.template, seq: entry.seq })}
            onRemove={() =>
              void submit(session, 'directiveTemplate.remove', { templateId: entry.template.id })
            }
            onRestore={() =>
              void submit(session, 'directiveTemplate.restore', { templateId: entry.template.id })
            }
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

/**
 * One template: its name, where it comes from, what it holds, and what can be done with it.
 * Removing asks once more; restoring drops the app's change or removal of a region file's
 * template, so the file's text (and its later edits) is offered again.
 */
function TemplateRow({ entry, language, onEdit, onRemove, onRestore }: TemplateRowProps) {
  const { t } = useTranslation();
  const [confirmingRemove, setConfirmingRemove] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirmingRemove) confirmRef.current?.focus();
  }, [confirmingRemove]);
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
        {confirmingRemove ? (
          <div role="group" aria-label={t('templatesAdmin.remove', { name })} data-testid="remove-confirm">
            <p>{t('templatesAdmin.removeConfirm', { name })}</p>
            <button
              ref={confirmRef}
              type="button"
              className="button button--danger"
              onClick={() => {
                setConfirmingRemove(false);
                onRemove();
              }}
            >
              {t('templatesAdmin.removeYes')}
            </button>
            <button type="button" className="button button--plain" onClick={() => setConfirmingRemove(false)}>
              {t('app.cancel')}
            </button>
          </div>
        ) : (
          <>
            {origin !== 'removed' && (
              <button type="button" className="button button--secondary" onClick={onEdit}>
                {t('templatesAdmin.edit', { name })}
              </button>
            )}
            {(origin === 'changed' || origin === 'removed') && (
              <button type="button" className="button button--secondary" onClick={onRestore}>
                {t('templatesAdmin.restore', { name })}
              </button>
            )}
            {origin !== 'removed' && (
              <button
                type="button"
                className="button button--plain"
                onClick={() => setConfirmingRemove(true)}
              >
                {t('templatesAdmin.remove', { name })}
              </button>
            )}
          </>
        )}
      </div>
    </li>
  );
}
