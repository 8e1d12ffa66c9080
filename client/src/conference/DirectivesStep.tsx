import { itemsOfConference, type Conference, type SessionInfo } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { usePicture } from '../stores/picture';
import { ActionItemRow } from './ActionItems';

/**
 * Joint directives: the decisions (not the action items) taken at this conference. The chair
 * records them with the form below the agenda, at this step or any other.
 */
export function DirectivesStep({ session, conference }: { session: SessionInfo; conference: Conference }) {
  const { t } = useTranslation();
  const actionItems = usePicture((s) => s.state.actionItems);
  const decisions = useMemo(
    () => itemsOfConference({ actionItems }, conference.id).filter((i) => i.kind === 'decision'),
    [actionItems, conference.id],
  );
  return (
    <div className="conference-step-body">
      <p>{t('conference.directives.intro')}</p>
      {decisions.length === 0 ? (
        <p className="empty">{t('conference.directives.none')}</p>
      ) : (
        <ul className="action-items" data-testid="conference-decisions">
          {decisions.map((item) => (
            <ActionItemRow key={item.id} session={session} item={item} conference={conference} />
          ))}
        </ul>
      )}
    </div>
  );
}
