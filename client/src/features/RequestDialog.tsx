import { LIMITS, type SessionInfo } from '@lagesbild/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { Modal } from '../components/Modal';
import { TextField } from '../components/TextField';
import { clearDraft, loadDraft, saveDraft } from '../domain/drafts';
import { newId } from '../domain/ids';
import { useView } from '../stores/view';
import { REQUEST_DRAFT_KEY } from './draft-keys';
import { submit } from './submit';
import { registerTranslations } from '../i18n/register';
import { incidentViewsEn } from './i18n-en';
import { incidentViewsSv } from './i18n-sv';

// This view's texts load with it; the first page carries none of them.
registerTranslations(incidentViewsSv, incidentViewsEn);

const RequestDraft = z.object({ title: z.string(), reason: z.string() });
type Problems = { title?: 'required'; reason?: 'required' };

/** The green button's dialog, where every duty officer may ask for joint handling, with a reason. */
export function RequestDialog({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const key = `${REQUEST_DRAFT_KEY}.${session.user.id}`;
  const [draft, setDraft] = useState(() => loadDraft(key, RequestDraft) ?? { title: '', reason: '' });
  const [problems, setProblems] = useState<Problems>({});
  const close = () => useView.getState().openDialog(null);

  const update = (change: Partial<typeof draft>) => {
    const next = { ...draft, ...change };
    setDraft(next);
    saveDraft(key, next);
  };

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Problems = {};
    if (draft.title.trim() === '') found.title = 'required';
    if (draft.reason.trim() === '') found.reason = 'required';
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    await submit(session, 'incident.request', {
      incidentId: newId(),
      title: draft.title.trim(),
      reason: draft.reason.trim(),
    });
    clearDraft(key);
    close();
  };

  return (
    <Modal title={t('requestDialog.title')} onClose={close} testId="request-dialog">
      <p className="hint">{t('requestDialog.intro')}</p>
      <form className="form" onSubmit={(e) => void handleSubmit(e)} noValidate>
        <TextField
          label={t('requestDialog.incidentTitle')}
          value={draft.title}
          onChange={(title) => update({ title })}
          maxLength={LIMITS.maxShortTextLength}
          required
          error={problems.title ? t('form.required') : null}
        />
        <TextField
          label={t('requestDialog.reason')}
          hint={t('requestDialog.reasonHint')}
          value={draft.reason}
          onChange={(reason) => update({ reason })}
          maxLength={LIMITS.maxTextLength}
          multiline
          required
          error={problems.reason ? t('form.required') : null}
        />
        <div className="form__actions">
          <button type="submit" className="button button--go">
            {t('requestDialog.submit')}
          </button>
          <button type="button" className="button button--plain" onClick={close}>
            {t('app.cancel')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
