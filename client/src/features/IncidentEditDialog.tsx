import type { Incident, SessionInfo } from '@lagesbild/shared';
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ActorPicker } from '../components/ActorPicker';
import { AreaDrawField } from '../components/AreaDrawField';
import { CommandStatus } from '../components/CommandStatus';
import { Modal } from '../components/Modal';
import { actorLabel, byName, summonedActorIds } from '../domain/actors';
import {
  changedBetween,
  changedFields,
  EDITED_FIELDS,
  incidentEditDraft,
  incidentUpdateFromDraft,
  rebaseDraft,
  type IncidentEditDraft,
  type IncidentEditProblems,
} from '../domain/incident-edit-draft';
import { discardItem } from '../outbox';
import { useOutbox } from '../stores/outbox';
import { IncidentBasicsFields } from './IncidentBasicsFields';
import { submit } from './submit';
import { registerTranslations } from '../i18n/register';
import { incidentViewsEn } from './i18n-en';
import { incidentViewsSv } from './i18n-sv';

// This view's texts load with it; the first page carries none of them.
registerTranslations(incidentViewsSv, incidentViewsEn);

type IncidentEditDialogProps = {
  session: SessionInfo;
  /** The incident as the picture shows it now; the edit is made on the version it had when opened. */
  incident: Incident;
  onClose: () => void;
  /** The outbox item of each change sent, so the incident view can say what became of it. */
  onSubmitted: (itemId: string) => void;
};

/**
 * Changing an active incident mid-course: title, kind, description, area, more actors
 * summoned and the next conference. Only what the person changed is sent, made on the
 * version they began from, so a change someone else made meanwhile is never overwritten
 * unseen: the dialog says what they changed and lets the person carry their edits over.
 * Actors already summoned stay summoned; removing them is not offered.
 */
