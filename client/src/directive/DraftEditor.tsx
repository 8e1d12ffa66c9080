import {
  LIMITS,
  type DirectiveContent,
  type DirectiveDraft,
  type DirectiveField,
  type Incident,
  type SessionInfo,
} from '@lagesbild/shared';
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../components/CommandStatus';
import { TextField } from '../components/TextField';
import { submit } from '../features/submit';
import { discardItem } from '../outbox';
import { isPending } from '../outbox/outbox-item';
import { useOutbox } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import { AreaField } from './AreaField';
import { personLabel } from './directive-labels';
import { contentFromForm, lenientContent, type DirectiveForm, type FormProblems } from './directive-form';
import { ItemsEditor } from './ItemsEditor';
import { PriorityEditor } from './PriorityEditor';
import { changedFromTemplate, shiftedToNow } from './template-changes';
import { TemplateMark } from './TemplateMark';

/** Where a draft begins: a filled template, the version in force, the saved draft, or nothing. */
export type DraftStart = {
  directiveId: string;
  form: DirectiveForm;
  /** The content the form was made from; its untouched times are kept to the millisecond. */
  base: DirectiveContent | null;
  templateId: string | null;
  /** What the template filled in, to mark each field "from the template" or "changed". */
  templateContent: DirectiveContent | null;
  /**
   * Begun from the template just now, not saved yet: the hub fills the template when the
   * draft is first saved, so that save moves the template's times to the saving moment.
   * A saved draft keeps its times on every later save.
   */
  firstFill: boolean;
  /** How many versions were decided when drafting began: the hub refuses the draft if more are now. */
  baseVersion: number;
  /** The seq of the saved draft drafting began from (null for none): the hub refuses the save if another is saved since. */
  baseDraftSeq: number | null;
};

type DraftEditorProps = {
  session: SessionInfo;
  incident: Incident;
  start: DraftStart;
  /** How many versions are decided now: more than `start.baseVersion` means one was decided meanwhile. */
  versionsNow: number;
  /** The draft saved now, if any: another than `start.baseDraftSeq` was saved by someone meanwhile. */
  draftNow: Pick<DirectiveDraft, 'seq' | 'by'> | null;
  onClose: () => void;
};

