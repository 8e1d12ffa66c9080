import {
  directiveOfIncident,
  directiveTemplatesFor,
  directiveDiff,
  draftTemplateContent,
  inForce,
  upcomingVersion,
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
import { registerTranslations } from '../i18n/register';
import { directiveEn } from './i18n-en';
import { directiveSv } from './i18n-sv';
import { incidentViewsEn } from '../features/i18n-en';
import { incidentViewsSv } from '../features/i18n-sv';

// This view's texts load with it; the first page carries none of them.
registerTranslations(directiveSv, directiveEn);
registerTranslations(incidentViewsSv, incidentViewsEn);

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
  const incidents = usePicture((s) => s.state.incidents);
  const nowMs = useNow(30_000);
  const now = new Date(nowMs).toISOString();
  // One directive per incident, the same one the incident's head, the wall and the phone show.
  const directive = useMemo(
    () => directiveOfIncident({ directives }, incident.id),
    [directives, incident.id],
  );
  const templates = useMemo(
    () => directiveTemplatesFor(session.region, { directiveTemplates: savedTemplates }, incident.kind),
    [session.region, savedTemplates, incident.kind],
  );
  const [mode, setMode] = useState<Mode>({ kind: 'view' });
  const current = directive ? inForce(directive, now) : undefined;
  const upcoming = directive ? upcomingVersion(directive, now) : undefined;
  const latest = directive?.versions.at(-1);
  const draft = directive?.draft ?? null;
  const mayDraft = incident.status === 'active' && can(session, 'directive.draft');
  // What the draft's template suggested, filled again as the hub filled it when the draft was first saved.
  const templateContent = useMemo(
    () =>
      directive
        ? draftTemplateContent(directive, session.region, { directiveTemplates: savedTemplates, incidents })
        : null,
    [directive, session.region, savedTemplates, incidents],
  );
  const draftChanges = useMemo(
    () => (draft && templateContent ? changedFromTemplate(draft.content, templateContent) : undefined),
    [draft, templateContent],
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
      ? startFromTemplate(template, session.region, incident, directiveId, Date.now())
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
      {upcoming && (
        <section
          className="directive-upcoming"
          aria-labelledby={`${headingId}-upcoming`}
          data-testid="directive-upcoming"
        >
          <h4 id={`${headingId}-upcoming`}>{t('directive.upcomingTitle', { version: upcoming.version })}</h4>
          <p className="directive-meta">
            {t('directive.upcomingStarts')} <Time iso={upcoming.content.validFrom} />
            {' · '}
            {t('directive.decidedByAt', { names: decidersLabel(session.region, upcoming.deciders) })}{' '}
            <Time iso={upcoming.decidedAt} />
          </p>
          <DirectiveContentView content={upcoming.content} region={session.region} />
        </section>
      )}
      {!current && !upcoming && latest && (
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
        <DecideControls session={session} incident={incident} directive={directive} now={now} />
      )}

      {mayDraft && mode.kind === 'view' && (
        <div className="form__inline">
          <button
            type="button"
            className="button button--secondary"
            onClick={() =>
              setMode(
                directive
                  ? { kind: 'edit', start: startFromDirective(directive, templateContent) }
                  : { kind: 'choose' },
              )
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
          draftNow={draft}
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
