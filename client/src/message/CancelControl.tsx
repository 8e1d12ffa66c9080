import { LIMITS, type JointMessage, type SessionInfo } from '@lagesbild/shared';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../components/CommandStatus';
import { TextField } from '../components/TextField';
import { can } from '../domain/rights';
import { submit } from '../features/submit';
import { useOnSent, useSend } from '../hooks/use-send';
import { mayWithdrawFor } from './message-labels';

/**
 * Withdrawing the message (CAP `Cancel`), for the owner and the actors the latest version
 * names. It cannot be undone, so it asks for the reason first and then once more. Offered
 * after the incident is closed too: an agreed message may still be out there, and the server
 * allows withdrawing it whatever became of the incident.
 */
export function CancelControl({ session, message }: { session: SessionInfo; message: JointMessage }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [stage, setStage] = useState<'closed' | 'reason' | 'confirm'>('closed');
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const sending = useSend();
  useOnSent(sending.itemId, () => setStage('closed'));
  useEffect(() => {
    if (stage === 'confirm') confirmRef.current?.focus();
  }, [stage]);

  const may =
    message.cancelled === null &&
    can(session, 'jointMessage.cancel') &&
    mayWithdrawFor(message, session.actorId);
  if (!may) return <CommandStatus itemId={sending.itemId} />;

  const next = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim() === '') {
      setMissing(true);
      return;
    }
    setMissing(false);
    setStage('confirm');
  };
  const withdraw = () =>
    void sending.send(() =>
      submit(session, 'jointMessage.cancel', { messageId: message.id, reason: reason.trim() }),
    );

  return (
    <div className="message-cancel" data-testid="message-cancel">
      {stage === 'closed' && (
        <button
          type="button"
          className="button button--danger"
          onClick={() => setStage('reason')}
          data-testid="message-cancel-open"
        >
          {t('message.cancel.open')}
        </button>
      )}
      {stage === 'reason' && (
        <form className="form" onSubmit={next} noValidate>
          <TextField
            label={t('message.cancel.reason')}
            value={reason}
            onChange={setReason}
            maxLength={LIMITS.maxTextLength}
            multiline
            required
            rows={2}
            error={missing ? t('message.problem.required') : null}
          />
          <div className="form__actions">
            <button type="submit" className="button button--danger">
              {t('message.cancel.open')}
            </button>
            <button type="button" className="button button--plain" onClick={() => setStage('closed')}>
              {t('app.cancel')}
            </button>
          </div>
        </form>
      )}
      {stage === 'confirm' && (
        <section
          className="message-cancel__confirm"
          role="group"
          aria-labelledby={headingId}
          data-testid="message-cancel-confirm"
        >
          <h5 id={headingId}>{t('message.cancel.confirmTitle')}</h5>
          <p>{t('message.cancel.confirmText')}</p>
          <p className="prewrap">”{reason.trim()}”</p>
          <div className="form__inline">
            <button
              ref={confirmRef}
              type="button"
              className="button button--danger"
              disabled={sending.pending}
              onClick={withdraw}
            >
              {t('message.cancel.confirm')}
            </button>
            <button type="button" className="button button--plain" onClick={() => setStage('reason')}>
              {t('app.cancel')}
            </button>
          </div>
        </section>
      )}
      <CommandStatus itemId={sending.itemId} />
    </div>
  );
}
