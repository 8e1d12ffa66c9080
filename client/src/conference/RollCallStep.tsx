import {
  openActionItems,
  type Conference,
  type Incident,
  type Presence,
  type RollCallEntry,
  type SessionInfo,
} from '@lagesbild/shared';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../components/CommandStatus';
import { actorLabel, byName } from '../domain/actors';
import { submit } from '../features/submit';
import { usePicture } from '../stores/picture';
import { ActionItemRow } from './ActionItems';
import { chairRuns, maySayPresent } from './conference-rights';
import { rollCallRows, type RollCallRow } from './conference-view';

/** Who answered the roll call, in words: present, absent, represented by whom, or not yet called. */
function PresenceText({ session, entry }: { session: SessionInfo; entry: RollCallEntry | null }) {
  const { t, i18n } = useTranslation();
  if (!entry) return <span className="presence presence--none">{t('conference.rollCall.notCalled')}</span>;
  if (entry.presence === 'represented' && entry.representedBy) {
    const fn = session.region.functions.find((f) => f.id === entry.representedBy?.functionId);
    return (
      <span className="presence presence--represented">
        {t('conference.rollCall.representedBy', {
          actor: actorLabel(session.region, entry.representedBy.actorId),
          function: fn ? (i18n.language === 'en' ? fn.name.en : fn.name.sv) : entry.representedBy.functionId,
        })}
      </span>
    );
  }
  return (
    <span className={`presence presence--${entry.presence}`}>
      {t(`conference.rollCall.${entry.presence}`)}
    </span>
  );
}

