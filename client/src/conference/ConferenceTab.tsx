import type { Incident, SessionInfo } from '@lagesbild/shared';
import { useTranslation } from 'react-i18next';
import { ConferencePanel } from './ConferencePanel';

/** The incident's "Coordination conference" tab: its conferences, and the running one in full. */
export function ConferenceTab({ session, incident }: { session: SessionInfo; incident: Incident }) {
  const { t } = useTranslation();
  return (
    <section className="section" aria-label={t('conference.tabTitle')} data-testid="conference-tab">
      <ConferencePanel key={incident.id} session={session} incident={incident} enterRunning />
    </section>
  );
}
