import type { SessionInfo } from '@lagesbild/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConferencePanelStart } from './ConferencePanel';
import { ConferenceList } from './ConferenceList';
import { LazyConferencePanel } from './lazy';

/**
 * The overview's "Coordination conferences": ordinary-mode conferences of the whole region,
 * such as a weekly one on Tuesdays at 09:00. The list is drawn at once; the conference room
 * loads only when the user enters the running conference or shows an earlier one.
 */
export function OrdinaryConferences({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const [start, setStart] = useState<ConferencePanelStart | null>(null);
  return (
    <section
      className="panel overview__wide overview__conferences"
      aria-labelledby="ordinary-conferences-heading"
      data-testid="ordinary-conferences"
    >
      <h2 id="ordinary-conferences-heading">{t('conference.ordinaryTitle')}</h2>
      <p className="hint">{t('conference.ordinaryIntro')}</p>
      {start === null ? (
        <ConferenceList
          session={session}
          incident={null}
          onEnter={() => setStart({ kind: 'enter' })}
          onShow={(conferenceId) => setStart({ kind: 'show', conferenceId })}
        />
      ) : (
        <LazyConferencePanel
          session={session}
          incident={null}
          enterRunning={false}
          start={start}
          onLeave={() => setStart(null)}
        />
      )}
    </section>
  );
}
