import { LIMITS, activationOrder, newestFirst, type SessionInfo } from '@lagesbild/shared';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../components/CommandStatus';
import { TextField } from '../components/TextField';
import { actorLabel } from '../domain/actors';
import { newId } from '../domain/ids';
import { can } from '../domain/rights';
import { submitCommand } from '../outbox';
import { usePicture } from '../stores/picture';
import type { PositionChoice } from './geolocation';
import { methaneToFieldReport } from './methane';
import { PositionField } from './PositionField';

type Fields = {
  locationText: string;
  eventType: string;
  hazards: string;
  access: string;
  casualties: string;
  servicesPresent: string;
  servicesNeeded: string;
};

const EMPTY: Fields = {
  locationText: '',
  eventType: '',
  hazards: '',
  access: '',
  casualties: '',
  servicesPresent: '',
  servicesNeeded: '',
};

const TEXT_FIELDS = [
  'eventType',
  'hazards',
  'access',
  'casualties',
  'servicesPresent',
  'servicesNeeded',
] as const;

/**
 * A first report from the scene in the METHANE shape, sent as a field report
 * (`fieldReport.submit`) with the location as a point on the map. It stands beside the
 * actor's situation report: the duty officer's status, needs and prognosis stay as they are.
 */
export function QuickReportForm({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const incidents = usePicture((s) => s.state.incidents);
  const active = useMemo(
    () =>
      Object.values(incidents)
        .filter((i) => i.status === 'active')
        .sort((a, b) => newestFirst(activationOrder(a), activationOrder(b))),
    [incidents],
  );
  const [chosenIncident, setChosenIncident] = useState<string | null>(null);
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [position, setPosition] = useState<PositionChoice | null>(null);
  const [ownOnly, setOwnOnly] = useState(false);
  const [missing, setMissing] = useState(false);
  const [lastItemId, setLastItemId] = useState<string | null>(null);
  const sharingName = useId();
  const actor = actorLabel(session.region, session.actorId);

  if (!can(session, 'fieldReport.submit')) {
    return (
      <section className="phone-section" aria-labelledby="report-heading">
        <h2 id="report-heading">{t('phone.reportTitle')}</h2>
        <p className="phone-notice">{t('phone.reportNotAllowed')}</p>
      </section>
    );
  }

  const incidentId =
    chosenIncident !== null && active.some((i) => i.id === chosenIncident) ? chosenIncident : active[0]?.id;
  const set = (key: keyof Fields) => (value: string) => setFields((f) => ({ ...f, [key]: value }));

  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!incidentId) return;
    if (fields.eventType.trim() === '') {
      setMissing(true);
      return;
    }
    setMissing(false);
    const payload = methaneToFieldReport(
      {
        incidentId,
        position: position?.position ?? null,
        ...fields,
        sharing: ownOnly ? { scope: 'own' } : { scope: 'region' },
      },
      newId(),
    );
    const item = await submitCommand(session.user.id, { id: newId(), type: 'fieldReport.submit', payload });
    setLastItemId(item.id);
    setFields(EMPTY);
    setPosition(null);
  };

  return (
    <section className="phone-section" aria-labelledby="report-heading">
      <h2 id="report-heading">{t('phone.reportTitle')}</h2>
      <p className="hint">{t('phone.reportHelp', { actor })}</p>
      {active.length === 0 ? (
        <p className="phone-notice">{t('phone.noActiveIncident')}</p>
      ) : (
        <form className="form phone-form" onSubmit={(e) => void handleSubmit(e)} noValidate>
          <div className="form__field">
            <label htmlFor="report-incident">{t('phone.incident')}</label>
            <select
              id="report-incident"
              value={incidentId}
              onChange={(e) => setChosenIncident(e.target.value)}
            >
              {active.map((incident) => (
                <option key={incident.id} value={incident.id}>
                  {incident.title}
                </option>
              ))}
            </select>
          </div>
          <TextField
            label={t('phone.locationText')}
            hint={t('phone.locationTextHelp')}
            value={fields.locationText}
            onChange={set('locationText')}
            maxLength={LIMITS.maxShortTextLength}
            name="locationText"
          />
          <PositionField
            value={position}
            onChange={setPosition}
            region={session.region}
            tiles={session.tiles}
          />
          {TEXT_FIELDS.map((key) => (
            <TextField
              key={key}
              label={t(`phone.${key}`)}
              value={fields[key]}
              onChange={set(key)}
              maxLength={key === 'eventType' ? LIMITS.maxShortTextLength : 1000}
              multiline={key !== 'eventType'}
              rows={2}
              required={key === 'eventType'}
              error={key === 'eventType' && missing ? t('phone.missingEventType') : null}
              name={key}
            />
          ))}
          <fieldset className="phone-choices">
            <legend>{t('sharing.label')}</legend>
            <label className="phone-choice">
              <input type="radio" name={sharingName} checked={!ownOnly} onChange={() => setOwnOnly(false)} />
              {t('sharing.region')}
            </label>
            <label className="phone-choice">
              <input type="radio" name={sharingName} checked={ownOnly} onChange={() => setOwnOnly(true)} />
              {t('sharing.own')}
            </label>
          </fieldset>
          <button type="submit" className="button button--primary button--wide">
            {t('phone.sendReport')}
          </button>
        </form>
      )}
      <CommandStatus itemId={lastItemId} />
    </section>
  );
}
