import type { SessionInfo } from '@lagesbild/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ActorPicker } from '../components/ActorPicker';
import { AreaDrawField } from '../components/AreaDrawField';
import { Modal } from '../components/Modal';
import {
  newActivationDraft,
  validateActivationDraft,
  type ActivationDraft,
  type ActivationProblems,
} from '../domain/activation-draft';
import { actorLabel } from '../domain/actors';
import { newId } from '../domain/ids';
import { usePicture } from '../stores/picture';
import { useView } from '../stores/view';
import { IncidentBasicsFields } from './IncidentBasicsFields';
import { submit } from './submit';
import { registerTranslations } from '../i18n/register';
import { incidentViewsEn } from './i18n-en';
import { incidentViewsSv } from './i18n-sv';

// This view's texts load with it; the first page carries none of them.
registerTranslations(incidentViewsSv, incidentViewsEn);

/**
 * The decision to go into activated mode, for those allowed to take it: a new incident,
 * or the answer to a request. Every actor is summoned unless the decider narrows it.
 */
export function ActivationDialog({ session, requestId }: { session: SessionInfo; requestId: string | null }) {
  const { t } = useTranslation();
  const request = usePicture((s) => (requestId ? s.state.incidents[requestId] : undefined)) ?? null;
  const [incidentId] = useState(() => requestId ?? newId());
  const [draft, setDraft] = useState<ActivationDraft>(() => newActivationDraft(session.region, request));
  const [problems, setProblems] = useState<ActivationProblems>({});
  const close = () => useView.getState().openDialog(null);
  const update = (change: Partial<ActivationDraft>) => setDraft((d) => ({ ...d, ...change }));
  const problem = (key: keyof ActivationProblems) => {
    const p = problems[key];
    return p ? t(`activationDialog.errors.${p}`) : null;
  };

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const result = validateActivationDraft(draft, incidentId, session.region);
    if (!result.ok) {
      setProblems(result.problems);
      return;
    }
    await submit(session, 'incident.activate', result.payload);
    useView.getState().openIncident(incidentId, 'acknowledgements');
    close();
  };

  return (
    <Modal title={t('activationDialog.title')} onClose={close} wide testId="activation-dialog">
      {request?.requestedBy && (
        <p className="notice">
          {t('activationDialog.fromRequest', {
            actor: actorLabel(session.region, request.requestedBy.actorId),
            name: request.requestedBy.userName,
          })}
        </p>
      )}
      <form className="form form--two-columns" onSubmit={(e) => void handleSubmit(e)} noValidate>
        <div className="form__column">
          <IncidentBasicsFields
            labels={{
              title: t('activationDialog.incidentTitle'),
              kind: t('activationDialog.kind'),
              description: t('activationDialog.description'),
              nextConference: t('activationDialog.nextConference'),
            }}
            draft={draft}
            onChange={update}
            problem={problem}
          />
          <details className="disclosure">
            <summary>
              {t('activationDialog.summoned')}:{' '}
              {t('actorPicker.selected', {
                count: draft.summonedActorIds.length,
                total: session.region.actors.length,
              })}
            </summary>
            <ActorPicker
              legend={t('activationDialog.summoned')}
              region={session.region}
              selected={draft.summonedActorIds}
              onChange={(summonedActorIds) => update({ summonedActorIds })}
              invalid={Boolean(problems.summoned)}
            />
          </details>
          {problem('summoned') && <p className="field-error">{problem('summoned')}</p>}
        </div>
        <AreaDrawField
          session={session}
          className="form__column"
          legend={t('activationDialog.area')}
          help={t('activationDialog.areaHelp')}
          mapLabel={t('activationDialog.areaMap')}
          mapTestId="activation-map"
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
          <button type="submit" className="button button--danger-strong">
            {t('activationDialog.submit')}
          </button>
          <button type="button" className="button button--plain" onClick={close}>
            {t('app.cancel')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
