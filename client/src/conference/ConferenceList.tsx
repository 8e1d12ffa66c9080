import {
  conferencesOf,
  nextConferenceOf,
  openConferenceOf,
  type Conference,
  type Incident,
  type SessionInfo,
} from '@lagesbild/shared';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Time } from '../components/Time';
import { actorLabel } from '../domain/actors';
import { can } from '../domain/rights';
import { usePicture } from '../stores/picture';
import { chairMay, minutesApproved } from './conference-rights';
import { splitConferences, weekdayKey } from './conference-list';
import { LazyScheduleForm, LazyUpcomingControls } from './lazy';
import './list.css';

// The list of conferences is drawn by the overview at every visit, so it is small and in
// the first load; the room, the forms and the minutes load when the user asks for them.

/** "tisdagar 09:00": a weekly recurrence in words. */
function RecurrenceText({ conference }: { conference: Conference }) {
  const { t } = useTranslation();
  if (!conference.recurrence) return null;
  const rule = t('conference.recurrence', {
    weekday: t(`conference.weekday.${weekdayKey(conference.recurrence)}`),
    time: conference.recurrence.time,
  });
  return <span className="conference-recurrence">{t('conference.list.recurs', { rule })}</span>;
}

/** One scheduled conference: when, who convenes, how to join; its chair opens or moves it. */
function Upcoming({
  session,
  conference,
  mayOpen,
}: {
  session: SessionInfo;
  conference: Conference;
  mayOpen: boolean;
}) {
  const { t } = useTranslation();
  const dialIn = usePicture((s) => s.state.conferenceDialIns[conference.id]?.dialIn ?? '');
  const mayMove = chairMay(session, conference, 'conference.reschedule');
  return (
    <li className="conference-upcoming" data-testid="conference-upcoming" data-conference-id={conference.id}>
      <p>
        <strong>
          <Time iso={conference.scheduledAt} />
        </strong>{' '}
        – {conference.title}
      </p>
      <p className="conference-upcoming__meta">
        {t('conference.list.convener', { actor: actorLabel(session.region, conference.convenerActorId) })}{' '}
        <RecurrenceText conference={conference} />
      </p>
      {dialIn !== '' && (
        <p data-testid="conference-dial-in">
          <strong>{t('conference.dialIn')}:</strong> <span className="prewrap">{dialIn}</span>
        </p>
      )}
      {(mayOpen || mayMove) && (
        <LazyUpcomingControls
          session={session}
          conference={conference}
          dialIn={dialIn}
          mayOpen={mayOpen}
          mayMove={mayMove}
        />
      )}
    </li>
  );
}

/**
 * The conferences of an incident or, with no incident, of ordinary mode: the running one,
 * every scheduled one, the earlier ones with their status, and the form to call one.
 * Entering the running conference and showing an earlier one are the caller's to do.
 */
export function ConferenceList({
  session,
  incident,
  onEnter,
  onShow,
}: {
  session: SessionInfo;
  incident: Incident | null;
  onEnter: (conferenceId: string) => void;
  onShow: (conferenceId: string) => void;
}) {
  const { t } = useTranslation();
  const incidentId = incident?.id ?? null;
  const all = usePicture((s) => s.state.conferences);
  const running = useMemo(() => openConferenceOf({ conferences: all }, incidentId), [all, incidentId]);
  const { past, upcoming } = useMemo(
    () =>
      splitConferences(
        conferencesOf({ conferences: all }, incidentId),
        nextConferenceOf({ conferences: all }, incidentId),
      ),
    [all, incidentId],
  );
  const [scheduling, setScheduling] = useState(false);
  const maySchedule =
    can(session, 'conference.schedule') && (incident === null || incident.status === 'active');

  return (
    <div className="conference-panel">
      {running && (
        <div className="notice conference-running" data-testid="conference-running">
          <p>
            <strong>{t('conference.running')}:</strong> {running.title}
          </p>
          <button type="button" className="button button--primary" onClick={() => onEnter(running.id)}>
            {t('conference.enter')}
          </button>
        </div>
      )}
      <h3>{t('conference.list.next')}</h3>
      {upcoming.length === 0 ? (
        <p className="empty">{t('conference.list.noNext')}</p>
      ) : (
        <ul className="conference-upcoming-list" data-testid="conference-upcoming-list">
          {upcoming.map((c) => (
            <Upcoming
              key={c.id}
              session={session}
              conference={c}
              mayOpen={!running && chairMay(session, c, 'conference.open')}
            />
          ))}
        </ul>
      )}
      <h3>{t('conference.list.past')}</h3>
      {past.length === 0 ? (
        <p className="empty">{t('conference.list.empty')}</p>
      ) : (
        <ul className="conference-list" data-testid="conference-list">
          {past.map((c) => (
            <li key={c.id} className="conference-list__item" data-conference-id={c.id}>
              <Time iso={c.openedAt ?? c.scheduledAt} /> – {c.title}{' '}
              <span className={`chip conference-status conference-status--${c.status}`}>
                {t(`conference.status.${c.status}`)}
              </span>
              {minutesApproved(c) && (
                <span className="chip chip--sent">{t('conference.minutesApproved')}</span>
              )}{' '}
              <button type="button" className="button button--small" onClick={() => onShow(c.id)}>
                {t('conference.list.show')}
                <span className="visually-hidden">: {c.title}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {maySchedule && (
        <details
          className="disclosure conference-schedule__disclosure"
          open={scheduling}
          onToggle={(e) => setScheduling(e.currentTarget.open)}
        >
          <summary>{t('conference.schedule.title')}</summary>
          {/* The form's code loads when the disclosure is first opened. */}
          {scheduling && <LazyScheduleForm session={session} incident={incident} />}
        </details>
      )}
    </div>
  );
}
