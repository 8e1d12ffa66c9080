import {
  hasApproved,
  LIMITS,
  type Incident,
  type JointMessage,
  type MessageVersion,
  type SessionInfo,
} from '@lagesbild/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../components/CommandStatus';
import { TextField } from '../components/TextField';
import { actorLabel } from '../domain/actors';
import { can } from '../domain/rights';
import { submit } from '../features/submit';
import { useOnSent, useSend } from '../hooks/use-send';
import { actorTakesPart, isNamed } from './message-labels';

/**
 * Approving the latest version (with a comment if wanted), or asking for a change with a
 * comment, for the user's own actor only: the server counts only the named actors' answers,
 * and never one given on another actor's behalf. Shown when the latest version names the
 * user's actor, the actor still takes part in the incident and the user's function may sign
 * off; after approving it says so. A named actor since left out of the incident is told why
 * it cannot answer.
 */
export function SignOffControls({
  session,
  incident,
  message,
  latest,
}: {
  session: SessionInfo;
  incident: Incident;
  message: JointMessage;
  latest: MessageVersion;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [comment, setComment] = useState('');
  const [approvalComment, setApprovalComment] = useState('');
  const [missing, setMissing] = useState(false);
  const sending = useSend();
  useOnSent(sending.itemId, (item) => {
    if (item.command.type === 'jointMessage.approve') setApprovalComment('');
    if (item.command.type !== 'jointMessage.requestChange') return;
    setAsking(false);
    setComment('');
  });

  const actorId = session.actorId;
  const named = isNamed(latest, actorId);
  const open = incident.status === 'active' && message.cancelled === null && latest.agreedAt === null;
  const signsOff = can(session, 'jointMessage.approve');
  const takesPart = actorTakesPart(incident, session.region, actorId);
  const mayAnswer = open && named && signsOff && takesPart;
  const actor = actorLabel(session.region, actorId);
  if (!open && sending.itemId === null) return null;

  const approve = () =>
    void sending.send(() =>
      submit(session, 'jointMessage.approve', {
        messageId: message.id,
        version: latest.version,
        forActorId: actorId,
        comment: approvalComment.trim(),
      }),
    );
  const requestChange = (event: FormEvent) => {
    event.preventDefault();
    if (comment.trim() === '') {
      setMissing(true);
      return;
    }
    setMissing(false);
    void sending.send(() =>
      submit(session, 'jointMessage.requestChange', {
        messageId: message.id,
        version: latest.version,
        forActorId: actorId,
        comment: comment.trim(),
      }),
    );
  };

  return (
    <div className="message-sign-off" data-testid="message-sign-off">
      {open && !named && signsOff && <p className="hint">{t('message.signOff.notNamed')}</p>}
      {open && named && signsOff && !takesPart && (
        <p className="hint" data-testid="message-sign-off-not-taking-part">
          {t('message.signOff.notTakingPart', { actor })}
        </p>
      )}
      {mayAnswer && hasApproved(latest, actorId) && (
        <p className="message-sign-off__done" data-testid="message-approved-by-you">
          {t('message.signOff.approvedByYou', { actor, version: latest.version })}
        </p>
      )}
      {mayAnswer && !hasApproved(latest, actorId) && !asking && (
        <TextField
          label={t('message.signOff.commentOptional')}
          value={approvalComment}
          onChange={setApprovalComment}
          maxLength={LIMITS.maxTextLength}
          multiline
          rows={2}
        />
      )}
      {mayAnswer && !hasApproved(latest, actorId) && (
        <div className="form__inline">
          <button
            type="button"
            className="button button--primary"
            disabled={sending.pending}
            onClick={approve}
            data-testid="message-approve"
          >
            {t('message.signOff.approve', { version: latest.version, actor })}
          </button>
          {!asking && (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => setAsking(true)}
              data-testid="message-request-change"
            >
              {t('message.signOff.requestChange')}
            </button>
          )}
        </div>
      )}
      {mayAnswer && asking && (
        <form className="form" onSubmit={requestChange} noValidate data-testid="message-change-form">
          <TextField
            label={t('message.signOff.comment')}
            value={comment}
            onChange={(value) => {
              setComment(value);
              if (value.trim() !== '') setMissing(false);
            }}
            maxLength={LIMITS.maxTextLength}
            multiline
            required
            rows={2}
            error={missing ? t('message.problem.required') : null}
          />
          <div className="form__actions">
            <button
              type="submit"
              className="button button--primary"
              disabled={sending.pending}
              data-testid="message-send-change"
            >
              {t('message.signOff.sendRequest')}
            </button>
            <button type="button" className="button button--plain" onClick={() => setAsking(false)}>
              {t('app.cancel')}
            </button>
          </div>
        </form>
      )}
      <CommandStatus itemId={sending.itemId} />
    </div>
  );
}
