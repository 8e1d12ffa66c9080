import { INCIDENT_KINDS, IncidentKind, LIMITS, type SessionInfo } from '@lagesbild/shared';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ActorPicker } from '../components/ActorPicker';
import { Modal } from '../components/Modal';
import { TextField } from '../components/TextField';
import {
  newActivationDraft,
  validateActivationDraft,
  type ActivationDraft,
  type ActivationProblems,
} from '../domain/activation-draft';
import { actorLabel } from '../domain/actors';
import { toPosition } from '../domain/drawing';
import { newId } from '../domain/ids';
import { LazyMap } from '../map/LazyMap';
import type { MapShape } from '../map/map-types';
import { usePicture } from '../stores/picture';
import { useView } from '../stores/view';
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
  const kindId = useId();
  const timeId = useId();
  const areaHintId = useId();
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

  const draftShape = useMemo(() => ({ type: 'Polygon' as const, positions: draft.area }), [draft.area]);
  const noShapes = useMemo<MapShape[]>(() => [], []);

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
          <TextField
            label={t('activationDialog.incidentTitle')}
            value={draft.title}
            onChange={(title) => update({ title })}
            maxLength={LIMITS.maxShortTextLength}
            required
            error={problem('title')}
          />
          <div className="form__field">
            <label htmlFor={kindId}>{t('activationDialog.kind')}</label>
            <select
              id={kindId}
              value={draft.kind}
              onChange={(e) => update({ kind: IncidentKind.parse(e.target.value) })}
            >
              {INCIDENT_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`incidentKind.${kind}`)}
                </option>
              ))}
            </select>
          </div>
          <TextField
            label={t('activationDialog.description')}
            value={draft.description}
            onChange={(description) => update({ description })}
            maxLength={LIMITS.maxTextLength}
            multiline
            error={problem('description')}
          />
          <div className="form__field">
            <label htmlFor={timeId}>{t('activationDialog.nextConference')}</label>
            <input
              id={timeId}
              type="datetime-local"
              value={draft.nextConference}
              onChange={(e) => update({ nextConference: e.target.value })}
              aria-invalid={problems.nextConference ? true : undefined}
            />
            {problem('nextConference') && <p className="field-error">{problem('nextConference')}</p>}
          </div>
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
        <fieldset className="form__column" aria-describedby={areaHintId}>
          <legend>{t('activationDialog.area')}</legend>
          <p className="hint" id={areaHintId}>
            {t('activationDialog.areaHelp')} {t('featureEditor.points', { count: draft.area.length })}
          </p>
          <LazyMap
            label={t('activationDialog.areaMap')}
            center={session.region.map.center}
            zoom={session.region.map.zoom}
            tiles={session.tiles}
            shapes={noShapes}
            draft={draftShape}
            onPick={(p) => setDraft((d) => ({ ...d, area: [...d.area, toPosition(p.lat, p.lng)] }))}
            testId="activation-map"
          />
          <div className="form__inline">
            <button
              type="button"
              className="button button--small"
              disabled={draft.area.length === 0}
              onClick={() => update({ area: draft.area.slice(0, -1) })}
            >
              {t('featureEditor.undo')}
            </button>
            <button
              type="button"
              className="button button--small"
              disabled={draft.area.length === 0}
              onClick={() => update({ area: [] })}
            >
              {t('featureEditor.clear')}
            </button>
          </div>
          {problem('area') && <p className="field-error">{problem('area')}</p>}
        </fieldset>
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
