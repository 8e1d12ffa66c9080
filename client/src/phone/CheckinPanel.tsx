import {
  activationOrder,
  authorize,
  CHECKIN_STATUSES,
  LIMITS,
  newestFirst,
  requestOrder,
  type CheckinStatus,
  type Incident,
  type SessionInfo,
  type Sharing,
} from '@lagesbild/shared';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../components/CommandStatus';
import { SharingField } from '../components/SharingField';
import { TextField } from '../components/TextField';
import { actorShortLabel } from '../domain/actors';
import { formatTime } from '../domain/format';
import type { SharingScope } from '../domain/report-draft';
import { newId } from '../domain/ids';
import { currentLanguage } from '../i18n/i18n';
import { submitCommand } from '../outbox';
import { useOutbox } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import type { PositionChoice } from './geolocation';
import { myCheckin } from './my-checkin';
import { PositionField } from './PositionField';
import { Roster } from './Roster';
import { onDutyInMySlot } from './roster';

const NO_INCIDENT = '';

/** Incidents a person can check in on: active ones first, then requests, the last logged first. */
export function openIncidents(incidents: Record<string, Incident>): Incident[] {
  const rank = (i: Incident) => (i.status === 'active' ? 0 : 1);
  const order = (i: Incident) => (i.status === 'active' ? activationOrder(i) : requestOrder(i));
  return Object.values(incidents)
    .filter((i) => i.status !== 'closed')
    .sort((a, b) => rank(a) - rank(b) || newestFirst(order(a), order(b)));
}

/**
 * Check in: on which incident, in what status, where (with consent), and a note — a
 * hand-over note when someone else holds the same function — and check out. Everything
 * goes through the outbox, so it works without network.
 */
