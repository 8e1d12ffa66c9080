import { LIMITS, type SessionInfo } from '@lagesbild/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Modal } from '../components/Modal';
import { TextField } from '../components/TextField';
import { usePicture } from '../stores/picture';
import { useView } from '../stores/view';
import { submit } from './submit';
import { registerTranslations } from '../i18n/register';
import { incidentViewsEn } from './i18n-en';
import { incidentViewsSv } from './i18n-sv';

// This view's texts load with it; the first page carries none of them.
registerTranslations(incidentViewsSv, incidentViewsEn);

/** Ends joint handling of an incident, or turns a request down, with a summary for the record. */
export function CloseDialog({ session, incidentId }: { session: SessionInfo; incidentId: string }) {
  const { t } = useTranslation();
  const incident = usePicture((s) => s.state.incidents[incidentId]);
  const [summary, setSummary] = useState('');
  const close = () => useView.getState().openDialog(null);
  const declining = incident?.status === 'requested';

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    await submit(session, 'incident.close', { incidentId, summary: summary.trim() });
    if (useView.getState().incidentId === incidentId) useView.getState().openIncident(null);
    close();
  };

  return (
    <Modal
      title={declining ? t('closeDialog.declineTitle') : t('closeDialog.title')}
      onClose={close}
      testId="close-dialog"
    >
      {incident && <p className="modal__subject">{incident.title}</p>}
      <form className="form" onSubmit={(e) => void handleSubmit(e)} noValidate>
        <TextField
          label={t('closeDialog.summary')}
          hint={t('closeDialog.summaryHint')}
          value={summary}
          onChange={setSummary}
          maxLength={LIMITS.maxTextLength}
          multiline
        />
        <div className="form__actions">
          <button type="submit" className="button button--danger-strong">
            {declining ? t('closeDialog.declineSubmit') : t('closeDialog.submit')}
          </button>
          <button type="button" className="button button--plain" onClick={close}>
            {t('app.cancel')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
