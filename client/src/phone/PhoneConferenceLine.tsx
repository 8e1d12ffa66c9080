import { CONFERENCE_STEPS, type Conference, type SessionInfo } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { usePicture } from '../stores/picture';
import { dialInHref, runningConferences } from './phone-picture';

/**
 * One line per conference running now, under the mode: which step it is on, and for the
 * summoned the dial-in, a tap away. Shown on every tab, so a person in the field knows to
 * call in without looking for it.
 */
export function PhoneConferenceLine({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const incidents = usePicture((s) => s.state.incidents);
  const conferences = usePicture((s) => s.state.conferences);
  const conferenceDialIns = usePicture((s) => s.state.conferenceDialIns);
  const running = useMemo(
    () => runningConferences({ incidents, conferences, conferenceDialIns }, session.actorId),
    [incidents, conferences, conferenceDialIns, session.actorId],
  );
  const stepText = (conference: Conference) => {
    const step = conference.step ?? 'rollCall';
    return t('phone.conference.running', {
      index: CONFERENCE_STEPS.indexOf(step) + 1,
      count: CONFERENCE_STEPS.length,
      step: t(`conference.steps.${step}`),
    });
  };
  // Only the step is announced, from a region that is always there (a live region added
  // with its text is often not read); the dial-in and titles are not read out at each step.
  const announcement = running.map(({ conference }) => stepText(conference)).join('. ');
  return (
    <>
      <p className="visually-hidden" aria-live="polite" data-testid="phone-conference-live">
        {announcement}
      </p>
      {running.length > 0 && (
        <ul className="phone-conference" data-testid="phone-conference">
          {running.map(({ conference, dialIn }) => {
            const about =
              conference.incidentId === null ? conference.title : incidents[conference.incidentId]?.title;
            const href = dialIn === null ? null : dialInHref(dialIn);
            return (
              <li key={conference.id} data-conference-id={conference.id}>
                <strong>{stepText(conference)}</strong>
                {about && <span className="phone-conference__about"> · {about}</span>}
                {dialIn !== null && (
                  <span className="phone-conference__dial-in" data-testid="phone-conference-dial-in">
                    {' '}
                    {href === null ? (
                      t('phone.conference.dialIn', { dialIn })
                    ) : (
                      <a
                        href={href}
                        {...(href.startsWith('https:') ? { target: '_blank', rel: 'noreferrer' } : {})}
                      >
                        {t('phone.conference.dialIn', { dialIn })}
                      </a>
                    )}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