/** A `datetime-local` input with its label and error. */
function DateTimeField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | null;
  hint?: string;
}) {
  const id = useId();
  const { label, value, onChange, error, hint } = props;
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div className="form__field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <input
        id={id}
        type="datetime-local"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * Writing the draft of a directive: purpose, priorities in order, who does what, the area,
 * limits, validity, review time and whether it is made under heightened readiness. A draft
 * begun from a template says for every field whether it is the template's or changed.
 * Saving sends `directive.draft` on the version drafting began from.
 */
export function DraftEditor({ session, incident, start, versionsNow, draftNow, onClose }: DraftEditorProps) {
  const { t } = useTranslation();
  const [form, setForm] = useState<DirectiveForm>(start.form);
  const [problems, setProblems] = useState<FormProblems>({});
  const [itemId, setItemId] = useState<string | null>(null);
  const item = useOutbox((s) => (itemId === null ? undefined : s.items[itemId]));
  const readinessInForce = usePicture((s) => s.state.readiness.level !== 'none');
  const update = (change: Partial<DirectiveForm>) => setForm((f) => ({ ...f, ...change }));
  const problem = (key: Exclude<keyof FormProblems, 'priorities' | 'itemText' | 'itemOwner'>) => {
    const p = problems[key];
    return p ? t(`directive.problem.${p}`) : null;
  };

  const { templateContent } = start;
  const changed = useMemo(
    () => (templateContent ? changedFromTemplate(lenientContent(form, start.base), templateContent) : null),
    [form, start.base, templateContent],
  );
  const mark = (...fields: DirectiveField[]) =>
    changed && <TemplateMark changed={fields.some((f) => changed.has(f))} />;
  // Text fields say it in their hint, read with the field.
  const markText = (field: DirectiveField) =>
    changed ? t(changed.has(field) ? 'directive.changedFromTemplate' : 'directive.fromTemplate') : undefined;
  const timesFromTemplate =
    changed !== null && !changed.has('validFrom') && !changed.has('validUntil') && !changed.has('reviewAt');

  const pending = item !== undefined && isPending(item);
  const sent = item?.status === 'sent';
  useEffect(() => {
    if (sent) onClose();
  }, [sent, onClose]);

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const result = contentFromForm(form, start.base, session.region);
    if (!result.ok) {
      setProblems(result.problems);
      return;
    }
    setProblems({});
    const content =
      templateContent && start.firstFill
        ? shiftedToNow(result.content, templateContent, Date.now())
        : result.content;
    // A refused earlier attempt is replaced by this one rather than left in the outbox.
    if (item?.status === 'failed') await discardItem(item.id);
    const sentId = await submit(session, 'directive.draft', {
      directiveId: start.directiveId,
      incidentId: incident.id,
      content,
      templateId: start.templateId,
      baseVersion: start.baseVersion,
      baseDraftSeq: start.baseDraftSeq,
    });
    setItemId(sentId);
  };

  return (
    <form
      className="form directive-editor"
      onSubmit={(e) => void handleSubmit(e)}
      noValidate
      aria-labelledby="directive-editor-heading"
      data-testid="directive-editor"
    >
      <h4 id="directive-editor-heading">
        {start.baseVersion === 0
          ? t('directive.editor.titleFirst')
          : t('directive.editor.titleNext', { version: start.baseVersion + 1 })}
      </h4>
      {templateContent && <p className="hint">{t('directive.editor.templateHint')}</p>}
      {versionsNow > start.baseVersion && (
        <p className="form__error" role="alert" data-testid="directive-decided-meanwhile">
          {t('directive.editor.decidedMeanwhile', { version: versionsNow })}
        </p>
      )}
      {/* Someone else saved the draft meanwhile (not this person's own save on its way). */}
      {draftNow &&
        draftNow.seq !== start.baseDraftSeq &&
        versionsNow === start.baseVersion &&
        (item === undefined || item.status === 'failed') && (
          <p className="form__error" role="alert" data-testid="directive-draft-changed">
            {t('directive.editor.draftChangedBy', { name: personLabel(session.region, draftNow.by) })}
          </p>
        )}
      <TextField
        label={t('directive.field.purpose')}
        value={form.purpose}
        onChange={(purpose) => update({ purpose })}
        maxLength={LIMITS.maxTextLength}
        multiline
        required
        hint={markText('purpose')}
        error={problem('purpose')}
      />
      <PriorityEditor
        priorities={form.priorities}
        onChange={(priorities) => update({ priorities })}
        problems={problems.priorities}
        listProblem={problems.prioritiesList}
        mark={mark('priorities')}
      />
      <ItemsEditor
        items={form.items}
        region={session.region}
        onChange={(items) => update({ items })}
        textProblems={problems.itemText}
        ownerProblems={problems.itemOwner}
        listProblem={problems.itemsList}
        mark={mark('items')}
      />
      <AreaField
        session={session}
        area={form.area}
        onChange={(area) => update({ area })}
        problem={problems.area}
        mark={mark('area')}
      />
      <TextField
        label={t('directive.field.limits')}
        value={form.limits}
        onChange={(limits) => update({ limits })}
        maxLength={LIMITS.maxTextLength}
        multiline
        hint={markText('limits')}
        error={problem('limits')}
      />
      <fieldset className="directive-editor__times">
        <legend>
          {t('directive.validity')} {mark('validFrom', 'validUntil', 'reviewAt')}
        </legend>
        {timesFromTemplate && <p className="hint">{t('directive.editor.timesFromTemplate')}</p>}
        <DateTimeField
          label={t('directive.field.validFrom')}
          value={form.validFrom}
          onChange={(validFrom) => update({ validFrom })}
          error={problem('validFrom')}
        />
        <DateTimeField
          label={t('directive.field.validUntil')}
          value={form.validUntil}
          onChange={(validUntil) => update({ validUntil })}
          error={problem('validUntil')}
        />
        <DateTimeField
          label={t('directive.field.reviewAt')}
          hint={t('directive.editor.reviewHint')}
          value={form.reviewAt}
          onChange={(reviewAt) => update({ reviewAt })}
          error={problem('reviewAt')}
        />
      </fieldset>
      {readinessInForce ? (
        <div className="form__field form__field--check">
          <label>
            <input
              type="checkbox"
              checked={form.underReadiness}
              onChange={(e) => update({ underReadiness: e.target.checked })}
            />{' '}
            {t('directive.field.underReadiness')}
          </label>
        </div>
      ) : (
        form.underReadiness && (
          <p className="form__error" role="alert">
            {t('directive.editor.readinessLifted')}{' '}
            <button
              type="button"
              className="button button--small"
              onClick={() => update({ underReadiness: false })}
            >
              {t('directive.editor.unmarkReadiness')}
            </button>
          </p>
        )
      )}
      {problem('form') && (
        <p className="form__error" role="alert">
          {problem('form')}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={pending}>
          {t('directive.editor.save')}
        </button>
        <button type="button" className="button button--plain" onClick={onClose}>
          {t('app.cancel')}
        </button>
        <CommandStatus itemId={itemId} />
      </div>
    </form>
  );
}
