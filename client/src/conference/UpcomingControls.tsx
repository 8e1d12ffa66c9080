import type { Conference, SessionInfo } from '@lagesbild/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../components/CommandStatus';
import { submit } from '../features/submit';
import { useSend } from '../hooks/use-send';
import { RescheduleForm } from './RescheduleForm';
import { registerTranslations } from '../i18n/register';
import { conferenceEn } from './i18n-en';
import { conferenceSv } from './i18n-sv';

// This view's texts load with it; the first page carries none of them.
registerTranslations(conferenceSv, conferenceEn);

/**
 * The chair's controls of a scheduled conference: open it, or move it and change how to
 * join. Loaded only for those who may chair, so the list everyone sees stays small.
 */
export function UpcomingControls({
  session,
  conference,
  dialIn,
  mayOpen,
  mayMove,
}: {
  session: SessionInfo;
  conference: Conference;
  dialIn: string;
  mayOpen: boolean;
  mayMove: boolean;
}) {
  const { t } = useTranslation();
  const opening = useSend();
  const [moving, setMoving] = useState(false);
  const open = () =>
    void opening.send(() => submit(session, 'conference.open', { conferenceId: conference.id }));
  if (moving)
    return (
      <RescheduleForm
        session={session}
        conference={conference}
        dialIn={dialIn}
        onDone={() => setMoving(false)}
      />
    );
  return (
    <div className="form__inline">
      {mayOpen && (
        <button type="button" className="button button--primary" disabled={opening.pending} onClick={open}>
          {t('conference.open')}
          <span className="visually-hidden">: {conference.title}</span>
        </button>
      )}
      {mayMove && (
        <button type="button" className="button" onClick={() => setMoving(true)}>
          {t('conference.reschedule.start')}
          <span className="visually-hidden">: {conference.title}</span>
        </button>
      )}
      <CommandStatus itemId={opening.itemId} />
    </div>
  );
}