export function CheckinPanel({ session }: { session: SessionInfo }) {
  const { t, i18n } = useTranslation();
  const incidents = usePicture((s) => s.state.incidents);
  const checkins = usePicture((s) => s.state.checkins);
  const items = useOutbox((s) => s.items);
  const open = useMemo(() => openIncidents(incidents), [incidents]);
  const mine = useMemo(
    () => myCheckin({ checkins }, Object.values(items), session.user.id),
    [checkins, items, session.user.id],
  );

  const [chosenIncident, setChosenIncident] = useState<string | null>(null);
  const [status, setStatus] = useState<CheckinStatus>('onTheWay');
  const [position, setPosition] = useState<PositionChoice | null>(null);
  const [note, setNote] = useState('');
  const [lastItemId, setLastItemId] = useState<string | null>(null);
  // A person's whereabouts are the own actor's business until the person shares them.
  const [sharingScope, setSharingScope] = useState<SharingScope>('own');
  const [sharingActorIds, setSharingActorIds] = useState<string[]>([]);
  const [sharingError, setSharingError] = useState<string | null>(null);
  const statusName = useId();

  // Until the person chooses, the newest active incident is the likely one.
  const incidentId = chosenIncident ?? open.find((i) => i.status === 'active')?.id ?? NO_INCIDENT;
  const allowed = authorize(
    session.region,
    {
      userId: session.user.id,
      userName: session.user.name,
      actorId: session.actorId,
      functionIds: session.functionIds,
    },
    'checkin.create',
  );
  const functionId = allowed.ok ? allowed.functionId : null;
  const functionName = session.region.functions.find((f) => f.id === functionId)?.name[currentLanguage()];
  const takingOverFrom = useMemo(
    () =>
      functionId === null
        ? []
        : onDutyInMySlot({ checkins }, incidentId || null, {
            userId: session.user.id,
            actorId: session.actorId,
            functionId,
          }),
    [checkins, incidentId, functionId, session.user.id, session.actorId],
  );

  const handleCheckin = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (sharingScope === 'actors' && sharingActorIds.length === 0) {
      setSharingError(t('reportForm.errors.noActors'));
      return;
    }
    setSharingError(null);
    const sharing: Sharing =
      sharingScope === 'actors' ? { scope: 'actors', actorIds: sharingActorIds } : { scope: sharingScope };
    const item = await submitCommand(session.user.id, {
      id: newId(),
      type: 'checkin.create',
      payload: {
        checkinId: newId(),
        incidentId: incidentId || null,
        status,
        position: position?.position ?? null,
        note: note.trim(),
        sharing,
      },
    });
    setLastItemId(item.id);
    setNote('');
  };

  const handleCheckout = async () => {
    if (!mine) return;
    const item = await submitCommand(session.user.id, {
      id: newId(),
      type: 'checkin.checkout',
      payload: { checkinId: mine.checkinId },
    });
    setLastItemId(item.id);
  };

  const mineIncident = mine?.incidentId ? incidents[mine.incidentId] : undefined;
  return (
    <section className="phone-section" aria-labelledby="checkin-heading">
      <h2 id="checkin-heading">{t('phone.checkinTitle')}</h2>
      <div className="phone-current" data-testid="my-checkin" data-checked-in={mine !== null}>
        {mine ? (
          <>
            <p>
              {t('phone.checkedIn', {
                status: t(`phone.checkinStatus.${mine.status}`),
                time: formatTime(mine.since, i18n.language),
              })}
            </p>
            {mineIncident && <p>{t('phone.checkedInOn', { title: mineIncident.title })}</p>}
            <button
              type="button"
              className="button button--secondary-dark"
              onClick={() => void handleCheckout()}
            >
              {t('phone.checkOut')}
            </button>
          </>
        ) : (
          <p>{t('phone.notCheckedIn')}</p>
        )}
      </div>

      {functionId === null ? (
        <p className="phone-notice">{t('errors.forbidden')}</p>
      ) : (
        <form className="form phone-form" onSubmit={(e) => void handleCheckin(e)} noValidate>
          <div className="form__field">
            <label htmlFor="checkin-incident">{t('phone.incident')}</label>
            <select
              id="checkin-incident"
              value={incidentId}
              onChange={(e) => setChosenIncident(e.target.value)}
            >
              {open.map((incident) => (
                <option key={incident.id} value={incident.id}>
                  {incident.title} ({t(`incidentStatus.${incident.status}`)})
                </option>
              ))}
              <option value={NO_INCIDENT}>{t('phone.noIncident')}</option>
            </select>
          </div>
          <fieldset className="phone-choices">
            <legend>{t('phone.status')}</legend>
            {CHECKIN_STATUSES.map((value) => (
              <label key={value} className="phone-choice">
                <input
                  type="radio"
                  name={statusName}
                  value={value}
                  checked={status === value}
                  onChange={() => setStatus(value)}
                />
                {t(`phone.checkinStatus.${value}`)}
              </label>
            ))}
          </fieldset>
          {functionName && <p className="hint">{t('phone.asFunction', { function: functionName })}</p>}
          <PositionField
            value={position}
            onChange={setPosition}
            region={session.region}
            tiles={session.tiles}
          />
          <TextField
            label={
              takingOverFrom.length > 0
                ? t('phone.handoverNote', { names: takingOverFrom.map((c) => c.by.userName).join(', ') })
                : t('phone.note')
            }
            hint={takingOverFrom.length > 0 ? t('phone.handoverHelp') : undefined}
            value={note}
            onChange={setNote}
            maxLength={LIMITS.maxTextLength}
            multiline
            rows={2}
            name="note"
          />
          <SharingField
            region={session.region}
            ownActorId={session.actorId}
            scope={sharingScope}
            actorIds={sharingActorIds}
            onChange={(scope, actorIds) => {
              setSharingScope(scope);
              setSharingActorIds(actorIds);
            }}
            error={sharingError}
          />
          <p className="hint">
            {t('phone.checkinSharingHelp', { actor: actorShortLabel(session.region, session.actorId) })}
          </p>
          <button type="submit" className="button button--primary button--wide">
            {t('phone.checkIn')}
          </button>
        </form>
      )}
      <CommandStatus itemId={lastItemId} />
      <Roster incidentId={incidentId || null} region={session.region} />
    </section>
  );
}