export function IncidentEditDialog({ session, incident, onClose, onSubmitted }: IncidentEditDialogProps) {
  const { t } = useTranslation();
  const [base, setBase] = useState(incident);
  const [draft, setDraft] = useState<IncidentEditDraft>(() => incidentEditDraft(incident));
  const [problems, setProblems] = useState<IncidentEditProblems>({});
  const [itemId, setItemId] = useState<string | null>(null);
  const item = useOutbox((s) => (itemId === null ? undefined : s.items[itemId]));
  const summonedHintId = useId();
  const update = (change: Partial<IncidentEditDraft>) => setDraft((d) => ({ ...d, ...change }));
  const problem = (key: keyof IncidentEditProblems) => {
    const p = problems[key];
    return p ? t(`incidentEdit.errors.${p}`) : null;
  };

  const pending = item !== undefined && (item.status === 'queued' || item.status === 'sending');
  const staleAnswer = item?.status === 'failed' && item.error?.code === 'stale' ? item.error : undefined;
  // The newest version known: the picture's, or the one the hub sent with its refusal.
  const hubsIncident = staleAnswer?.stale?.item === 'incident' ? staleAnswer.stale.incident : undefined;
  const newest = hubsIncident && hubsIncident.version > incident.version ? hubsIncident : incident;
  // Once the person's own change is on its way, the next version is theirs, not news.
  const changedMeanwhile = !pending && item?.status !== 'sent' && newest.version !== base.version;
  const theirs = useMemo(
    () => (changedMeanwhile ? changedBetween(base, newest) : new Set<string>()),
    [changedMeanwhile, base, newest],
  );
  const mine = changedFields(draft, base);

  // The hub has it: the incident view says so and shows the change.
  const sent = item?.status === 'sent';
  useEffect(() => {
    if (sent) onClose();
  }, [sent, onClose]);

  const alreadySummoned = useMemo(() => summonedActorIds(base, session.region), [base, session.region]);
  const alreadySummonedNames = useMemo(
    () =>
      session.region.actors
        .filter((a) => alreadySummoned.includes(a.id))
        .sort(byName)
        .map((a) => a.shortName ?? a.name)
        .join(', '),
    [alreadySummoned, session.region.actors],
  );
  const everyoneSummoned = session.region.actors.every((a) => alreadySummoned.includes(a.id));

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const result = incidentUpdateFromDraft(draft, base, session.region);
    if (!result.ok) {
      setProblems(result.problems);
      return;
    }
    setProblems({});
    // A refused earlier attempt is replaced by this one rather than left for the outbox.
    if (item?.status === 'failed') await discardItem(item.id);
    const sentId = await submit(session, 'incident.update', result.payload);
    setItemId(sentId);
    onSubmitted(sentId);
  };

  /** Carries the person's edits over to the newest version, so that saving applies them to it. */
  const handleRebase = async () => {
    setDraft(rebaseDraft(draft, base, newest, session.region));
    setBase(newest);
    if (item?.status === 'failed') await discardItem(item.id);
    setItemId(null);
  };

  return (
    <Modal title={t('incidentEdit.title')} onClose={onClose} wide testId="incident-edit-dialog">
      {changedMeanwhile && (
        <div className="form__error" role="alert" data-testid="incident-edit-stale">
          <p>{t(staleAnswer ? 'incidentEdit.staleRefused' : 'incidentEdit.changedMeanwhile')}</p>
          <p className="form__error-detail">
            {t('incidentEdit.changedByOthers', {
              fields: EDITED_FIELDS.filter((f) => theirs.has(f))
                .map(
                  (f) =>
                    t(`incidentEdit.field.${f}`) + (mine.has(f) ? ` (${t('incidentEdit.alsoMine')})` : ''),
                )
                .join(', '),
            })}
          </p>
          <button type="button" className="button button--small" onClick={() => void handleRebase()}>
            {t('incidentEdit.rebase')}
          </button>
        </div>
      )}
      <form className="form form--two-columns" onSubmit={(e) => void handleSubmit(e)} noValidate>
        <div className="form__column">
          <IncidentBasicsFields
            labels={{
              title: t('incidentEdit.field.title'),
              kind: t('incidentEdit.field.kind'),
              description: t('incidentEdit.field.description'),
              nextConference: t('incidentEdit.field.nextConference'),
            }}
            draft={draft}
            onChange={update}
            problem={problem}
          />
          <p className="hint" id={summonedHintId} data-testid="already-summoned">
            {everyoneSummoned
              ? t('incidentEdit.everyoneSummoned')
              : t('incidentEdit.alreadySummoned', {
                  count: alreadySummoned.length,
                  names: alreadySummonedNames,
                })}{' '}
            {t('incidentEdit.noRemoval')}
          </p>
          {!everyoneSummoned && (
            <details className="disclosure">
              <summary>
                {t('incidentEdit.summonMore')}:{' '}
                {t('incidentEdit.addedCount', { count: draft.addedActorIds.length })}
              </summary>
              <ActorPicker
                legend={t('incidentEdit.summonMore')}
                region={session.region}
                selected={draft.addedActorIds}
                onChange={(addedActorIds) => update({ addedActorIds })}
                exclude={alreadySummoned}
                describedBy={summonedHintId}
              />
            </details>
          )}
          {draft.addedActorIds.length > 0 && (
            <p className="hint" data-testid="added-actors">
              {t('incidentEdit.willBeAlerted', {
                names: draft.addedActorIds.map((id) => actorLabel(session.region, id)).join(', '),
              })}
            </p>
          )}
        </div>
        <AreaDrawField
          session={session}
          className="form__column"
          legend={t('incidentEdit.field.area')}
          help={t('incidentEdit.areaHelp')}
          mapLabel={t('incidentEdit.areaMap')}
          mapTestId="incident-edit-map"
          area={draft.area}
          onChange={(edit) => setDraft((d) => ({ ...d, area: edit(d.area) }))}
          error={problem('area')}
        />
        {problem('form') && (
          <p className="form__error" role="alert">
            {problem('form')}
          </p>
        )}
        <div className="form__actions form__wide">
          <button type="submit" className="button button--primary" disabled={pending}>
            {t('incidentEdit.submit')}
          </button>
          <button type="button" className="button button--plain" onClick={onClose}>
            {t(item ? 'app.close' : 'app.cancel')}
          </button>
          <CommandStatus itemId={itemId} />
        </div>
      </form>
    </Modal>
  );
}
