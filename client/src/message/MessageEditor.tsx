import {
  directiveInForceOf,
  latestMessageVersion,
  LIMITS,
  type Incident,
  type JointMessage,
  type MessageLanguage,
  type SessionInfo,
} from '@lagesbild/shared';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { AreaDrawField } from '../components/AreaDrawField';
import { CommandStatus } from '../components/CommandStatus';
import { TextField } from '../components/TextField';
import { actorLabel, byName } from '../domain/actors';
import { clearDraft, saveDraft } from '../domain/drafts';
import { newId } from '../domain/ids';
import { personLabel } from '../directive/directive-labels';
import { can } from '../domain/rights';
import { submit } from '../features/submit';
import { useNow } from '../hooks/use-now';
import { useOnSent, useSend } from '../hooks/use-send';
import { discardItem } from '../outbox';
import { useOutbox } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import { DateTimeField } from './DateTimeField';
import { dropKeptDraftsWhenSaved, keptDraftOf } from './kept-drafts';
import { MessageContentView } from './MessageContentView';
import {
  blankMessageForm,
  contentFromForm,
  formFromVersion,
  hasExpired,
  type KeptMessageDraft,
  messageDraftKey,
  newLanguage,
  type LanguageForm,
  type MessageForm,
  type MessageProblems,
} from './message-form';
import { actorTakesPart, approverCandidates } from './message-labels';

// A save may be accepted after the editor has closed; its kept draft must go then too.
dropKeptDraftsWhenSaved();

type MessageEditorProps = {
  session: SessionInfo;
  incident: Incident;
  /** The incident's current message; undefined to begin a new one. */
  message: JointMessage | undefined;
  onClose: () => void;
};

/**
 * Where the editor begins: the draft kept on this device if there is one (its text is never
 * thrown away, even when the message moved on meanwhile: the save then shows as stale), else
 * the latest version, else a blank message.
 */
function startOf(
  session: SessionInfo,
  incident: Incident,
  message: JointMessage | undefined,
  knownMessageIds: ReadonlySet<string>,
  directiveId: string | null,
  now: number,
): KeptMessageDraft & { kept: boolean } {
  const kept = keptDraftOf(session.user.id, incident.id, message);
  if (kept) {
    if (message) {
      const sameMessage = kept.messageId === message.id;
      return { ...kept, messageId: message.id, baseVersion: sameMessage ? kept.baseVersion : 0, kept: true };
    }
    // A draft of a message withdrawn since begins a new one.
    const messageId = knownMessageIds.has(kept.messageId) ? newId() : kept.messageId;
    return { ...kept, messageId, baseVersion: 0, kept: true };
  }
  const latest = message && latestMessageVersion(message);
  if (message && latest) {
    return {
      messageId: message.id,
      baseVersion: latest.version,
      form: formFromVersion(latest.content, latest.approverActorIds, now),
      kept: false,
    };
  }
  return {
    messageId: newId(),
    baseVersion: 0,
    form: blankMessageForm(now, session.actorId, directiveId),
    kept: false,
  };
}

const OPTIONAL_LANGUAGES = ['en', 'svEasy'] as const satisfies readonly MessageLanguage[];

/** One language's headline, core message and what to do. */
function LanguageFields({
  language,
  text,
  onChange,
  problem,
  onRemove,
}: {
  language: MessageLanguage;
  text: LanguageForm;
  onChange: (text: LanguageForm) => void;
  problem: (field: string) => string | null;
  onRemove?: () => void;
}) {
  const { t } = useTranslation();
  const name = t(`message.language.${language}`);
  return (
    <fieldset className="message-editor__language" data-language={language}>
      <legend>{name}</legend>
      <TextField
        label={`${t('message.field.headline')} (${name})`}
        value={text.headline}
        onChange={(headline) => onChange({ ...text, headline })}
        maxLength={LIMITS.maxMessageHeadlineLength}
        required
        hint={t('message.headlineHint')}
        error={problem(`${language}.headline`)}
      />
      <TextField
        label={`${t('message.field.core')} (${name})`}
        value={text.core}
        onChange={(core) => onChange({ ...text, core })}
        maxLength={LIMITS.maxMessageTextLength}
        multiline
        required
        hint={t('message.coreHint')}
        error={problem(`${language}.core`)}
      />
      <TextField
        label={`${t('message.field.whatToDo')} (${name})`}
        value={text.whatToDo}
        onChange={(whatToDo) => onChange({ ...text, whatToDo })}
        maxLength={LIMITS.maxMessageTextLength}
        multiline
        error={problem(`${language}.whatToDo`)}
      />
      {onRemove && (
        <button type="button" className="button button--small" onClick={onRemove}>
          {t('message.removeLanguage', { language: name })}
        </button>
      )}
    </fieldset>
  );
}

