import {
  currentMessageOf,
  latestAgreedVersion,
  latestMessageVersion,
  messageStage,
  messagesOf,
  type Incident,
  type JointMessage,
  type SessionInfo,
} from '@lagesbild/shared';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Time } from '../components/Time';
import { can } from '../domain/rights';
import { personLabel } from '../directive/directive-labels';
import { registerTranslations } from '../i18n/register';
import { usePicture } from '../stores/picture';
import { CancelControl } from './CancelControl';
import { messageEn } from './i18n-en';
import { messageSv } from './i18n-sv';
import { keptDraftOf } from './kept-drafts';
import { KeptDraftView } from './KeptDraftView';
import { messageDraftKey } from './message-form';
import { actorTakesPart, agreedOnly, capUrl, mayAnswerNow, worksOnMessages } from './message-labels';
import { MessageContentView } from './MessageContentView';
import { MessageEditor } from './MessageEditor';
import { PublicationRecord } from './PublicationRecord';
import { SignOffControls } from './SignOffControls';
import { SignOffMatrix } from './SignOffMatrix';
import { VersionHistory } from './VersionHistory';
import './message.css';

// This view's texts load with it; the first page carries none of them.
registerTranslations(messageSv, messageEn);

/** Which version the user is reading: a newer one does not replace it under their eyes. */
type Pin = { messageId: string; version: number };

const pinOf = (message: JointMessage | undefined): Pin | null => {
  const latest = message && latestMessageVersion(message);
  return message && latest ? { messageId: message.id, version: latest.version } : null;
};

/**
 * The incident's "Budskap" tab: the joint message to the public as it stands (its stage in
 * words, the latest version, the agreed one's CAP alert), signing off for the user's own
 * actor, the editor, who approved which version, where each actor published, withdrawing,
 * and every version. Those who neither draft nor sign off see only agreed versions.
 */
