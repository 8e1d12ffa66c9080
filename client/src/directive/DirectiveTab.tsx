import {
  directivesOf,
  directiveTemplatesFor,
  directiveDiff,
  inForce,
  type DirectiveTemplate,
  type Incident,
  type SessionInfo,
} from '@lagesbild/shared';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Time } from '../components/Time';
import { newId } from '../domain/ids';
import { can } from '../domain/rights';
import { useNow } from '../hooks/use-now';
import { usePicture } from '../stores/picture';
import { DecideControls } from './DecideControls';
import { DirectiveContentView } from './DirectiveContentView';
import { decidersLabel, personLabel } from './directive-labels';
import { startBlank, startFromDirective, startFromTemplate } from './directive-view';
import { DraftEditor, type DraftStart } from './DraftEditor';
import { FollowUpMatrix } from './FollowUpMatrix';
import { changedFromTemplate } from './template-changes';
import { TemplateChooser } from './TemplateChooser';
import { VersionHistory } from './VersionHistory';
import './directive.css';

type Mode = { kind: 'view' } | { kind: 'choose' } | { kind: 'edit'; start: DraftStart };

/**
 * The incident's "Inriktning" tab: the directive in force in full, its draft (with what
 * it changed from its template), drafting for coordinators, deciding for the directing
 * level, the follow-up matrix and every version.
 */
export function DirectiveTab({ session, incident }: { session: SessionInfo; incident: Incident }) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const directives = usePicture((s) => s.state.directives);
  const savedTemplates = usePicture((s) => s.state.directiveTemplates);
  const nowMs = useNow(30_000);
  const now = new Date(nowMs).toISOString();
  // One directive per incident; should there ever be more, the latest begun is the one worked on.
  const directive = useMemo(
    () => directivesOf({ directives }, incident.id).at(-1),
    [directives, incident.id],
  );
  const templates = useMemo(
    () => directiveTemplatesFor(session.region, { directiveTemplates: savedTemplates }, incident.kind),
    [session.region, savedTemplates, incident.kind],
  );
  const [mode, setMode] = useState<Mode>({ kind: 'view' });
  const current = directive ? inForce(directive, now) : undefined;
  const latest = directive?.versions.at(-1);
  const draft = directive?.draft ?? null;
  const mayDraft = incident.status === 'active' && can(session, 'directive.draft');
  const draftChanges = useMemo(
    () => (draft?.templateContent ? changedFromTemplate(draft.content, draft.templateContent) : undefined),
    [draft],
  );
  // What deciding the draft would change in the latest version, for the one who decides.
  const draftFields = useMemo(
    () => (draft && latest ? directiveDiff(latest.content, draft.content).map((c) => c.field) : []),
    [draft, latest],
  );
  const templateName = (id: string | null) => {
    const template = id ? templates.find((x) => x.id === id) : undefined;
    return template ? template.name[i18n.language === 'en' ? 'en' : 'sv'] : id;
  };

  const begin = (template: DirectiveTemplate | null) => {
    const directiveId = newId();
    const start = template
      ? startFromTemplate(template, session.region, directiveId, Date.now())
      : startBlank(directiveId, Date.now());
    setMode({ kind: 'edit', start });
  };
  const close = () => setMode({ kind: 'view' });

  return (
    <section className="section directive-tab" aria-labelledby={headingId} data-testid="directive-tab">
      <h3 id={headingId}>{t('directive.title')}</h3>
      {!directive && mode.kind === 'view' && <p className="empty">{t('directive.none')}</p>}

      {current && (
        <section
          className="directive-current"
          aria-labelledby={`${headingId}-current`}
          data-testid="directive-current"
        >
          <h4 id={`${headingId}-current`}>{t('directive.inForceTitle', { version: current.version })}</h4>
          <p className="directive-meta">
            {t('directive.decidedByAt', { names: decidersLabel(session.region, current.deciders) })}{' '}
            <Time iso={current.decidedAt} />
          </p>
          <DirectiveContentView content={current.content} region={session.region} />
        </section>
      )}
      {!current && latest && (
        <p className="notice" data-testid="directive-expired">
          {t('directive.expired', { version: latest.version })} <Time iso={latest.content.validUntil} />
        </p>
      )}

      {directive && draft && mode.kind === 'view' && (
        <section
          className="directive-draft"
          aria-labelledby={`${headingId}-draft`}
          data-testid="directive-draft"
        >
          <h4 id={`${headingId}-draft`}>{t('directive.draftTitle', { version: draft.baseVersion + 1 })}</h4>
          <p className="directive-meta">
            {t('directive.draftedBy', { name: personLabel(session.region, draft.by) })}{' '}
            <Time iso={draft.at} />
            {draft.templateId && (
              <> · {t('directive.fromTemplateNamed', { name: templateName(draft.templateId) })}</>
            )}
          </p>
          {latest && (
            <p className="directive-meta" data-testid="draft-changes">
              {draftFields.length === 0
                ? t('directive.draftSame', { version: latest.version })
                : t('directive.draftChanges', {
                    version: latest.version,
                    fields: draftFields.map((f) => t(`directive.field.${f}`)).join(', '),
                  })}
            </p>
          )}
          <DirectiveContentView
            content={draft.content}
            region={session.region}
            changedFromTemplate={draftChanges}
            testId="draft-content"
          />
        </section>
      )}
      {directive && mode.kind === 'view' && (
        <DecideControls session={session} directive={directive} inForce={current} />
      )}

      {mayDraft && mode.kind === 'view' && (
        <div className="form__inline">
          <button
            type="button"
            className="button button--secondary"
            onClick={() =>
              setMode(directive ? { kind: 'edit', start: startFromDirective(directive) } : { kind: 'choose' })
            }
          >
            {!directive
              ? t('directive.begin')
              : draft && draft.baseVersion === directive.versions.length
                ? t('directive.editDraft')
                : t('directive.redraft', { version: directive.versions.length + 1 })}
          </button>
        </div>
      )}
      {mode.kind === 'choose' && (
        <TemplateChooser incident={incident} templates={templates} onChoose={begin} onCancel={close} />
      )}
      {mode.kind === 'edit' && (
        <DraftEditor
          session={session}
          incident={incident}
          start={mode.start}
          versionsNow={directive?.versions.length ?? 0}
          onClose={close}
        />
      )}

      {directive && latest && (
        <FollowUpMatrix session={session} directive={directive} now={now} inForce={current !== undefined} />
      )}
      {directive && latest && (
        <VersionHistory region={session.region} directive={directive} inForce={current} />
      )}
    </section>
  );
}