/**
 * Writing a version of the incident's joint message: the texts per language, where to find
 * more, the area, the validity, exercise or not, the directive it cites and who must approve.
 * Saving sends `jointMessage.draft` on the version the editor was opened on; when somebody
 * saved another version meanwhile the server refuses it as stale, and the editor says so,
 * shows theirs and keeps this person's text. The text is kept on the device as it is typed.
 */
export function MessageEditor({ session, incident, message, onClose }: MessageEditorProps) {
  const { t } = useTranslation();
  const headingId = useId();
  const directives = usePicture((s) => s.state.directives);
  const jointMessages = usePicture((s) => s.state.jointMessages);
  const nowMs = useNow(60_000);
  const inForce = useMemo(
    () => directiveInForceOf({ directives }, incident.id, new Date(nowMs).toISOString()),
    [directives, incident.id, nowMs],
  );
  const draftKey = messageDraftKey(session.user.id, incident.id);
  const [start] = useState(() =>
    startOf(
      session,
      incident,
      message,
      new Set(Object.keys(jointMessages)),
      inForce?.directive.id ?? null,
      Date.now(),
    ),
  );
  const [draft, setDraft] = useState<KeptMessageDraft>(() => ({
    messageId: start.messageId,
    baseVersion: start.baseVersion,
    form: start.form,
  }));
  const [problems, setProblems] = useState<MessageProblems>({});
  const [showNewer, setShowNewer] = useState(false);
  const sending = useSend();
  const item = useOutbox((s) => (sending.itemId === null ? undefined : s.items[sending.itemId]));
  const { form } = draft;

  const keep = (next: KeptMessageDraft) => {
    saveDraft(draftKey, next);
    setDraft(next);
  };
  const update = (change: Partial<MessageForm>) => keep({ ...draft, form: { ...form, ...change } });
  const problem = (field: string): string | null => {
    const p = problems[field];
    return p ? t(`message.problem.${p}`) : null;
  };

  useOnSent(sending.itemId, () => {
    clearDraft(draftKey);
    onClose();
  });

  // A version saved by somebody else since the editor was opened (not this person's own save
  // on its way: that closes the editor once accepted).
  // Somebody else may also have begun the incident's message while this one was a new one.
  const latest = message ? latestMessageVersion(message) : undefined;
  const ownSaveUnderway = item !== undefined && item.status !== 'failed';
  const movedOn =
    latest !== undefined && (message?.id !== draft.messageId || latest.version > draft.baseVersion);
  const newer = movedOn && !ownSaveUnderway ? latest : undefined;
  const refusedStale = item?.status === 'failed' && item.error?.code === 'stale';

  // The version this one follows, when the draft continues the current message.
  const base = useMemo(
    () =>
      message?.id === draft.messageId
        ? message.versions.find((v) => v.version === draft.baseVersion)
        : undefined,
    [message, draft.messageId, draft.baseVersion],
  );
  const baseContent = base?.content ?? null;
  const candidates = useMemo(
    () => approverCandidates(incident, session.region, session.actorId),
    [incident, session.region, session.actorId],
  );
  // The owner of the matter approves every version (the server adds it when left out); only
  // the owner may take out an actor an earlier version named, so for others those stay.
  const ownerActorId = base && message ? message.ownerActorId : session.actorId;
  const userIsOwner = ownerActorId === session.actorId;
  const locked = useMemo(
    () => new Set([ownerActorId, ...(userIsOwner ? [] : (base?.approverActorIds ?? []))]),
    [ownerActorId, userIsOwner, base],
  );
  const takesPart = (actorId: string) => actorTakesPart(incident, session.region, actorId);
  const chosenApprovers = [...new Set([ownerActorId, ...locked, ...form.approverActorIds])];
  // Everybody who is or may be named: an approver since left out of the incident too, so the
  // owner can see it and take it out.
  const listed = [
    ...new Set([ownerActorId, ...candidates, ...(base?.approverActorIds ?? []), ...form.approverActorIds]),
  ];
  const mayApprove = can(session, 'jointMessage.approve');
  // Exercise or not is fixed by the first version: the public must never see one become the other.
  const exercise = baseContent?.exercise ?? form.exercise;
  const baseExpired = baseContent !== null && hasExpired(baseContent, nowMs);
  const municipalities = useMemo(
    () => session.region.actors.filter((a) => a.municipalityCode !== undefined).sort(byName),
    [session.region.actors],
  );

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const sent = { ...form, exercise, approverActorIds: chosenApprovers };
    const result = contentFromForm(sent, baseContent, session.region, {
      now: Date.now(),
      approvers: { ownerActorId, userIsOwner, takesPart },
    });
    if (!result.ok) {
      setProblems(result.problems);
      return;
    }
    setProblems({});
    // Kept as sent, so a save accepted after the editor has closed is known for what it is.
    keep({ ...draft, form: sent });
    const failed = item?.status === 'failed' ? item.id : null;
    void sending.send(async () => {
      // A refused earlier attempt is replaced by this one rather than left in the outbox.
      if (failed) await discardItem(failed);
      return submit(session, 'jointMessage.draft', {
        messageId: draft.messageId,
        incidentId: incident.id,
        content: result.content,
        approverActorIds: result.approverActorIds,
        baseVersion: draft.baseVersion,
      });
    });
  };

  const setLanguage = (language: MessageLanguage, text: LanguageForm | null) =>
    update({ texts: { ...form.texts, [language]: text } });
  const toggle = (list: readonly string[], value: string, on: boolean): string[] =>
    on ? [...list.filter((x) => x !== value), value] : list.filter((x) => x !== value);
  const hasProblems = Object.keys(problems).length > 0;

  return (
    <form
      className="form message-editor"
      onSubmit={handleSubmit}
      noValidate
      aria-labelledby={headingId}
      data-testid="message-editor"
    >
      <h4 id={headingId}>
        {draft.baseVersion === 0
          ? t('message.editor.titleFirst')
          : t('message.editor.titleNext', { version: draft.baseVersion + 1 })}
      </h4>
      {start.kept && <p className="hint">{t('message.editor.kept')}</p>}
      {(newer || refusedStale) && (
        <div className="form__error message-editor__stale" role="alert" data-testid="message-stale">
          <p>
            {newer
              ? t('message.editor.savedMeanwhile', {
                  name: personLabel(session.region, newer.draftedBy),
                  version: newer.version,
                })
              : t('message.editor.refusedStale', { version: draft.baseVersion + 1 })}
          </p>
          {newer && (
            <div className="form__inline">
              <button
                type="button"
                className="button button--small"
                aria-expanded={showNewer}
                onClick={() => setShowNewer(!showNewer)}
              >
                {t(showNewer ? 'message.editor.hideNewer' : 'message.editor.showNewer', {
                  version: newer.version,
                })}
              </button>
              <button
                type="button"
                className="button button--small"
                onClick={() =>
                  keep({ ...draft, messageId: message?.id ?? draft.messageId, baseVersion: newer.version })
                }
              >
                {t('message.editor.keepMine')}
              </button>
              <button
                type="button"
                className="button button--small"
                onClick={() =>
                  keep({
                    messageId: message?.id ?? draft.messageId,
                    baseVersion: newer.version,
                    form: formFromVersion(newer.content, newer.approverActorIds, Date.now()),
                  })
                }
              >
                {t('message.editor.takeNewer', { version: newer.version })}
              </button>
            </div>
          )}
          {newer && showNewer && (
            <MessageContentView content={newer.content} region={session.region} testId="message-newer" />
          )}
        </div>
      )}

      <LanguageFields
        language="sv"
        text={form.texts.sv}
        onChange={(text) => setLanguage('sv', text)}
        problem={problem}
      />
      {OPTIONAL_LANGUAGES.map((language) => {
        const text = form.texts[language];
        return text ? (
          <LanguageFields
            key={language}
            language={language}
            text={text}
            onChange={(next) => setLanguage(language, next)}
            problem={problem}
            onRemove={() => setLanguage(language, null)}
          />
        ) : (
          <div key={language} className="form__inline">
            <button
              type="button"
              className="button button--secondary"
              onClick={() => setLanguage(language, newLanguage())}
            >
              {t('message.addLanguage', { language: t(`message.language.${language}`) })}
            </button>
          </div>
        );
      })}

      <fieldset className="message-editor__more">
        <legend>{t('message.field.moreInfo')}</legend>
        <p className="message-editor__subhead">{t('message.field.channels')}</p>
        {form.channels.length === 0 && <p className="empty">{t('message.noChannels')}</p>}
        {form.channels.map((channel, i) => {
          const number = i + 1;
          const actorError = problem(`channel.${channel.id}.actor`);
          const selectId = `${headingId}-channel-${channel.id}`;
          const change = (next: Partial<typeof channel>) =>
            update({ channels: form.channels.map((c) => (c.id === channel.id ? { ...c, ...next } : c)) });
          return (
            <div key={channel.id} className="message-editor__channel">
              <div className="form__field">
                <label htmlFor={selectId}>{t('message.field.channelActor', { number })}</label>
                <select
                  id={selectId}
                  value={channel.actorId}
                  onChange={(e) => change({ actorId: e.target.value })}
                  aria-invalid={actorError ? true : undefined}
                  aria-describedby={actorError ? `${selectId}-error` : undefined}
                >
                  <option value="">{t('message.chooseActor')}</option>
                  {candidates.map((id) => (
                    <option key={id} value={id}>
                      {actorLabel(session.region, id)}
                    </option>
                  ))}
                </select>
                {actorError && (
                  <p className="field-error" id={`${selectId}-error`}>
                    {actorError}
                  </p>
                )}
              </div>
              <TextField
                label={t('message.field.channelUrl', { number })}
                value={channel.url}
                onChange={(url) => change({ url })}
                maxLength={500}
                error={problem(`channel.${channel.id}.url`)}
              />
              <button
                type="button"
                className="button button--small"
                onClick={() => update({ channels: form.channels.filter((c) => c.id !== channel.id) })}
              >
                {t('message.removeChannel', { number })}
              </button>
            </div>
          );
        })}
        <div className="form__inline">
          <button
            type="button"
            className="button button--small"
            disabled={form.channels.length >= LIMITS.maxMessageChannels}
            onClick={() =>
              update({
                channels: [...form.channels, { id: newId(), actorId: session.actorId, url: 'https://' }],
              })
            }
          >
            {t('message.addChannel')}
          </button>
        </div>
        <div className="form__field form__field--check">
          <label>
            <input
              type="checkbox"
              checked={form.phone11313}
              onChange={(e) => update({ phone11313: e.target.checked })}
            />{' '}
            {t('message.field.phone11313')}
          </label>
        </div>
        <div className="form__field form__field--check">
          <label>
            <input
              type="checkbox"
              checked={form.krisinformation}
              onChange={(e) => update({ krisinformation: e.target.checked })}
            />{' '}
            {t('message.field.krisinformation')}
          </label>
        </div>
      </fieldset>

      <fieldset className="message-editor__area">
        <legend>{t('message.field.area')}</legend>
        <AreaDrawField
          session={session}
          className="message-editor__polygon"
          legend={t('message.field.polygon')}
          help={t('message.areaHelp')}
          mapLabel={t('message.areaMap')}
          mapTestId="message-area-map"
          area={form.polygon}
          onChange={(edit) => update({ polygon: edit(form.polygon) })}
          error={problem('polygon')}
        />
        <fieldset className="message-editor__municipalities" data-testid="message-municipalities">
          <legend>{t('message.field.municipalities')}</legend>
          <div className="message-editor__checklist">
            {municipalities.map((actor) => {
              const code = actor.municipalityCode ?? '';
              return (
                <label key={actor.id} className="message-editor__check">
                  <input
                    type="checkbox"
                    checked={form.municipalityCodes.includes(code)}
                    onChange={(e) =>
                      update({ municipalityCodes: toggle(form.municipalityCodes, code, e.target.checked) })
                    }
                  />{' '}
                  {actor.name}
                </label>
              );
            })}
          </div>
          {problem('municipalities') && <p className="field-error">{problem('municipalities')}</p>}
        </fieldset>
        <TextField
          label={t('message.field.areaDescription')}
          value={form.areaDescription}
          onChange={(areaDescription) => update({ areaDescription })}
          maxLength={LIMITS.maxShortTextLength}
          error={problem('areaDescription')}
        />
      </fieldset>

      <fieldset className="message-editor__times">
        <legend>{t('message.validity')}</legend>
        {baseExpired && base && (
          <p className="hint" data-testid="message-validity-renewed">
            {t('message.editor.renewed', { version: base.version })}
          </p>
        )}
        <DateTimeField
          label={t('message.field.validFrom')}
          value={form.validFrom}
          onChange={(validFrom) => update({ validFrom })}
          error={problem('validFrom')}
          testId="message-valid-from"
        />
        <DateTimeField
          label={t('message.field.validUntil')}
          value={form.validUntil}
          onChange={(validUntil) => update({ validUntil })}
          error={problem('validUntil')}
          testId="message-valid-until"
        />
      </fieldset>

      <div className="form__field form__field--check">
        <label>
          <input
            type="checkbox"
            checked={exercise}
            disabled={baseContent !== null}
            aria-describedby={baseContent !== null ? `${headingId}-exercise-fixed` : undefined}
            onChange={(e) => update({ exercise: e.target.checked })}
            data-testid="message-exercise-check"
          />{' '}
          {t('message.field.exercise')}
        </label>
        {baseContent !== null && (
          <p className="hint" id={`${headingId}-exercise-fixed`} data-testid="message-exercise-fixed">
            {t('message.editor.exerciseFixed')}
          </p>
        )}
      </div>
      {(inForce || form.directiveId) && (
        <div className="form__field form__field--check">
          <label>
            <input
              type="checkbox"
              checked={form.directiveId !== null}
              onChange={(e) =>
                update({ directiveId: e.target.checked ? (inForce?.directive.id ?? form.directiveId) : null })
              }
            />{' '}
            {inForce
              ? t('message.field.citeDirective', { version: inForce.version.version })
              : t('message.field.directive')}
          </label>
        </div>
      )}

      <fieldset
        className="message-editor__approvers"
        aria-invalid={problems.approvers ? true : undefined}
        aria-describedby={`${headingId}-approvers-hint${problems.approvers ? ` ${headingId}-approvers-error` : ''}`}
        data-testid="message-approvers"
      >
        <legend>{t('message.field.approvers')}</legend>
        <p className="hint" id={`${headingId}-approvers-hint`} data-testid="message-approvers-hint">
          {t('message.approversHint')}{' '}
          {mayApprove
            ? chosenApprovers.includes(session.actorId) && t('message.approversOwnApproves')
            : chosenApprovers.includes(session.actorId)
              ? t('message.approversNoApprovalNamed', { actor: actorLabel(session.region, session.actorId) })
              : t('message.approversNoApproval')}
          {!userIsOwner && base && (
            <>
              {' '}
              {t('message.approversOnlyOwner', {
                owner: actorLabel(session.region, ownerActorId),
                version: base.version,
              })}
            </>
          )}
        </p>
        <div className="message-editor__checklist">
          {listed.map((id) => {
            const isLocked = locked.has(id);
            const gone = !takesPart(id);
            return (
              <label key={id} className="message-editor__check">
                <input
                  type="checkbox"
                  checked={chosenApprovers.includes(id)}
                  disabled={isLocked}
                  onChange={(e) =>
                    update({ approverActorIds: toggle(form.approverActorIds, id, e.target.checked) })
                  }
                  data-testid={`approver-${id}`}
                />{' '}
                {actorLabel(session.region, id)}
                {id === ownerActorId && (
                  <span className="message-editor__note"> ({t('message.approverOwner')})</span>
                )}
                {gone && (
                  <span className="missing" data-testid={`approver-gone-${id}`}>
                    {' '}
                    – {t('message.approverGone')}
                  </span>
                )}
              </label>
            );
          })}
        </div>
        {problems.approvers && (
          <p className="field-error" id={`${headingId}-approvers-error`}>
            {problem('approvers')}
          </p>
        )}
      </fieldset>

      {problems.form && (
        <p className="form__error" role="alert">
          {problem('form')}
        </p>
      )}
      {hasProblems && !problems.form && (
        <p className="visually-hidden" role="alert">
          {t('message.problem.invalid')}
        </p>
      )}
      <div className="form__actions">
        <button
          type="submit"
          className="button button--primary"
          disabled={sending.pending}
          data-testid="message-save"
        >
          {t('message.editor.save')}
        </button>
        <button type="button" className="button button--plain" onClick={onClose}>
          {t('app.cancel')}
        </button>
        {start.kept && (
          <button
            type="button"
            className="button button--plain"
            onClick={() => {
              clearDraft(draftKey);
              onClose();
            }}
          >
            {t('message.editor.discard')}
          </button>
        )}
        <CommandStatus itemId={sending.itemId} />
      </div>
    </form>
  );
}
