import type { Incident, SessionInfo } from '@lagesbild/shared';
import { useTranslation } from 'react-i18next';
import { ConferencePanel } from './ConferencePanel';
import { registerTranslations } from '../i18n/register';
import { conferenceEn } from './i18n-en';
import { conferenceSv } from './i18n-sv';
import { incidentViewsEn } from '../features/i18n-en';
import { incidentViewsSv } from '../features/i18n-sv';

// This view's texts load with it; the first page carries none of them.
registerTranslations(conferenceSv, conferenceEn);
registerTranslations(incidentViewsSv, incidentViewsEn);

/** The incident's "Coordination conference" tab: its conferences, and the running one in full. */
export function ConferenceTab({ session, incident }: { session: SessionInfo; incident: Incident }) {
  const { t } = useTranslation();
  return (
    <section className="section" aria-label={t('conference.tabTitle')} data-testid="conference-tab">
      <ConferencePanel key={incident.id} session={session} incident={incident} enterRunning />
    </section>
  );
}
