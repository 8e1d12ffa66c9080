import { openConferenceOf, type Incident, type SessionInfo } from '@lagesbild/shared';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePicture } from '../stores/picture';
import { ConferenceList } from './ConferenceList';
import { ConferenceRoom } from './ConferenceRoom';
import { registerTranslations } from '../i18n/register';
import { conferenceEn } from './i18n-en';
import { conferenceSv } from './i18n-sv';
import { incidentViewsEn } from '../features/i18n-en';
import { incidentViewsSv } from '../features/i18n-sv';

// This view's texts load with it; the first page carries none of them.
registerTranslations(conferenceSv, conferenceEn);
registerTranslations(incidentViewsSv, incidentViewsEn);

/** Where the panel starts: in the running conference, or showing an earlier one. */
export type ConferencePanelStart = { kind: 'enter' } | { kind: 'show'; conferenceId: string };

/**
 * The conferences of an incident or, with no incident, of ordinary mode, and the room of
 * the one the user is in. `enterRunning` shows the running conference at once (the
 * incident's tab is the conference room); on the overview the user enters it with a
 * button, and `onLeave` takes the overview back to its own list.
 */
export function ConferencePanel({
  session,
  incident,
  enterRunning,
  start,
  onLeave,
}: {
  session: SessionInfo;
  incident: Incident | null;
  enterRunning: boolean;
  start?: ConferencePanelStart;
  onLeave?: () => void;
}) {
  const { t } = useTranslation();
  const incidentId = incident?.id ?? null;
  const all = usePicture((s) => s.state.conferences);
  const running = useMemo(() => openConferenceOf({ conferences: all }, incidentId), [all, incidentId]);
  const [chosenId, setChosenId] = useState<string | null>(start?.kind === 'show' ? start.conferenceId : null);
  const [entered, setEntered] = useState(enterRunning || start?.kind === 'enter');
  // The conference the user is in stays on screen when it closes, so the chair goes straight
  // on to the minutes. Followed during render, React's way to adjust state to new props.
  const [followedId, setFollowedId] = useState<string | null>(null);
  if (entered && running && running.id !== followedId) setFollowedId(running.id);
  const chosen = chosenId === null ? undefined : all[chosenId];
  const followed = entered && followedId !== null ? all[followedId] : undefined;
  const shown = chosen ?? (entered ? (running ?? followed) : undefined);

  const leave = () => {
    setChosenId(null);
    setFollowedId(null);
    setEntered(enterRunning);
    onLeave?.();
  };

  if (!shown)
    return (
      <ConferenceList
        session={session}
        incident={incident}
        onEnter={() => setEntered(true)}
        onShow={setChosenId}
      />
    );
  return (
    <div className="conference-panel">
      {(chosen || !enterRunning || shown.status === 'closed') && (
        <button type="button" className="button button--plain" onClick={leave}>
          ← {t('conference.leave')}
        </button>
      )}
      <ConferenceRoom session={session} conference={shown} />
    </div>
  );
}