/** The chair's pick of who stands in for an absent actor, and in which function. */
function RepresentedForm({
  session,
  actorId,
  onSend,
  onCancel,
}: {
  session: SessionInfo;
  actorId: string;
  onSend: (representedBy: { actorId: string; functionId: string }) => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const actorField = useId();
  const functionField = useId();
  const actors = useMemo(
    () => session.region.actors.filter((a) => a.id !== actorId).sort(byName),
    [session.region.actors, actorId],
  );
  const functions = session.region.functions;
  const [by, setBy] = useState('');
  const [fn, setFn] = useState(functions[0]?.id ?? '');
  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (by !== '' && fn !== '') onSend({ actorId: by, functionId: fn });
  };
  return (
    <form className="form__inline roll-call__represented" onSubmit={handleSubmit} noValidate>
      <label htmlFor={actorField}>{t('conference.rollCall.representative')}</label>
      <select id={actorField} value={by} onChange={(e) => setBy(e.target.value)} required>
        <option value="">{t('conference.rollCall.choose')}</option>
        {actors.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </select>
      <label htmlFor={functionField}>{t('conference.rollCall.representativeFunction')}</label>
      <select id={functionField} value={fn} onChange={(e) => setFn(e.target.value)}>
        {functions.map((f) => (
          <option key={f.id} value={f.id}>
            {i18n.language === 'en' ? f.name.en : f.name.sv}
          </option>
        ))}
      </select>
      <button type="submit" className="button button--small button--primary" disabled={by === ''}>
        {t('conference.rollCall.saveRepresented')}
      </button>
      <button type="button" className="button button--small" onClick={onCancel}>
        {t('conference.rollCall.cancel')}
      </button>
    </form>
  );
}

function RollCallLine({
  session,
  conference,
  row,
}: {
  session: SessionInfo;
  conference: Conference;
  row: RollCallRow;
}) {
  const { t } = useTranslation();
  const [representing, setRepresenting] = useState(false);
  const [sentItem, setSentItem] = useState<string | null>(null);
  const chair = chairRuns(session, conference, 'conference.rollCall');
  const self = !chair && maySayPresent(session, conference, row.actorId);
  const name = actorLabel(session.region, row.actorId);
  const presence = row.entry?.presence ?? null;

  const call = async (value: Presence, representedBy: { actorId: string; functionId: string } | null) => {
    setRepresenting(false);
    setSentItem(
      await submit(session, 'conference.rollCall', {
        conferenceId: conference.id,
        actorId: row.actorId,
        presence: value,
        representedBy,
      }),
    );
  };

  // An absent actor that acknowledged the activation was reached; one that never did may
  // not know of the incident at all, so the chair reads the two differently.
  const ackClass =
    row.acknowledged === null ? '' : row.acknowledged ? ' roll-call--acked' : ' roll-call--not-acked';
  return (
    <li
      className={`roll-call__row roll-call--${presence ?? 'none'}${ackClass}`}
      data-testid={`roll-call-row-${row.actorId}`}
      data-presence={presence ?? 'none'}
    >
      <span className="roll-call__name">{name}</span>
      <PresenceText session={session} entry={row.entry} />
      {row.acknowledged !== null && (
        <span
          className={`roll-call__ack${row.acknowledged ? '' : ' roll-call__ack--missing'}`}
          data-acknowledged={row.acknowledged}
        >
          {row.acknowledged
            ? t('conference.rollCall.acknowledged')
            : t('conference.rollCall.notAcknowledged')}
        </span>
      )}
      {(chair || self) && (
        <div
          className="roll-call__actions"
          role="group"
          aria-label={t('conference.rollCall.actions', { actor: name })}
        >
          {(chair || presence !== 'present') && (
            <button
              type="button"
              className="button button--small"
              aria-pressed={chair ? presence === 'present' : undefined}
              onClick={() => void call('present', null)}
            >
              {t('conference.rollCall.present')}
            </button>
          )}
          {chair && (
            <>
              <button
                type="button"
                className="button button--small"
                aria-pressed={presence === 'absent'}
                onClick={() => void call('absent', null)}
              >
                {t('conference.rollCall.absent')}
              </button>
              <button
                type="button"
                className="button button--small"
                aria-pressed={presence === 'represented'}
                aria-expanded={representing}
                onClick={() => setRepresenting((r) => !r)}
              >
                {t('conference.rollCall.represented')}
              </button>
            </>
          )}
        </div>
      )}
      {chair && representing && (
        <RepresentedForm
          session={session}
          actorId={row.actorId}
          onSend={(by) => void call('represented', by)}
          onCancel={() => setRepresenting(false)}
        />
      )}
      <CommandStatus itemId={sentItem} />
    </li>
  );
}

/**
 * The roll call: one line per summoned actor in round order. The chair takes each with one
 * click; an actor's own duty officer may say "present" for it. The open decisions and action
 * items of earlier conferences are followed up here.
 */
export function RollCallStep({
  session,
  conference,
  incident,
}: {
  session: SessionInfo;
  conference: Conference;
  incident: Incident | undefined;
}) {
  const { t } = useTranslation();
  const actionItems = usePicture((s) => s.state.actionItems);
  const conferences = usePicture((s) => s.state.conferences);
  const rows = useMemo(
    () => rollCallRows(conference, incident, session.region),
    [conference, incident, session.region],
  );
  const open = useMemo(
    () => openActionItems({ actionItems }, { incidentId: conference.incidentId }),
    [actionItems, conference.incidentId],
  );
  return (
    <div className="conference-step-body">
      <ol className="roll-call" data-testid="roll-call">
        {rows.map((row) => (
          <RollCallLine key={row.actorId} session={session} conference={conference} row={row} />
        ))}
      </ol>
      <h5>{t('conference.rollCall.openItems')}</h5>
      {open.length === 0 ? (
        <p className="empty">{t('conference.rollCall.noOpenItems')}</p>
      ) : (
        <ul className="action-items" data-testid="open-action-items">
          {open.map((item) => (
            <ActionItemRow
              key={item.id}
              session={session}
              item={item}
              conference={conferences[item.conferenceId]}
            />
          ))}
        </ul>
      )}
    </div>
  );
}
