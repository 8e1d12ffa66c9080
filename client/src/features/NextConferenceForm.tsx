import type { Incident, SessionInfo } from '@lagesbild/shared';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../components/CommandStatus';
import { fromLocalInput, toLocalInput } from '../domain/format';
import { submit } from './submit';

/** Sets the time of the next coordination conference, as agreed at the end of one. */
export function NextConferenceForm({ session, incident }: { session: SessionInfo; incident: Incident }) {
  const { t } = useTranslation();
  const id = useId();
  const [value, setValue] = useState(() => toLocalInput(incident.nextConferenceAt));
  const [invalid, setInvalid] = useState(false);
  const [sentItem, setSentItem] = useState<string | null>(null);

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const at = value === '' ? null : fromLocalInput(value);
    if (value !== '' && at === null) return setInvalid(true);
    setInvalid(false);
    // Made on the version shown: should someone change the incident meanwhile, the hub
    // refuses it as stale and the outbox lets the person choose.
    setSentItem(
      await submit(session, 'incident.update', {
        incidentId: incident.id,
        nextConferenceAt: at,
        baseVersion: incident.version,
      }),
    );
  };

  return (
    <form className="form__inline next-conference" onSubmit={(e) => void handleSubmit(e)} noValidate>
      <label htmlFor={id}>{t('incident.setNextConference')}</label>
      <input
        id={id}
        type="datetime-local"
        value={value}
        aria-invalid={invalid || undefined}
        onChange={(e) => setValue(e.target.value)}
      />
      <button type="submit" className="button button--small">
        {t('incident.save')}
      </button>
      {invalid && <span className="field-error">{t('activationDialog.errors.badTime')}</span>}
      <CommandStatus itemId={sentItem} />
    </form>
  );
}
