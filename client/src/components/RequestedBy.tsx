import { formatPhoneNumber, type Incident } from '@lagesbild/shared';
import { useTranslation } from 'react-i18next';
import { actorLabel } from '../domain/actors';
import { decidesRequests } from '../domain/rights';
import { useContacts } from '../hooks/use-contacts';
import { currentLanguage } from '../i18n/i18n';
import { useSession } from '../stores/session';

/**
 * Who asked for joint handling — person, function, actor — and, for those who decide on
 * the request, the number to call them back on. The hub sends that number only to them.
 */
export function RequestedBy({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const session = useSession((s) => s.session);
  const contacts = useContacts();
  const by = incident.requestedBy;
  if (!by || !session) return null;
  const region = session.region;
  const decides = decidesRequests(session);
  const functionName =
    region.functions.find((f) => f.id === by.functionId)?.name[currentLanguage()] ?? by.functionId;
  const contact = contacts?.requests[incident.id];

  return (
    <dl className="incident__facts incident__requester" data-testid="requested-by">
      <div>
        <dt>{t('requestCard.requestedBy')}</dt>
        <dd>
          {by.userName}, {functionName}, {actorLabel(region, by.actorId)}
        </dd>
      </div>
      {decides && contacts && (
        <div>
          <dt>{t('requestCard.phone')}</dt>
          <dd>
            {contact ? (
              <a href={`tel:${contact.phone}`} data-testid="requester-phone">
                <span className="visually-hidden">{t('requestCard.call', { name: contact.name })}: </span>
                {formatPhoneNumber(contact.phone)}
              </a>
            ) : (
              t('requestCard.noPhone')
            )}
          </dd>
        </div>
      )}
    </dl>
  );
}