export function MessageTab({ session, incident }: { session: SessionInfo; incident: Incident }) {
  const { t } = useTranslation();
  const headingId = useId();
  const jointMessages = usePicture((s) => s.state.jointMessages);
  const works = worksOnMessages(session);
  const { current, shown, anyDraft } = useMemo(() => {
    const every = messagesOf({ jointMessages }, incident.id);
    const all = every.map((m) => (works ? m : agreedOnly(m)));
    const currentId = currentMessageOf({ jointMessages }, incident.id)?.id;
    const current = all.find((m) => m.id === currentId && m.versions.length > 0);
    return {
      current,
      // With none current, the latest withdrawn one is still shown, marked as withdrawn.
      shown: current ?? all.findLast((m) => m.versions.length > 0),
      // A message being agreed that this user is not shown yet.
      anyDraft: every.some((m) => m.cancelled === null && m.versions.length > 0),
    };
  }, [jointMessages, incident.id, works]);
  const draftKey = messageDraftKey(session.user.id, incident.id);
  // A draft kept on this device (a reload, or a refused save taken back) opens the editor
  // again, unless it is a version this user has saved since.
  const [editing, setEditing] = useState(() => keptDraftOf(session.user.id, incident.id, current) !== null);
  const mayDraft =
    incident.status === 'active' &&
    can(session, 'jointMessage.draft') &&
    actorTakesPart(incident, session.region, session.actorId);
  // When the user may no longer save (the incident closed, the actor left out), a kept draft
  // is only shown to read; read afresh, as the editor may have changed it until then.
  const [, setDiscarded] = useState(0);
  const kept = mayDraft ? null : keptDraftOf(session.user.id, incident.id, current);

  const newest = shown && latestMessageVersion(shown);
  // A version that arrives while the user could approve the one on screen is not swapped in
  // under their eyes (the click meant for the old text would approve the new): the one they
  // read stays until they choose to read the new one. Their own save, a version after one
  // they could no longer answer (agreed, or approved already), and anything they cannot
  // approve show at once.
  const [pin, setPin] = useState<Pin | null>(() => pinOf(shown));
  const pinned =
    shown && pin?.messageId === shown.id ? shown.versions.find((v) => v.version === pin.version) : undefined;
  const heldBack =
    current !== undefined &&
    pinned !== undefined &&
    newest !== undefined &&
    pinned.version < newest.version &&
    newest.draftedBy.userId !== session.user.id &&
    mayAnswerNow(session, incident, current, pinned) &&
    mayAnswerNow(session, incident, current, newest);
  const target = pinOf(shown);
  if (!heldBack && (target?.messageId !== pin?.messageId || target?.version !== pin?.version)) {
    setPin(target);
  }
  const latest = heldBack ? pinned : newest;
  const agreed = shown && latestAgreedVersion(shown);
  const stage = shown && messageStage(shown);

  return (
    <section className="section message-tab" aria-labelledby={headingId} data-testid="message-tab">
      <h3 id={headingId}>{t('message.title')}</h3>
      {!shown && !(editing && mayDraft) && (works || !anyDraft) && (
        <p className="empty">{t('message.none')}</p>
      )}

      {!shown && !works && anyDraft && (
        <p className="hint" data-testid="message-not-agreed-yet">
          {t('message.notAgreedYet')}
        </p>
      )}
      {shown && latest && stage && (
        <section
          className={`message-status message-status--${stage}`}
          aria-labelledby={`${headingId}-status`}
          data-testid="message-status"
          data-stage={stage}
        >
          <h4 id={`${headingId}-status`}>
            <span className="message-stage">
              {t('message.statusLine', {
                stage: t(`message.stage.${stage}`),
                version: newest?.version ?? latest.version,
              })}
            </span>
          </h4>
          {heldBack && newest && (
            <div className="notice" role="status" data-testid="message-newer-arrived">
              <p>{t('message.signOff.newerArrived', { version: newest.version, read: latest.version })}</p>
              <button
                type="button"
                className="button button--secondary"
                onClick={() => setPin(target)}
                data-testid="message-read-newer"
              >
                {t('message.signOff.readNewer', { version: newest.version })}
              </button>
            </div>
          )}
          {shown.cancelled && (
            <p className="notice" data-testid="message-cancelled">
              {t('message.cancel.cancelledBy', { name: personLabel(session.region, shown.cancelled.by) })}{' '}
              <Time iso={shown.cancelled.at} />: <span className="prewrap">{shown.cancelled.reason}</span>
            </p>
          )}
          {agreed && agreed.version !== newest?.version && !shown.cancelled && (
            <p className="hint" data-testid="message-agreed-stands">
              {t('message.agreedStands', { version: agreed.version })}
            </p>
          )}
          {agreed && (
            <p className="message-status__cap">
              <a href={capUrl(shown.id, agreed.version)} download data-testid="message-cap-link">
                {t('message.cap.download', { version: agreed.version })}
              </a>
            </p>
          )}
          <p className="directive-meta">
            {t('message.draftedBy', { name: personLabel(session.region, latest.draftedBy) })}{' '}
            <Time iso={latest.at} />
            {latest.agreedAt && (
              <>
                {' · '}
                {t('message.agreedAt')} <Time iso={latest.agreedAt} />
              </>
            )}
          </p>
          <MessageContentView content={latest.content} region={session.region} testId="message-latest" />
          {current && !heldBack && (
            <SignOffControls session={session} incident={incident} message={current} latest={latest} />
          )}
        </section>
      )}

      {mayDraft && !editing && (
        <div className="form__inline message-tab__begin">
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setEditing(true)}
            data-testid="message-begin"
          >
            {current && newest ? t('message.edit', { version: newest.version + 1 }) : t('message.begin')}
          </button>
          {current && newest?.agreedAt && <p className="hint">{t('message.editReopens')}</p>}
        </div>
      )}
      {editing && mayDraft && (
        <MessageEditor
          session={session}
          incident={incident}
          message={current}
          onClose={() => setEditing(false)}
        />
      )}
      {!mayDraft && kept && (
        <KeptDraftView
          session={session}
          incident={incident}
          kept={kept}
          draftKey={draftKey}
          onDiscarded={() => {
            setEditing(false);
            setDiscarded((n) => n + 1);
          }}
        />
      )}

      {shown && latest && <SignOffMatrix message={shown} region={session.region} />}
      {current && (
        <PublicationRecord session={session} incident={incident} message={current} agreed={agreed} />
      )}
      {current && <CancelControl session={session} message={current} />}
      {shown && latest && <VersionHistory message={shown} region={session.region} />}
    </section>
  );
}
